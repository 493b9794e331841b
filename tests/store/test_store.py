"""Tests for bot.store: the unanswered-log repository on SQLite."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.store import UnansweredRecord, UnansweredRepository
from bot.store.models import UNANSWERED_STATUSES, UnansweredLog

T0 = dt.datetime(2026, 1, 10, 12, 0, 0)


def record(**changes: Any) -> UnansweredRecord:
    values: Any = {
        "channel": "rest",
        "reason": "low_confidence",
        "text_redacted": "can my son get DLA",
        "intents": [{"name": "ask_personal_budgets", "confidence": 0.31}],
        "conversation_ref": "a" * 32,
    }
    values.update(changes)
    return UnansweredRecord(**values)


def count(repository: UnansweredRepository) -> int:
    with repository.sessions() as session:
        return session.execute(select(func.count()).select_from(UnansweredLog)).scalar_one()


def test_add_returns_an_id_and_stores_every_field(repository: UnansweredRepository) -> None:
    rec = record(created_at=T0)
    record_id = repository.add(rec)
    assert isinstance(record_id, int)
    [row] = repository.since(T0 - dt.timedelta(days=1))
    assert row.id == record_id
    assert row.record_key == rec.record_key
    assert row.created_at == T0
    assert row.channel == "rest"
    assert row.reason == "low_confidence"
    assert row.text_redacted == "can my son get DLA"
    assert row.intents == [{"name": "ask_personal_budgets", "confidence": 0.31}]
    assert row.conversation_ref == "a" * 32
    assert row.status == "new"


def test_ids_are_distinct(repository: UnansweredRepository) -> None:
    ids = [repository.add(record()) for _ in range(3)]
    assert len(set(ids)) == 3
    assert count(repository) == 3


def test_replayed_record_returns_same_id_without_duplicate(repository: UnansweredRepository) -> None:
    rec = record()
    first = repository.add(rec)
    assert repository.add(rec) == first
    again = UnansweredRecord.from_json(rec.to_json())  # as replayed from the spool
    assert repository.add(again) == first
    assert count(repository) == 1


def test_json_round_trip() -> None:
    rec = record(created_at=T0)
    assert UnansweredRecord.from_json(rec.to_json()) == rec
    assert rec.to_json()["created_at"] == "2026-01-10T12:00:00"


def test_since_filters_by_time_and_orders_oldest_first(repository: UnansweredRepository) -> None:
    # Inserted out of order on purpose.
    for hours, text in [(5, "c"), (1, "a"), (-3, "before"), (3, "b"), (48, "later")]:
        repository.add(record(created_at=T0 + dt.timedelta(hours=hours), text_redacted=text))
    assert [r.text_redacted for r in repository.since(T0)] == ["a", "b", "c", "later"]
    assert [r.text_redacted for r in repository.since(T0, T0 + dt.timedelta(hours=5))] == ["a", "b"]
    assert [r.text_redacted for r in repository.since(T0 - dt.timedelta(hours=3))][0] == "before"
    assert repository.since(T0 + dt.timedelta(days=30)) == []


def test_since_includes_start_excludes_end(repository: UnansweredRepository) -> None:
    repository.add(record(created_at=T0, text_redacted="edge"))
    assert [r.text_redacted for r in repository.since(T0)] == ["edge"]
    assert repository.since(T0 - dt.timedelta(hours=1), T0) == []


@pytest.mark.parametrize("status", UNANSWERED_STATUSES)
def test_set_status_accepts_known_statuses(repository: UnansweredRepository, status: str) -> None:
    record_id = repository.add(record(created_at=T0))
    assert repository.set_status(record_id, status) is True
    [row] = repository.since(T0)
    assert row.status == status


def test_three_statuses() -> None:
    assert set(UNANSWERED_STATUSES) == {"new", "reviewed", "answered-by-kb"}


@pytest.mark.parametrize("status", ["done", "NEW", "", "answered", "deleted"])
def test_set_status_rejects_unknown_statuses(repository: UnansweredRepository, status: str) -> None:
    record_id = repository.add(record(created_at=T0))
    with pytest.raises(ValueError, match="status must be one of"):
        repository.set_status(record_id, status)
    [row] = repository.since(T0)
    assert row.status == "new"


def test_set_status_on_missing_record_returns_false(repository: UnansweredRepository) -> None:
    assert repository.set_status(9999, "reviewed") is False


def test_delete_conversation_removes_only_that_conversation(repository: UnansweredRepository) -> None:
    for ref, n in (("a" * 32, 3), ("b" * 32, 2)):
        for i in range(n):
            repository.add(record(conversation_ref=ref, created_at=T0 + dt.timedelta(minutes=i)))
    assert repository.delete_conversation("a" * 32) == 3
    assert {r.conversation_ref for r in repository.since(T0)} == {"b" * 32}
    assert count(repository) == 2
    assert repository.delete_conversation("a" * 32) == 0
    assert repository.delete_conversation("c" * 32) == 0


def test_purge_before_removes_only_older_rows(repository: UnansweredRepository) -> None:
    for days in (-400, -31, -1, 0, 1):
        repository.add(record(created_at=T0 + dt.timedelta(days=days), text_redacted=str(days)))
    assert repository.purge_before(T0 - dt.timedelta(days=1)) == 2
    assert [r.text_redacted for r in repository.since(dt.datetime(2000, 1, 1))] == ["-1", "0", "1"]
    assert repository.purge_before(T0 - dt.timedelta(days=1)) == 0


def test_data_survives_a_new_engine(settings, repository: UnansweredRepository) -> None:
    from bot.store import make_engine, make_session_factory

    record_id = repository.add(record(created_at=T0))
    engine = make_engine(settings.database_url)
    try:
        other = UnansweredRepository(make_session_factory(engine))
        assert [r.id for r in other.since(T0)] == [record_id]
    finally:
        engine.dispose()



@pytest.fixture(params=["sqlite", "postgresql"])
def new_database(request, tmp_path):
    """Return the URL of a database with no tables yet (PostgreSQL only if the server answers)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'new.db'}"
        return
    from bot.ops.scale import ensure_database
    from tests.helpers.scale import drop_database, throwaway_url, unreachable

    reason = unreachable()
    if reason:
        pytest.skip(reason)
    url = throwaway_url("sendnav_schema")
    ensure_database(url)
    yield url
    drop_database(url)


def test_processes_creating_the_tables_together_all_start(new_database: str) -> None:
    """Six processes opening a new database at once (as `make run` starts them) all succeed."""
    import subprocess
    import sys
    import time

    start = time.time() + 6  # after every process has imported SQLAlchemy, all go at once
    code = (f"import time; from bot.store import make_engine; time.sleep(max(0, {start} - time.time())); "
            f"make_engine({new_database!r}).dispose()")
    processes = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE) for _ in range(6)]
    errors = [p.communicate(timeout=60)[1].decode()[-300:] for p in processes]
    assert [p.returncode for p in processes] == [0] * 6, errors
