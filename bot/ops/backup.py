"""Back up and restore both databases: the project's tables and Rasa's conversations.

`python -m bot backup` writes one folder per backup under `var/backups/`
(or `--to`), named by its UTC time: a consistent copy of each database and a
manifest with the row count of every table and a SHA-256 of every file.
SQLite is copied with SQLite's online backup API, so the assistant can keep
running; PostgreSQL with `pg_dump --format=custom` (it must be installed).
When both settings point at one PostgreSQL database it is dumped once.

`python -m bot restore FOLDER` puts a backup back into the databases the
settings name, refusing to overwrite one that has data unless `--force`,
and checks the restored row counts against the manifest.

Backups hold the same special-category data as the databases, so the folder
and files are owner-only, and `backup` deletes backups in the default folder
older than the retention period: a conversation erased on request or by the
daily purge is gone from every backup within `SEND_NAV_RETENTION_DAYS`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

from sqlalchemy import create_engine, func, inspect, select, table
from sqlalchemy.engine import make_url

from bot.settings import Settings

MANIFEST = "manifest.json"
STAMP = "%Y%m%dT%H%M%SZ"


class BackupError(RuntimeError):
    """A backup or restore could not be done; the message says why, for the operator."""


@dataclass(frozen=True)
class Database:
    """One database to back up: its role ('project' or 'tracker') and SQLAlchemy URL."""

    role: str
    url: str

    @property
    def is_sqlite(self) -> bool:
        """Return True for an SQLite file database."""
        return make_url(self.url).get_backend_name() == "sqlite"

    @property
    def file_name(self) -> str:
        """Return the name of this database's file inside a backup folder."""
        return f"{self.role}.db" if self.is_sqlite else f"{self.role}.dump"


def databases(settings: Settings) -> List[Database]:
    """Return the databases the settings name (one, if both roles share a PostgreSQL database)."""
    found = [Database("project", settings.database_url)]
    if settings.tracker_url != settings.database_url:
        found.append(Database("tracker", settings.tracker_url))
    return found


def row_counts(url: str) -> Dict[str, int]:
    """Return the number of rows in every table of a database."""
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            names = inspect(connection).get_table_names()
            return {name: int(connection.execute(select(func.count()).select_from(table(name))).scalar_one())
                    for name in sorted(names)}
    finally:
        engine.dispose()


def backup(settings: Settings, to: Optional[Path] = None, now: Optional[dt.datetime] = None) -> Path:
    """Write a backup of every database and return its folder."""
    moment = now or dt.datetime.now(dt.timezone.utc)
    root = to or settings.data_dir / "backups"
    folder = _private_dir(root) / moment.strftime(STAMP)
    folder.mkdir(mode=0o700)
    recorded: Dict[str, Dict[str, object]] = {}
    for database in databases(settings):
        target = folder / database.file_name
        if database.is_sqlite:
            _sqlite_copy(_sqlite_path(database.url), target)
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", _libpq(database.url)], "pg_dump")
        os.chmod(target, 0o600)
        recorded[database.role] = {"file": database.file_name, "sha256": _sha256(target),
                                   "rows": row_counts(database.url)}
    manifest = {"created": moment.isoformat(), "databases": recorded}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    os.chmod(folder / MANIFEST, 0o600)
    if to is None:
        prune(root, settings.retention_days, moment)
    return folder


def restore(settings: Settings, folder: Path, force: bool = False) -> Dict[str, Dict[str, int]]:
    """Restore a backup into the configured databases; return the restored row counts by role."""
    manifest = _manifest(folder)
    restored: Dict[str, Dict[str, int]] = {}
    for database in databases(settings):
        entry = manifest["databases"].get(database.role)
        if entry is None:
            raise BackupError(f"the backup has no {database.role} database")
        source = folder / entry["file"]
        if _sha256(source) != entry["sha256"]:
            raise BackupError(f"{source.name} does not match its checksum: the backup is damaged")
        if not force and _has_data(database):
            raise BackupError(f"the {database.role} database already holds data; use --force to replace it")
        if database.is_sqlite:
            if source.suffix != ".db":
                raise BackupError(f"{source.name} is a PostgreSQL dump; the {database.role} database is SQLite")
            _sqlite_copy(source, _sqlite_path(database.url))
        else:
            _run(["pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={_libpq(database.url)}",
                  str(source)], "pg_restore")
        restored[database.role] = row_counts(database.url)
        if restored[database.role] != entry["rows"]:
            raise BackupError(f"the restored {database.role} database does not have the rows the backup recorded")
    return restored


def prune(root: Path, keep_days: int, now: dt.datetime) -> List[Path]:
    """Delete backup folders in root older than keep_days; return what was deleted."""
    deleted = []
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        try:
            made = dt.datetime.strptime(folder.name, STAMP).replace(tzinfo=dt.timezone.utc)
        except ValueError:
            continue  # not one of ours
        if now - made > dt.timedelta(days=keep_days):
            shutil.rmtree(folder)
            deleted.append(folder)
    return deleted


def _has_data(database: Database) -> bool:
    if database.is_sqlite and not _sqlite_path(database.url).exists():
        return False
    return any(row_counts(database.url).values())


def _manifest(folder: Path) -> Dict[str, dict]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{folder} is not a backup folder ({exc.__class__.__name__})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("databases"), dict):
        raise BackupError(f"{folder / MANIFEST} is not a backup manifest")
    return data


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy an SQLite database page by page with the online backup API (a consistent snapshot)."""
    if not source.exists():
        raise BackupError(f"{source} does not exist")
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    os.chmod(target, 0o600)


def _libpq(url: str) -> str:
    """Return a libpq connection URI for pg_dump and pg_restore (no SQLAlchemy driver suffix)."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def _run(argv: List[str], tool: str) -> None:
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is not installed; install the PostgreSQL client tools to back up PostgreSQL")
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip()[:500]}")


def _private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
