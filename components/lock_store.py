"""Redis lock store whose ticket bookkeeping is atomic across Rasa replicas.

Rasa Open Source 3.6's RedisLockStore reads a conversation's ticket lock,
changes it in Python and writes it back. Two replicas taking a message for
the same conversation at the same moment can both read "no tickets", both
issue ticket 0 and both go ahead, so one turn's events overwrite the
other's (RasaHQ/rasa#9213; the fix, ConcurrentRedisLockStore, is not in the
open-source release). Here every read-modify-write of a conversation's lock
runs under a short Redis mutex (SET NX with expiry, released by token), so
tickets are issued and retired one at a time, whichever replica asks.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator, Optional

from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

MUTEX_TIMEOUT = 10  # seconds a crashed replica can hold the mutex before Redis frees it


class AtomicRedisLockStore(RedisLockStore):
    """RedisLockStore with issue, update and clean-up made atomic per conversation."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        config = dict(endpoint_config.kwargs) if endpoint_config else {}
        config.update(kwargs)
        host = (endpoint_config.url if endpoint_config else None) or config.pop("host", "localhost")
        config.pop("url", None)
        config.pop("type", None)
        password = config.pop("password", None) or None
        super().__init__(
            host=host, port=int(config.pop("port", 6379) or 6379), db=int(config.pop("db", 1) or 0),
            password=password, key_prefix=config.pop("key_prefix", None),
        )

    @contextmanager
    def _mutex(self, conversation_id: str) -> Iterator[None]:
        with self.red.lock(f"{self.key_prefix}{conversation_id}:mutex", timeout=MUTEX_TIMEOUT, blocking_timeout=MUTEX_TIMEOUT):
            yield

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Issue the next ticket for the conversation, one replica at a time."""
        with self._mutex(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: str) -> None:
        """Drop expired tickets, one replica at a time."""
        with self._mutex(conversation_id):
            super().update_lock(conversation_id)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Retire a served ticket (and the lock when nobody waits), one replica at a time."""
        with self._mutex(conversation_id):
            super().cleanup(conversation_id, ticket_number)
