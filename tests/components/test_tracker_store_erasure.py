"""F8: after an erasure or the purge, no byte of the erased text is left in any SQLite file (db, -wal, -shm).

The conversation is written as it is in production: through the redacting
tracker store (whose engine stays open, as Rasa's does) and the project's
repositories, into SQLite in WAL mode. Its words are chosen to survive
redaction, so they are on disk until erased.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import List

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.ops.purge import purge
from bot.personal_data import forget_conversation
from bot.safety.privacy import conversation_ref
from bot.settings import Settings, load_settings
from bot.store import EscalationRepository, FeedbackRepository, UnansweredRepository, make_engine, make_session_factory
from bot.store.escalations import Escalation
from bot.store.unanswered import UnansweredRecord
from components.tracker_store import RedactingSQLTrackerStore

WORDS = ("zqxmarmalade", "zqxtribunal", "zqxquestion")  # one per record kind, none a personal detail
SENDER = "erasure-test-sender"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings({"SEND_NAV_ENV": "test", "SEND_NAV_DATA_DIR": str(tmp_path), "SEND_NAV_SECRET_KEY": "e" * 48})


def write_conversation(settings: Settings, store: RedactingSQLTrackerStore, when: dt.datetime) -> None:
    """Store a conversation's events, an unanswered row, a feedback row and a question for a volunteer."""
    stamp = when.replace(tzinfo=dt.timezone.utc).timestamp()
    events = [UserUttered(f"{WORDS[0]} please help with {WORDS[1]}", intent={"name": "out_of_scope"}, timestamp=stamp),
              ActionExecuted("action_unanswered", timestamp=stamp), BotUttered("sorry", timestamp=stamp)]
    asyncio.run(store.save(DialogueStateTracker.from_events(SENDER, events)))
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    ref = conversation_ref(settings.secret_key, SENDER)
    UnansweredRepository(sessions).add(UnansweredRecord("widget", "out_of_scope", f"{WORDS[0]} {WORDS[2]}", [], ref,
                                                        created_at=when))
    FeedbackRepository(sessions).add("mediation", True, "widget", ref, created_at=when)
    escalation_id = EscalationRepository(sessions).create(SENDER, "widget", {"turns": [f"{WORDS[1]} {WORDS[2]}"]},
                                                          consent_at=when)
    with sessions.begin() as session:
        session.get(Escalation, escalation_id).created_at = when
    engine.dispose()


def sqlite_files(settings: Settings) -> List[Path]:
    files = sorted(p for p in settings.data_dir.iterdir() if ".db" in p.name)
    assert {p.name for p in files} >= {"sendnav.db", "tracker.db"}
    return files


def found(settings: Settings) -> List[str]:
    return [f"{p.name}: {w}" for p in sqlite_files(settings) for w in WORDS if w.encode() in p.read_bytes()]


@pytest.fixture
def store(settings: Settings):
    store = RedactingSQLTrackerStore(host=settings.tracker_url)
    yield store
    store.engine.dispose()


def test_f8_erased_conversation_leaves_no_bytes_in_any_sqlite_file(settings, store) -> None:
    write_conversation(settings, store, dt.datetime.now(dt.timezone.utc).replace(tzinfo=None))
    assert found(settings), "the words are on disk before the erasure"
    erased = forget_conversation(settings.database_url, settings.tracker_url, settings.secret_key, SENDER)
    assert erased.tracker_events == 3 and erased.unanswered == erased.feedback == erased.escalations == 1
    assert found(settings) == []


def test_f8_purged_conversation_leaves_no_bytes_in_any_sqlite_file(settings, store) -> None:
    write_conversation(settings, store, dt.datetime(2026, 1, 1, 12, 0))
    assert found(settings)
    counts = purge(settings, now=dt.datetime(2026, 11, 30, 12, 0))
    assert counts["tracker_events"] == 3 and counts["unanswered_log"] == counts["escalations"] == 1
    assert found(settings) == []


@pytest.mark.parametrize("url_of", ["database_url", "tracker_url"])
def test_f8_every_sqlite_connection_zeroes_deleted_rows(settings, url_of) -> None:
    engine = make_engine(getattr(settings, url_of), create_schema=False)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    engine.dispose()


def test_f8_the_tracker_stores_connection_zeroes_deleted_rows(store) -> None:
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
