"""Engines, and bringing the schema up to date when a process starts.

SQLite under the data folder is the default; any SQLAlchemy URL works
(PostgreSQL in production). The schema itself is defined by the migrations
(bot/store/schema.py). Written in the 2.0 style that SQLAlchemy 1.4
supports, because Rasa pins SQLAlchemy below 1.5.
"""

from __future__ import annotations

import fcntl
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, Optional

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool, QueuePool

_SCHEMA_LOCK_KEY = 0x53454E44  # "SEND": the advisory lock that serialises migrations


def make_engine(url: str, connect_timeout: int = 3, create_schema: bool = True) -> Engine:
    """Create an engine and, unless told not to, bring the database to the newest schema revision."""
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
        try:
            upgrade_schema(engine)
        except BaseException:
            engine.dispose()
            raise
    return engine


def upgrade_schema(engine: Engine, script_location: Optional[Path] = None, target: str = "head") -> None:
    """Migrate the database to the newest revision, one process at a time.

    The web app, action servers and bridge may start together on a database
    that is new or one revision behind, and two processes migrating at once
    would collide ("table already exists"). So reading the revision and
    migrating run under a lock: an advisory lock in PostgreSQL (its DDL is
    transactional), a file lock beside an SQLite file. An up-to-date database
    (every start but the first after an upgrade) only has its revision read.
    """
    # Imported here: components/ imports this module inside Rasa, whose image has no Alembic.
    from bot.store import schema

    scripts = script_location or schema.MIGRATIONS_DIR  # another folder only in tests
    with _schema_lock(engine) as connection:
        if schema.current(connection) != (schema.head(scripts) if target == "head" else target):
            schema.upgrade(connection, target, scripts)


def downgrade_schema(engine: Engine, target: str, script_location: Optional[Path] = None) -> None:
    """Migrate the database down to `target` ("base" drops every table), under the same lock as upgrades."""
    from bot.store import schema

    with _schema_lock(engine) as connection:
        schema.downgrade(connection, target, script_location or schema.MIGRATIONS_DIR)


@contextmanager
def _schema_lock(engine: Engine) -> Iterator[Connection]:
    """Yield a connection for migrating, holding the schema lock; commit when the block ends."""
    database = engine.url.database
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK_KEY})
            yield connection
    elif engine.dialect.name == "sqlite" and database and database != ":memory:":
        with open(f"{database}.schema-lock", "a", encoding="utf-8") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            migrator = _sqlite_migrator(engine)
            try:
                with migrator.begin() as connection:
                    yield connection
            finally:
                migrator.dispose()
    else:
        with engine.begin() as connection:
            yield connection


def _sqlite_migrator(engine: Engine) -> Engine:
    """Return an engine whose one connection runs a whole migration as a single SQLite transaction.

    Foreign keys stay off (SQLite's default) on it: batch mode rebuilds a table by
    copying it and dropping the old one, and with foreign keys on, that DROP would
    cascade, deleting the rows of every table that points at it. The driver's own
    transaction handling is off, so DDL is inside the BEGIN too: a migration that
    fails leaves nothing half done, and one commit replaces a disk sync per statement.
    """
    migrator = create_engine(engine.url, future=True, poolclass=NullPool, connect_args={"timeout": 30})

    def connect(dbapi_connection: Any, record: Any) -> None:
        sqlite_pragmas(dbapi_connection, record)
        dbapi_connection.isolation_level = None

    event.listen(migrator, "connect", connect)
    event.listen(migrator, "begin", lambda connection: connection.exec_driver_sql("BEGIN IMMEDIATE"))
    return migrator


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
