"""Record questions the assistant could not answer, without ever losing one.

The reply to the parent must never wait on, or fail because of, the
database. `UnansweredLogger.log` redacts first, then tries the database with
a short timeout; if that fails the record goes to an fsynced spool file,
which is written to the database on the next successful log or by
`python -m bot report`.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Callable, Dict, List, Optional, Sequence

from bot.safety.privacy import conversation_ref
from bot.safety.redact import redact
from bot.store.spool import Spool
from bot.store.unanswered import UnansweredRecord, UnansweredRepository

log = logging.getLogger(__name__)

MAX_STORED_CHARS = 2000


def top_intents(ranking: Sequence[Dict[str, Any]], limit: int = 3) -> List[Dict[str, Any]]:
    """Return the top intent names with confidences rounded for storage."""
    return [
        {"name": str(i.get("name")), "confidence": round(float(i.get("confidence") or 0.0), 4)}
        for i in list(ranking)[:limit]
    ]


class UnansweredLogger:
    """Redact, store or spool an unanswered question."""

    def __init__(
        self,
        repository: Optional[UnansweredRepository],
        spool: Spool,
        secret_key: str,
        connect: Optional[Callable[[], UnansweredRepository]] = None,
        retry_seconds: float = 30.0,
    ) -> None:
        self.repository = repository
        self.spool = spool
        self.secret_key = secret_key
        self.connect = connect
        self.retry_seconds = retry_seconds
        self._last_attempt = time.monotonic()

    def _reconnect(self) -> None:
        """Try again to reach a database that was down, at most every retry_seconds."""
        if self.repository is not None or self.connect is None:
            return
        if time.monotonic() - self._last_attempt < self.retry_seconds:
            return
        self._last_attempt = time.monotonic()
        try:
            self.repository = self.connect()
        except Exception as exc:  # noqa: BLE001 - still down; keep spooling
            log.warning("unanswered log: database still unavailable (%s)", exc.__class__.__name__)

    def build(self, text: str, channel: str, reason: str, ranking: Sequence[Dict[str, Any]], sender_id: str) -> UnansweredRecord:
        """Make a redacted record; raw text does not leave this function."""
        return UnansweredRecord(
            channel=(channel or "unknown")[:32],
            reason=reason,
            text_redacted=redact(text or "")[:MAX_STORED_CHARS],
            intents=top_intents(ranking),
            conversation_ref=conversation_ref(self.secret_key, sender_id),
        )

    def store(self, record: UnansweredRecord) -> Optional[int]:
        """Write to the database, or to the spool if it is unavailable; return the id if stored."""
        self._reconnect()
        if self.repository is None:
            self.spool.append(record.to_json())
            return None
        try:
            record_id = self.repository.add(record)
        except Exception as exc:  # noqa: BLE001 - any database fault must not reach the parent
            log.warning("unanswered log: database unavailable (%s); record spooled", exc.__class__.__name__)
            self.spool.append(record.to_json())
            return None
        self.flush_spool()
        return record_id

    def flush_spool(self) -> int:
        """Move spooled records into the database; return how many moved."""
        if self.repository is None or self.spool.pending() == 0:
            return 0
        repository = self.repository
        return self.spool.drain(lambda data: repository.add(UnansweredRecord.from_json(data)))
