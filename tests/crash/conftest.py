"""Fixtures for the crash-safety harness (tests/helpers/crash.py): one restarting stack, the results journal."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterator

import pytest

from bot.ops.runner import Service, assistant_services, channel_services
from bot.settings import PROJECT_ROOT, load_settings
from bot.ops.training import ensure_model
from tests.helpers.crash import LAUNCH, Journal, Stack, crash_env, running, with_crash_points
from tests.helpers.fake_telegram import TOKEN, FakeTelegram


@pytest.fixture(scope="session")
def telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, telegram: FakeTelegram) -> Iterator[Stack]:
    """One node on SQLite: action server, Rasa, web proxy and Telegram bridge, restarted when they die."""
    data_dir = tmp_path_factory.mktemp("crash")
    arm_file = data_dir / "arm"
    settings = load_settings(crash_env(data_dir, {
        "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": telegram.base_url,
    }))
    services = with_crash_points(assistant_services(settings, ensure_model(PROJECT_ROOT)))
    for service in services:
        service.env["SEND_NAV_CRASH_ARM"] = str(arm_file)
    web = channel_services(settings)[0]
    bridge = Service(name="telegram", argv=[sys.executable, str(LAUNCH), "bridge"], health_url=None, env=dict(web.env))
    with running(settings, services + [web, bridge], arm_file) as stack:
        yield stack


@pytest.fixture(scope="session")
def journal() -> Iterator[Journal]:
    journal = Journal()
    yield journal
    if not journal.entries:
        return
    targets = [PROJECT_ROOT / "var" / "results" / "crash.md"]
    if os.environ.get("SEND_NAV_CRASH_REPORT"):
        targets.append(Path(os.environ["SEND_NAV_CRASH_REPORT"]))
    for target in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(journal.markdown(), encoding="utf-8")

