"""Fixtures for the Telegram bridge: fake Bot API, fake Rasa, and a running bridge between them."""

from __future__ import annotations

import dataclasses
from typing import AsyncIterator, Iterator

import pytest
from telegram.ext import Application

from bot.channels.rasa_client import RasaClient
from bot.settings import Settings
from tests.helpers.bridge import running
from tests.helpers.fake_rasa import FakeRasa
from tests.helpers.fake_telegram import TOKEN, FakeTelegram


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram().start()
    yield fake
    fake.stop()


@pytest.fixture
def rasa_server() -> Iterator[FakeRasa]:
    fake = FakeRasa().start()
    yield fake
    fake.stop()


@pytest.fixture
def bridge_settings(settings: Settings, telegram: FakeTelegram) -> Settings:
    return dataclasses.replace(settings, telegram_token=TOKEN, telegram_api_base_url=telegram.base_url, rasa_timeout=5.0)


@pytest.fixture
async def bridge(bridge_settings: Settings, rasa_server: FakeRasa) -> AsyncIterator[Application]:
    client = RasaClient(rasa_server.url, timeout=5.0)
    async with running(bridge_settings, client) as application:
        yield application
    await client.aclose()
