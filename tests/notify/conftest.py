"""Fixtures for the notifier: a database, its repositories, volunteers with preferences, SMTP and a fake Bot API."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterator, List

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.notify.rota import Preference
from bot.settings import Settings
from bot.store import EscalationRepository, make_engine, make_session_factory
from bot.store.notices import NoticeRepository
from bot.store.volunteers import VolunteerRepository
from tests.helpers.fake_telegram import FakeTelegram
from tests.helpers.smtp import SmtpServer

# A sentence no notice may ever contain: it stands for the parent's own words in every handover packet.
PARENT_WORDS = "my son Oliver Smith at Hilltop School is being excluded"
ALWAYS = Preference(channel="both", days=frozenset({"mon", "tue", "wed", "thu", "fri", "sat", "sun"}), on_from=0, on_until=0)


@pytest.fixture
def sessions(settings: Settings) -> Iterator["sessionmaker[Session]"]:
    engine = make_engine(settings.database_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def notices(sessions: "sessionmaker[Session]") -> NoticeRepository:
    return NoticeRepository(sessions)


@pytest.fixture
def escalations(sessions: "sessionmaker[Session]") -> EscalationRepository:
    return EscalationRepository(sessions)


@pytest.fixture
def volunteers(sessions: "sessionmaker[Session]") -> VolunteerRepository:
    return VolunteerRepository(sessions)


def add_volunteer(volunteers: VolunteerRepository, notices: NoticeRepository, name: str,
                  preference: Preference = ALWAYS, role: str = "volunteer") -> int:
    """Add an account with a password and notice preferences; return its id."""
    volunteer_id = volunteers.add(f"{name.lower()}@example.org", name, role, "argon2-hash")
    notices.save_preference(volunteer_id, preference)
    return volunteer_id


def ask(escalations: EscalationRepository, conversation: str, topic: str = "mediation", channel: str = "web",
        when: dt.datetime = None) -> int:  # type: ignore[assignment]
    """Open an escalation whose packet holds the parent's words."""
    packet = {"turns": [PARENT_WORDS], "topics": [{"name": f"ask_{topic}", "confidence": 0.9}], "channel": channel}
    return escalations.create(conversation, channel, packet, when or dt.datetime(2026, 11, 30, 10), topic=topic)


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


def texts_of(messages: List) -> List[str]:
    return [m.get_content() + str(m["Subject"]) for m in messages]
