"""Fixtures for the widget server: the app with a fake Rasa, a client and a started conversation."""

from __future__ import annotations

from typing import Callable, Dict, Iterator, List, Tuple

import anyio
import pytest
from starlette.testclient import TestClient

from bot.channels.rasa_client import RasaClient
from bot.settings import Settings, load_settings
from bot.web.app import create_app
from bot.web.ratelimit import Limits
from tests.helpers.web import ALLOWED_ORIGIN, GENEROUS, FakeRasa, start


@pytest.fixture
def settings(env: Dict[str, str]) -> Settings:
    return load_settings({**env, "SEND_NAV_ALLOWED_ORIGINS": f"{ALLOWED_ORIGIN}, https://www.kentpact.org.uk"})


@pytest.fixture
def rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def make_client(settings: Settings, rasa: FakeRasa) -> Iterator[Callable[..., TestClient]]:
    """Return a factory for a started TestClient, optionally with other limits or client address."""
    opened: List[Tuple[TestClient, RasaClient]] = []

    def make(limits: Limits = GENEROUS, address: str = "testclient") -> TestClient:
        rasa_client = rasa.client()
        client = TestClient(create_app(settings, rasa=rasa_client, limits=limits), base_url="http://localhost",
                            client=(address, 50000))
        client.__enter__()
        opened.append((client, rasa_client))
        return client

    yield make
    for client, rasa_client in opened:
        client.__exit__(None, None, None)
        anyio.run(rasa_client.aclose)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


@pytest.fixture
def conversation(client: TestClient) -> str:
    return start(client)
