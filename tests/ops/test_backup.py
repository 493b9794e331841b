"""Backups: a backup restored into a fresh folder (or database) holds the same rows; damage and overwrites are refused."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import stat
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import pytest
from sqlalchemy import create_engine, text

from bot.ops.backup import MANIFEST, STAMP, BackupError, backup, prune, restore, row_counts
from bot.ops.cli import main
from bot.settings import Settings, load_settings
from bot.store import FeedbackRepository, UnansweredRecord, UnansweredRepository, make_engine, make_session_factory
from tests.helpers.scale import drop_database, throwaway_url, unreachable

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.timezone.utc)
EVENTS = "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, timestamp REAL, data TEXT)"


def _settings(root: Path, secret_key: str, **urls: str) -> Settings:
    return load_settings({
        "SEND_NAV_ENV": "test", "SEND_NAV_DATA_DIR": str(root), "SEND_NAV_SECRET_KEY": secret_key,
        "SEND_NAV_DATABASE_URL": urls.get("database", f"sqlite:///{root / 'sendnav.db'}"),
        "SEND_NAV_TRACKER_URL": urls.get("tracker", f"sqlite:///{root / 'tracker.db'}"),
    })


def _fill(settings: Settings) -> None:
    """Put rows in both databases: unanswered questions, feedback and some tracker events."""
    sessions = make_session_factory(make_engine(settings.database_url))
    repository = UnansweredRepository(sessions)
    for n in range(3):
        repository.add(UnansweredRecord(channel="widget", reason="low_confidence", text_redacted=f"question {n}",
                                        intents=[], conversation_ref=f"{n:032d}"))
    FeedbackRepository(sessions).add("mediation", True, "widget", "f" * 32)
    engine = create_engine(settings.tracker_url, future=True)
    with engine.begin() as connection:
        if settings.tracker_url.startswith("sqlite"):
            connection.execute(text(EVENTS))
        else:
            connection.execute(text(EVENTS.replace("INTEGER PRIMARY KEY", "SERIAL PRIMARY KEY")))
        for n in range(4):
            connection.execute(text("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (:s, 'user', :t, '{}')"),
                               {"s": f"sender-{n}", "t": 1.0 * n})
    engine.dispose()


def _rows(url: str, table: str) -> List[Tuple[object, ...]]:
    engine = create_engine(url, future=True)
    with engine.connect() as connection:
        rows = [tuple(r) for r in connection.execute(text(f"SELECT * FROM {table} ORDER BY id"))]
    engine.dispose()
    return rows


def test_a_sqlite_backup_restored_into_a_fresh_folder_has_the_same_rows(tmp_path: Path, secret_key: str) -> None:
    old = _settings(tmp_path / "old", secret_key)
    _fill(old)
    folder = backup(old, now=NOW)
    new = _settings(tmp_path / "new", secret_key)
    restored = restore(new, folder)
    assert restored["project"]["unanswered_log"] == 3 and restored["tracker"]["events"] == 4
    for table, role in (("unanswered_log", "database_url"), ("feedback", "database_url"), ("events", "tracker_url")):
        assert _rows(getattr(new, role), table) == _rows(getattr(old, role), table)


def test_backup_files_are_owner_only_and_checksummed(tmp_path: Path, secret_key: str) -> None:
    settings = _settings(tmp_path, secret_key)
    _fill(settings)
    folder = backup(settings, now=NOW)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()} == {
        "project.db": 0o600, "tracker.db": 0o600, MANIFEST: 0o600}
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["databases"]["project"]["rows"]["unanswered_log"] == 3


def test_restore_refuses_to_overwrite_data_unless_forced(tmp_path: Path, secret_key: str) -> None:
    settings = _settings(tmp_path, secret_key)
    _fill(settings)
    folder = backup(settings, now=NOW)
    with pytest.raises(BackupError, match="already holds data"):
        restore(settings, folder)
    assert restore(settings, folder, force=True)["project"]["unanswered_log"] == 3


def test_a_damaged_backup_is_refused(tmp_path: Path, secret_key: str) -> None:
    settings = _settings(tmp_path / "old", secret_key)
    _fill(settings)
    folder = backup(settings, now=NOW)
    with (folder / "project.db").open("r+b") as handle:
        handle.seek(4096)
        handle.write(b"\x00damaged\x00")
    with pytest.raises(BackupError, match="checksum"):
        restore(_settings(tmp_path / "new", secret_key), folder)


def test_backups_older_than_the_retention_period_are_pruned(tmp_path: Path) -> None:
    root = tmp_path / "backups"
    for days in (1, 89, 91, 400):
        (root / (NOW - dt.timedelta(days=days)).strftime(STAMP)).mkdir(parents=True)
    (root / "notes").mkdir()
    deleted = prune(root, 90, NOW)
    assert sorted(p.name for p in deleted) == sorted((NOW - dt.timedelta(days=d)).strftime(STAMP) for d in (91, 400))
    assert sorted(p.name for p in root.iterdir()) == sorted(
        [(NOW - dt.timedelta(days=d)).strftime(STAMP) for d in (1, 89)] + ["notes"])


def test_the_cli_backs_up_and_restores(tmp_path: Path, secret_key: str, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    old = _settings(tmp_path / "old", secret_key)
    _fill(old)
    _use(monkeypatch, old, secret_key)
    assert main(["backup", "--to", str(tmp_path / "out")]) == 0
    folder = next((tmp_path / "out").iterdir())
    new = _settings(tmp_path / "new", secret_key)
    _use(monkeypatch, new, secret_key)
    assert main(["restore", str(folder)]) == 0
    # The 4 rows _fill wrote, and alembic_version's one: a restored database knows its schema revision.
    assert "Restored the project database: 5 rows in" in capsys.readouterr().out
    assert main(["restore", str(tmp_path / "nothing")]) == 1


def _use(monkeypatch: pytest.MonkeyPatch, settings: Settings, secret_key: str) -> None:
    for name in list(os.environ):
        if name.startswith("SEND_NAV_"):
            monkeypatch.delenv(name)
    for name, value in {"SEND_NAV_ENV": "test", "SEND_NAV_DATA_DIR": str(settings.data_dir),
                        "SEND_NAV_SECRET_KEY": secret_key, "SEND_NAV_DATABASE_URL": settings.database_url,
                        "SEND_NAV_TRACKER_URL": settings.tracker_url}.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def postgres_pair() -> Iterator[Tuple[str, str]]:
    why = unreachable()
    if why:
        pytest.skip(why)
    urls = (throwaway_url("backup_old"), throwaway_url("backup_new"))
    from bot.ops.scale import ensure_database

    for url in urls:
        ensure_database(url)
    yield urls
    for url in urls:
        drop_database(url)


def test_a_postgresql_backup_restored_into_a_fresh_database_has_the_same_rows(
        tmp_path: Path, secret_key: str, postgres_pair: Tuple[str, str]) -> None:
    old_url, new_url = postgres_pair
    old = _settings(tmp_path / "old", secret_key, database=old_url, tracker=old_url)
    _fill(old)
    folder = backup(old, now=NOW)
    assert sorted(p.name for p in folder.iterdir()) == [MANIFEST, "project.dump"]  # one database, dumped once
    new = _settings(tmp_path / "new", secret_key, database=new_url, tracker=new_url)
    counts: Dict[str, Dict[str, int]] = restore(new, folder)
    assert counts["project"] == row_counts(old_url)
    for table in ("unanswered_log", "feedback", "events"):
        assert _rows(new_url, table) == _rows(old_url, table)


def test_sqlite_copies_are_consistent_while_a_writer_holds_the_wal(tmp_path: Path, secret_key: str) -> None:
    settings = _settings(tmp_path / "old", secret_key)
    _fill(settings)
    writer = sqlite3.connect(tmp_path / "old" / "tracker.db")
    writer.execute("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES ('late', 'user', 9, '{}')")
    writer.commit()  # committed to the WAL, not yet checkpointed into the main file
    try:
        folder = backup(settings, now=NOW)
    finally:
        writer.close()
    assert json.loads((folder / MANIFEST).read_text())["databases"]["tracker"]["rows"]["events"] == 5
    restored = restore(_settings(tmp_path / "new", secret_key), folder)
    assert restored["tracker"]["events"] == 5
