"""Tests for bot.unanswered.logger: redaction, the 2000-char cap, and the spool fallback."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from pathlib import Path
from typing import List

import pytest
from sqlalchemy import create_engine
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import OperationalError

from bot.safety.privacy import conversation_ref
from bot.settings import Settings
from bot.store import UnansweredRecord, UnansweredRepository, make_engine, make_session_factory
from bot.store.spool import Spool
from bot.unanswered.logger import MAX_STORED_CHARS, UnansweredLogger, top_intents

SENDER = "telegram-555123987"
RANKING = [
    {"name": "ask_personal_budgets", "confidence": 0.312345678},
    {"name": "ask_school_transport", "confidence": 0.2},
    {"name": "nlu_fallback", "confidence": None},
    {"name": "greet", "confidence": 0.01},
]


class DownRepository(UnansweredRepository):
    """A repository whose database is unreachable."""

    def __init__(self) -> None:
        self.calls = 0

    def add(self, record: UnansweredRecord) -> int:
        self.calls += 1
        raise OperationalError("INSERT INTO unanswered_log ...", {}, Exception("could not connect to server"))


@pytest.fixture
def spool(settings: Settings) -> Spool:
    return Spool(settings.spool_dir / "unanswered.jsonl")


def all_rows(repository: UnansweredRepository):
    return repository.since(dt.datetime(2000, 1, 1))


def make_logger(repository, spool: Spool, secret_key: str) -> UnansweredLogger:
    return UnansweredLogger(repository, spool, secret_key)


# --- build ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, secrets, placeholders",
    [
        ("my email is jane.doe@example.com, can my son get DLA?", ["jane.doe@example.com", "example.com"], ["[email]"]),
        ("ring me on 07700 900123 about the EHCP", ["07700 900123", "900123"], ["[phone]"]),
        (
            "jane.doe@example.com or +44 7700 900456, we live at ME14 1XQ",
            ["jane.doe", "7700", "900456", "ME14"],
            ["[email]", "[phone]", "[postcode]"],
        ),
    ],
    ids=["email", "uk-mobile", "email-mobile-postcode"],
)
def test_build_redacts(spool: Spool, secret_key: str, text: str, secrets: List[str], placeholders: List[str]) -> None:
    record = make_logger(None, spool, secret_key).build(text, "telegram", "low_confidence", RANKING, SENDER)
    for secret in secrets:
        assert secret not in record.text_redacted
        assert secret not in str(record.to_json())
    for placeholder in placeholders:
        assert placeholder in record.text_redacted


def test_build_fills_the_record(spool: Spool, secret_key: str) -> None:
    record = make_logger(None, spool, secret_key).build("what about DLA", "telegram", "out_of_scope", RANKING, SENDER)
    assert record.channel == "telegram"
    assert record.reason == "out_of_scope"
    assert record.text_redacted == "what about DLA"
    assert record.conversation_ref == conversation_ref(secret_key, SENDER)
    assert record.conversation_ref != SENDER
    assert SENDER not in record.conversation_ref
    assert "555123987" not in str(record.to_json())
    assert record.intents == [
        {"name": "ask_personal_budgets", "confidence": 0.3123},
        {"name": "ask_school_transport", "confidence": 0.2},
        {"name": "nlu_fallback", "confidence": 0.0},
    ]


@pytest.mark.parametrize("channel, stored", [("", "unknown"), (None, "unknown"), ("x" * 40, "x" * 32)], ids=["empty", "none", "long"])
def test_build_channel(spool: Spool, secret_key: str, channel, stored: str) -> None:
    assert make_logger(None, spool, secret_key).build("q", channel, "r", [], SENDER).channel == stored


def test_build_handles_empty_text(spool: Spool, secret_key: str) -> None:
    assert make_logger(None, spool, secret_key).build(None, "rest", "empty", [], SENDER).text_redacted == ""  # type: ignore[arg-type]


@pytest.mark.parametrize("length", [MAX_STORED_CHARS - 1, MAX_STORED_CHARS, MAX_STORED_CHARS + 1, 50_000])
def test_text_is_capped(spool: Spool, secret_key: str, length: int) -> None:
    text = ("abcdefghi " * (length // 10 + 1))[:length]
    record = make_logger(None, spool, secret_key).build(text, "rest", "r", [], SENDER)
    assert len(record.text_redacted) == min(length, MAX_STORED_CHARS) == min(length, 2000)


def test_cap_is_applied_after_redaction(spool: Spool, secret_key: str) -> None:
    # An e-mail straddling the cap must not leave its first half behind.
    text = "x " * 995 + "jane.doe@example.com is my email"
    record = make_logger(None, spool, secret_key).build(text, "rest", "r", [], SENDER)
    assert len(record.text_redacted) <= MAX_STORED_CHARS
    assert "jane" not in record.text_redacted


def test_top_intents_limit() -> None:
    assert [i["name"] for i in top_intents(RANKING, limit=2)] == ["ask_personal_budgets", "ask_school_transport"]
    assert top_intents([]) == []


# --- store and the spool ----------------------------------------------------------------


def test_store_with_working_repository(repository: UnansweredRepository, spool: Spool, secret_key: str) -> None:
    logger = make_logger(repository, spool, secret_key)
    record = logger.build("can my son get DLA", "rest", "low_confidence", RANKING, SENDER)
    record_id = logger.store(record)
    assert isinstance(record_id, int)
    [row] = all_rows(repository)
    assert row.id == record_id
    assert row.record_key == record.record_key
    assert spool.pending() == 0


def test_store_without_repository_spools(repository: UnansweredRepository, spool: Spool, secret_key: str) -> None:
    offline = make_logger(None, spool, secret_key)
    record = offline.build("can my son get DLA", "rest", "low_confidence", RANKING, SENDER)
    assert offline.store(record) is None
    assert spool.pending() == 1
    assert offline.flush_spool() == 0  # still no database
    assert spool.pending() == 1

    online = make_logger(repository, spool, secret_key)
    assert online.flush_spool() == 1
    assert spool.pending() == 0
    [row] = all_rows(repository)
    assert row.record_key == record.record_key
    assert row.text_redacted == "can my son get DLA"
    assert row.created_at == record.created_at
    assert online.flush_spool() == 0
    assert len(all_rows(repository)) == 1


def test_operational_error_spools_then_recovers_exactly_once(
    repository: UnansweredRepository, spool: Spool, secret_key: str, caplog: pytest.LogCaptureFixture
) -> None:
    down = DownRepository()
    logger = make_logger(down, spool, secret_key)
    records = [logger.build(f"question {i} about blue badges", "rest", "low_confidence", RANKING, f"s{i}") for i in range(3)]
    with caplog.at_level(logging.WARNING, logger="bot.unanswered.logger"):
        assert [logger.store(r) for r in records] == [None, None, None]
    assert down.calls == 3
    assert spool.pending() == 3
    assert "OperationalError" in caplog.text
    assert "blue badges" not in caplog.text  # the question itself is never logged

    assert make_logger(repository, spool, secret_key).flush_spool() == 3
    assert spool.pending() == 0
    rows = all_rows(repository)
    assert sorted(r.record_key for r in rows) == sorted(r.record_key for r in records)


def test_successful_store_flushes_the_spool(repository: UnansweredRepository, spool: Spool, secret_key: str) -> None:
    offline = make_logger(DownRepository(), spool, secret_key)
    spooled = offline.build("first", "rest", "r", [], SENDER)
    offline.store(spooled)

    online = make_logger(repository, spool, secret_key)
    fresh = online.build("second", "rest", "r", [], SENDER)
    assert isinstance(online.store(fresh), int)
    assert spool.pending() == 0
    assert sorted(r.text_redacted for r in all_rows(repository)) == ["first", "second"]


def test_replaying_a_spooled_record_that_already_reached_the_database(
    repository: UnansweredRepository, spool: Spool, secret_key: str
) -> None:
    # The database write succeeded but the process crashed before the spool line was removed.
    logger = make_logger(repository, spool, secret_key)
    record = logger.build("already stored", "rest", "r", [], SENDER)
    record_id = repository.add(record)
    spool.append(record.to_json())
    assert logger.flush_spool() == 1
    assert [r.id for r in all_rows(repository)] == [record_id]
    assert spool.pending() == 0


# --- a real database outage ---------------------------------------------------------------


def test_sqlite_directory_removed_falls_back_to_spool(tmp_path: Path, spool: Spool, secret_key: str) -> None:
    db_dir = tmp_path / "outage"
    url = f"sqlite:///{db_dir / 'sendnav.db'}"
    engine = make_engine(url)
    repository = UnansweredRepository(make_session_factory(engine))
    logger = make_logger(repository, spool, secret_key)
    assert isinstance(logger.store(logger.build("before the outage", "rest", "r", [], SENDER)), int)

    engine.dispose()  # drop pooled connections that still hold the old file open
    shutil.rmtree(db_dir)
    lost = logger.build("during the outage", "rest", "r", [], SENDER)
    assert logger.store(lost) is None
    assert spool.pending() == 1
    engine.dispose()

    # The database comes back (empty, in the same place) and the spooled record moves in once.
    engine = make_engine(url)
    try:
        restored = UnansweredRepository(make_session_factory(engine))
        assert make_logger(restored, spool, secret_key).flush_spool() == 1
        assert make_logger(restored, spool, secret_key).flush_spool() == 0
        assert [r.record_key for r in all_rows(restored)] == [lost.record_key]
        assert spool.pending() == 0
    finally:
        engine.dispose()


def test_unreachable_postgresql_falls_back_to_spool(spool: Spool, secret_key: str) -> None:
    pytest.importorskip(postgresql.dialect.driver)  # psycopg2 on SQLAlchemy 1.4, psycopg (3) on 2.1
    url = "postgresql://sendnav:x@127.0.0.1:1/sendnav"
    with pytest.raises(OperationalError):
        make_engine(url, connect_timeout=1)  # what the action server does at start
    engine = create_engine(url, future=True, connect_args={"connect_timeout": 1})
    try:
        logger = make_logger(UnansweredRepository(make_session_factory(engine)), spool, secret_key)
        assert logger.store(logger.build("is anyone there", "rest", "r", [], SENDER)) is None
        assert spool.pending() == 1
    finally:
        engine.dispose()


def test_reconnects_after_the_database_comes_back(tmp_path, repository) -> None:
    """A database that was down at start is retried, and the spooled backlog moves in."""
    from bot.store.spool import Spool
    from bot.unanswered.logger import UnansweredLogger

    attempts = []

    def connect():
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("still down")
        return repository

    spool = Spool(tmp_path / "spool" / "u.jsonl")
    logger = UnansweredLogger(None, spool, "k" * 40, connect=connect, retry_seconds=0)
    first = logger.build("council tax?", "rest", "out_of_scope", [], "s1")
    assert logger.store(first) is None and spool.pending() == 1
    second = logger.build("passport?", "rest", "out_of_scope", [], "s1")
    assert isinstance(logger.store(second), int)
    assert spool.pending() == 0
    assert sorted(r.text_redacted for r in repository.since(first.created_at.replace(year=2000))) == ["council tax?", "passport?"]
