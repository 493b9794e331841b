"""Engine and schema set-up.

SQLite under the data folder is the default; any SQLAlchemy URL works
(PostgreSQL in production). Written in the 2.0 style that SQLAlchemy 1.4
supports, because Rasa pins SQLAlchemy below 1.5.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.store.models import Base


def make_engine(url: str, connect_timeout: int = 3, create_schema: bool = True) -> Engine:
    """Create an engine and, unless told not to, make sure the project's tables exist."""
    kwargs: Dict[str, Any] = {"future": True, "pool_pre_ping": True}
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": connect_timeout}
    elif url.startswith("postgresql"):
        kwargs["connect_args"] = {"connect_timeout": connect_timeout}
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    if create_schema:
        Base.metadata.create_all(engine)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the report and purge commands read while the action server writes.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_session_factory(engine: Engine) -> "sessionmaker[Session]":
    """Return a factory for 2.0-style sessions bound to the engine."""
    return sessionmaker(engine, future=True, expire_on_commit=False)
