"""Fixtures for scale-out tests: a throwaway PostgreSQL database, Redis, two Rasa replicas."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterator, List

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from bot.ops.runner import Supervisor, assistant_services, prepare_backends
from bot.safety.shared_secret import secret_headers
from bot.settings import PROJECT_ROOT, Settings
from bot.ops.training import ensure_model
from tests.helpers.scale import drop_database, scale_settings, throwaway_url, unreachable


@dataclass
class Cluster:
    """Running replicas, their settings and a connection to the shared database."""

    settings: Settings
    engine: Engine

    def send(self, replica: int, sender: str, message: str) -> List[Dict[str, Any]]:
        """Send one message to one Rasa replica and return its replies."""
        url = f"{self.settings.rasa_urls[replica]}/webhooks/rest/webhook"
        response = requests.post(url, json={"sender": sender, "message": message},
                                 headers=secret_headers(self.settings.actions_secret), timeout=60)
        assert response.status_code == 200, response.text
        return list(response.json())

    def events(self, sender: str) -> List[Dict[str, Any]]:
        """Return a conversation's stored events in the order they were written."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT type_name, action_name, intent_name FROM events WHERE sender_id = :s ORDER BY id"),
                {"s": sender},
            )
            return [dict(row._mapping) for row in rows]


@pytest.fixture(scope="session")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """Start two Rasa replicas and two action servers on PostgreSQL + Redis; drop the database after."""
    reason = unreachable()
    if reason:
        pytest.skip(f"scale-out tests need PostgreSQL and Redis: {reason}")
    url = throwaway_url("sendnav_test")
    settings = scale_settings(str(tmp_path_factory.mktemp("scale")), url, rasa_replicas=2, actions_replicas=2)
    engine = create_engine(url, future=True)
    try:
        prepare_backends(settings)
        supervisor = Supervisor(assistant_services(settings, ensure_model(PROJECT_ROOT)), settings.data_dir / "logs")
        supervisor.start(timeout=300, progress=False)
        try:
            yield Cluster(settings, engine)
        finally:
            supervisor.stop()
    finally:
        engine.dispose()
        drop_database(url)
