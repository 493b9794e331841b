"""Engine and schema set-up.

SQLite under the data folder is the default; any SQLAlchemy URL works
(PostgreSQL in production). Written in the 2.0 style that SQLAlchemy 1.4
supports, because Rasa pins SQLAlchemy below 1.5.
"""

from __future__ import annotations

import fcntl
from pathlib import Path
from typing import Any, Dict

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from bot.store.models import Base

_SCHEMA_LOCK_KEY = 0x53454E44  # "SEND": the advisory lock that serialises table creation


def make_engine(url: str, connect_timeout: int = 3, create_schema: bool = True) -> Engine:
    """Create an engine and, unless told not to, make sure the project's tables exist."""
    # A pre-ping ("SELECT 1" at each checkout) finds server connections dropped by a restart or a
    # network blip; an SQLite file has neither, so it is only on for database servers.
    kwargs: Dict[str, Any] = {"future": True, "pool_pre_ping": not url.startswith("sqlite")}
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        kwargs["connect_args"] = {"timeout": connect_timeout}
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            # SQLAlchemy 1.4 opens and closes a new SQLite connection for every session (NullPool);
            # keep them in a pool instead, as SQLAlchemy 2.0 does. A pooled connection moves between
            # the web server's worker threads, one session at a time, hence check_same_thread=False.
            kwargs["poolclass"] = QueuePool
            kwargs["connect_args"]["check_same_thread"] = False
    elif url.startswith("postgresql"):
        kwargs["connect_args"] = {"connect_timeout": connect_timeout}
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    if create_schema:
        _create_tables(engine)
    return engine


def _create_tables(engine: Engine) -> None:
    """Create missing tables, one process at a time.

    create_all looks, then creates; the web app, action servers and bridge
    starting together on a new database could each see a table missing and
    the second CREATE would fail with "already exists". So the check and the
    creation run under a lock: an advisory lock in PostgreSQL (its DDL is
    transactional), a file lock beside an SQLite file.
    """
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK_KEY})
            Base.metadata.create_all(connection)
        return
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:":
        with open(f"{database}.schema-lock", "a", encoding="utf-8") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            Base.metadata.create_all(engine)
        return
    Base.metadata.create_all(engine)


def sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Set WAL, synchronous=NORMAL and secure_delete on a new SQLite connection (an engine "connect" listener)."""
    # WAL lets readers work while a writer commits. In WAL mode synchronous=NORMAL syncs at
    # checkpoints, not at every commit: a power cut can lose the last commits but cannot corrupt
    # the file. Each commit with the default FULL waited for the disk (bench/results/profile.md).
    # secure_delete overwrites deleted rows with zeros rather than leaving them in free space.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def compact_after_erasure(engine: Engine) -> bool:
    """Move every committed change into an SQLite file and empty its WAL; return False if a reader blocked it.

    Deleted rows are zeroed in the database pages (secure_delete), but older
    copies of those pages stay in the -wal file until SQLite happens to write
    over them (security review F8). A TRUNCATE checkpoint copies the latest
    pages into the database and cuts the WAL to nothing. Other databases keep
    no such copies, so there is nothing to do.
    """
    if engine.dialect.name != "sqlite":
        return True
    with engine.connect() as connection:
        busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return not busy or busy[0] == 0


def _sqlite_pragmas(dbapi_connection: Any, record: Any) -> None:
    sqlite_pragmas(dbapi_connection, record)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_session_factory(engine: Engine) -> "sessionmaker[Session]":
    """Return a factory for 2.0-style sessions bound to the engine."""
    return sessionmaker(engine, future=True, expire_on_commit=False)
