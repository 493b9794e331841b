"""F11: a new widget conversation never inherits an erased one's rate-limit window."""

from __future__ import annotations

from typing import Dict, Iterator, List

import anyio
import pytest
from starlette.testclient import TestClient

from bot.settings import load_settings
from bot.web.app import create_app
from bot.web.ratelimit import Limits
from tests.helpers.web import FakeRasa, start

PER_CONVERSATION = 3


@pytest.fixture
def client(env: Dict[str, str]) -> Iterator[TestClient]:
    rasa = FakeRasa().client()
    limits = Limits(per_conversation=PER_CONVERSATION, per_ip=1000, sessions_per_ip=1000)
    app = create_app(load_settings(env), rasa=rasa, limits=limits)
    with TestClient(app, base_url="http://localhost") as test_client:  # a Host the app accepts
        yield test_client
    anyio.run(rasa.aclose)


def chat(client: TestClient, conversation_id: str) -> int:
    return client.post("/api/chat", json={"conversation_id": conversation_id, "text": "hi"}).status_code


def erase(client: TestClient, conversation_id: str) -> int:
    return client.request("DELETE", "/api/conversation", json={"conversation_id": conversation_id}).status_code


@pytest.mark.parametrize("rounds", [1, 3])
def test_f11_new_conversation_starts_with_a_fresh_window_after_an_erasure(client: TestClient, rounds: int) -> None:
    for _ in range(rounds):  # SQLite hands the erased conversation's row id to the next one
        used_up = start(client)
        assert [chat(client, used_up) for _ in range(PER_CONVERSATION + 1)][-1] == 429
        assert erase(client, used_up) == 204
        fresh = start(client)
        assert [chat(client, fresh) for _ in range(PER_CONVERSATION)] == [200] * PER_CONVERSATION
        assert erase(client, fresh) == 204


def test_f11_erasure_drops_the_conversations_window(client: TestClient) -> None:
    conversation_id = start(client)
    assert chat(client, conversation_id) == 200
    assert len(window_keys(client)) == 1
    assert erase(client, conversation_id) == 204
    assert window_keys(client) == []


def window_keys(client: TestClient) -> List[str]:
    """Return the keys of the per-conversation window, found through the app's routes."""
    for route in client.app.routes:
        api = getattr(getattr(route, "endpoint", None), "__self__", None)
        if hasattr(api, "conversation_window"):
            return list(api.conversation_window._hits)
    raise AssertionError("no widget API on the app")
