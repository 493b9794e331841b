"""Fixtures mirroring Rasa's objects: a dispatcher and trackers built from dicts."""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterator, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.services import get_services


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture(autouse=True)
def isolated_services(tmp_path, monkeypatch) -> Iterator[None]:
    """Point the actions at a temporary data folder and rebuild their services."""
    monkeypatch.setenv("SEND_NAV_ENV", "test")
    monkeypatch.setenv("SEND_NAV_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SEND_NAV_SECRET_KEY", "actions-test-key-" + "k" * 40)
    monkeypatch.delenv("SEND_NAV_DATABASE_URL", raising=False)
    get_services.cache_clear()
    yield
    get_services.cache_clear()


TrackerFactory = Callable[..., Tracker]


@pytest.fixture
def tracker() -> TrackerFactory:
    """Return a factory for trackers whose latest message has the given intent and text."""

    def make(
        intent: str,
        text: str = "a question",
        ranking: Optional[List[Dict[str, Any]]] = None,
        slots: Optional[Dict[str, Any]] = None,
        entities: Optional[List[Dict[str, Any]]] = None,
        sender_id: str = "conversation-1",
    ) -> Tracker:
        ranking = ranking if ranking is not None else [{"name": intent, "confidence": 0.9}]
        return Tracker.from_dict({
            "sender_id": sender_id,
            "slots": slots or {},
            "latest_message": {
                "text": text,
                "intent": {"name": intent, "confidence": ranking[0]["confidence"] if ranking else 1.0},
                "intent_ranking": ranking,
                "entities": entities or [],
            },
            "events": [{"event": "user", "text": text, "input_channel": "rest", "parse_data": {}}],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        })

    return make
