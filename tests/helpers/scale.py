"""Helpers for scale-out runs: consecutive free ports, throwaway PostgreSQL databases, settings."""

from __future__ import annotations

import socket
import uuid
from contextlib import ExitStack
from typing import Dict, Optional

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.ops.scale import BackendUnavailable, check_redis, ensure_database
from bot.settings import DEFAULT_POSTGRES_URL, DEFAULT_REDIS_URL, Settings, load_settings


def free_ports(count: int) -> int:
    """Return the first of `count` consecutive loopback ports nobody is listening on."""
    for _ in range(50):
        with ExitStack() as stack:
            first = stack.enter_context(socket.socket())
            first.bind(("127.0.0.1", 0))
            start = int(first.getsockname()[1])
            try:
                for offset in range(1, count):
                    sock = stack.enter_context(socket.socket())
                    sock.bind(("127.0.0.1", start + offset))
            except OSError:
                continue
            return start
    raise RuntimeError(f"no {count} consecutive free ports")


def unreachable(postgres_url: str = DEFAULT_POSTGRES_URL, redis_url: str = DEFAULT_REDIS_URL) -> Optional[str]:
    """Return why PostgreSQL or Redis cannot be used, or None if both answer."""
    try:
        # Checking the maintenance database needs no database of our own.
        ensure_database(str(make_url(postgres_url).set(database="postgres")))
        check_redis(redis_url)
    except BackendUnavailable as exc:
        return str(exc)
    return None


def throwaway_url(prefix: str, base: str = DEFAULT_POSTGRES_URL) -> str:
    """Return the URL of a uniquely named database on the same server (not created yet)."""
    return str(make_url(base).set(database=f"{prefix}_{uuid.uuid4().hex[:12]}"))


def drop_database(url: str) -> None:
    """Drop a database, closing any connection still open to it."""
    target = make_url(url)
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT", future=True)
    try:
        with engine.connect() as connection:
            connection.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name AND pid <> pg_backend_pid()"),
                {"name": target.database},
            )
            quoted = engine.dialect.identifier_preparer.quote(str(target.database))
            connection.execute(text(f"DROP DATABASE IF EXISTS {quoted}"))
    finally:
        engine.dispose()


def scale_settings(data_dir: str, postgres_url: str, rasa_replicas: int = 2, actions_replicas: int = 2,
                   extra: Optional[Dict[str, str]] = None) -> Settings:
    """Return scale-out settings on free consecutive ports, with everything in one PostgreSQL database."""
    return load_settings({
        "SEND_NAV_ENV": "test",
        "SEND_NAV_DATA_DIR": data_dir,
        "SEND_NAV_SECRET_KEY": "scale-secret-key-" + "x" * 40,
        "SEND_NAV_SCALE_OUT": "1",
        "SEND_NAV_POSTGRES_URL": postgres_url,
        "SEND_NAV_RASA_REPLICAS": str(rasa_replicas),
        "SEND_NAV_ACTIONS_REPLICAS": str(actions_replicas),
        "SEND_NAV_RASA_PORT": str(free_ports(rasa_replicas)),
        "SEND_NAV_ACTIONS_PORT": str(free_ports(actions_replicas)),
        **(extra or {}),
    })
