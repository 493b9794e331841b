"""Shared back ends for scale-out: the PostgreSQL database and the Redis lock store.

With SEND_NAV_SCALE_OUT=1 every Rasa replica reads and writes conversations
in one PostgreSQL database and takes a per-conversation lock in Redis, so
two messages of one conversation never run at the same time on two
replicas. This module checks both are reachable before anything starts,
creates the database if it is missing, and turns the Redis URL into the
variables deploy/endpoints.scale.yml reads.
"""

from __future__ import annotations

from typing import Dict

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, ProgrammingError

MAINTENANCE_DB = "postgres"


class BackendUnavailable(RuntimeError):
    """PostgreSQL or Redis cannot be reached or used."""


def _where(url: str) -> str:
    parsed = make_url(url)
    return f"{parsed.host or 'localhost'}:{parsed.port or 5432}"


def ensure_database(url: str, connect_timeout: int = 3) -> bool:
    """Create the PostgreSQL database named in `url` if it is missing; return True if it was created."""
    target = make_url(url)
    name = target.database
    if not name:
        raise BackendUnavailable(f"SEND_NAV_POSTGRES_URL names no database: {target!r}")
    engine = create_engine(
        target.set(database=MAINTENANCE_DB), isolation_level="AUTOCOMMIT", future=True,
        connect_args={"connect_timeout": connect_timeout},
    )
    try:
        with engine.connect() as connection:
            found = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}).first()
            if found:
                return False
            quoted = engine.dialect.identifier_preparer.quote(name)
            try:
                connection.execute(text(f"CREATE DATABASE {quoted}"))
            except ProgrammingError as exc:  # another process created it first
                if "already exists" not in str(exc):
                    raise
                return False
            return True
    except DBAPIError as exc:
        raise BackendUnavailable(
            f"PostgreSQL is not reachable at {_where(url)} ({str(exc.orig).strip().splitlines()[0]}). "
            "Start PostgreSQL, set SEND_NAV_POSTGRES_URL, or unset SEND_NAV_SCALE_OUT to run on SQLite."
        ) from exc
    finally:
        engine.dispose()


def check_redis(url: str, timeout: float = 3.0) -> None:
    """Raise BackendUnavailable unless the Redis server at `url` answers PING."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise BackendUnavailable(
            f"Redis is not reachable at {url} ({exc}). Rasa replicas need it to lock conversations: "
            "start Redis, set SEND_NAV_REDIS_URL, or unset SEND_NAV_SCALE_OUT."
        ) from exc
    finally:
        client.close()


# Rasa keeps a conversation's lock this long (TICKET_LOCK_LIFETIME, default 60 s) when the
# replica holding it dies mid-turn. A turn takes well under a second, so 10 s lets the next
# message go through soon after a crash instead of getting the fallback for a minute.
LOCK_LIFETIME_SECONDS = 10


def redis_env(url: str) -> Dict[str, str]:
    """Return the SEND_NAV_REDIS_* variables that deploy/endpoints.scale.yml reads, and the lock lifetime."""
    import redis

    options = redis.connection.parse_url(url)
    return {
        "SEND_NAV_REDIS_HOST": str(options.get("host", "127.0.0.1")),
        "SEND_NAV_REDIS_PORT": str(options.get("port", 6379)),
        "SEND_NAV_REDIS_DB": str(options.get("db", 0)),
        "SEND_NAV_REDIS_PASSWORD": str(options.get("password") or ""),
        "TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME_SECONDS),
    }
