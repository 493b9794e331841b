"""The notifier as its own process, killed with SIGKILL after sending: the restarted process sends no second notice.

Real SMTP (aiosmtpd with STARTTLS and a login; the child trusts its test
certificate through SSL_CERT_FILE) and the fake Bot API for the group.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Dict, Iterator

import pytest

from bot.notify.rota import Preference
from bot.settings import PROJECT_ROOT, load_settings
from bot.store import EscalationRepository, make_engine, make_session_factory
from bot.store.models import utcnow
from bot.store.notices import NoticeRepository
from bot.store.volunteers import VolunteerRepository
from tests.helpers.fake_telegram import TOKEN, FakeTelegram
from tests.helpers.smtp import SmtpServer

ALWAYS = Preference(channel="both", days=frozenset({"mon", "tue", "wed", "thu", "fri", "sat", "sun"}), on_from=0, on_until=0)
GROUP_ID = -100999


def wait_for(condition: Callable[[], object], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.1)


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[SmtpServer]:
    server = SmtpServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram().start()
    yield fake
    fake.stop()


def start(env: Dict[str, str], log: Path) -> "subprocess.Popen[bytes]":
    with open(log, "ab") as out:
        return subprocess.Popen([sys.executable, "-m", "bot.notify", "--poll", "0.2"], cwd=PROJECT_ROOT,
                                env={**os.environ, **env, "PYTHONPATH": str(PROJECT_ROOT)}, stdout=out, stderr=subprocess.STDOUT)


def test_a_restart_after_sigkill_sends_no_second_notice(tmp_path: Path, smtp: SmtpServer, telegram: FakeTelegram) -> None:
    env = {
        "SEND_NAV_ENV": "test", "SEND_NAV_DATA_DIR": str(tmp_path), "SEND_NAV_SECRET_KEY": "k" * 48,
        "SEND_NAV_SMTP_URL": smtp.url(), "SEND_NAV_SMTP_FROM": "volunteers@example.org", "SSL_CERT_FILE": str(smtp.cert),
        "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": telegram.base_url,
        "SEND_NAV_VOLUNTEER_GROUP_ID": str(GROUP_ID),
    }
    settings = load_settings(env)
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    notices, volunteers = NoticeRepository(sessions), VolunteerRepository(sessions)
    notices.save_preference(volunteers.add("val@example.org", "Val", "volunteer", "h"), ALWAYS)
    question = EscalationRepository(sessions).create("c1", "widget", {"turns": ["(words)"]}, utcnow(), topic="mediation")
    group = lambda: [c for c in telegram.calls_to("sendMessage") if c.params.get("chat_id") == GROUP_ID]  # noqa: E731
    log = tmp_path / "notify.log"
    first = start(env, log)
    try:
        wait_for(lambda: len(smtp.messages) == 1 and len(group()) == 1)
        wait_for(lambda: all(n.sent_at for r in ("volunteer:1", "group") for n in notices.sent_to(r)))
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    second = start(env, log)
    try:
        # A new volunteer after the restart gets the question: the new process is ticking...
        notices.save_preference(volunteers.add("sam@example.org", "Sam", "volunteer", "h"), ALWAYS)
        wait_for(lambda: len(smtp.messages) == 2)
        time.sleep(1.0)  # ... several more ticks
    finally:
        second.terminate()
        second.wait(timeout=10)
        engine.dispose()
    # ... and nobody was told twice.
    assert sorted(m["To"] for m in smtp.messages) == ["sam@example.org", "val@example.org"]
    assert len(group()) == 1
    assert all(f"Q{question}" in m.get_content() for m in smtp.messages)
    assert "(words)" not in log.read_text(encoding="utf-8") and "smtp-test-password" not in log.read_text(encoding="utf-8")
