"""Repository for the unanswered-topic log."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List, Optional
from uuid import uuid4

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.store.models import UNANSWERED_STATUSES, UnansweredLog, utcnow


@dataclass
class UnansweredRecord:
    """One unanswered question, already redacted, ready to store."""

    channel: str
    reason: str
    text_redacted: str
    intents: List[Dict[str, Any]]
    conversation_ref: str
    created_at: dt.datetime = field(default_factory=utcnow)
    record_key: str = field(default_factory=lambda: str(uuid4()))

    def to_json(self) -> Dict[str, Any]:
        """Return a JSON-safe dict (for the spool file)."""
        data = asdict(self)
        data["created_at"] = self.created_at.isoformat()
        return data

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "UnansweredRecord":
        """Rebuild a record from `to_json` output."""
        data = dict(data)
        data["created_at"] = dt.datetime.fromisoformat(data["created_at"])
        return cls(**data)


class UnansweredRepository:
    """Store and read unanswered questions."""

    def __init__(self, sessions: "sessionmaker[Session]") -> None:
        self.sessions = sessions

    def add(self, record: UnansweredRecord) -> int:
        """Insert a record and return its id; a replayed record returns the existing id."""
        try:
            with self.sessions.begin() as session:
                row = UnansweredLog(status="new", **asdict(record))
                session.add(row)
                session.flush()
                return int(row.id)
        except IntegrityError:
            with self.sessions() as session:
                existing = session.execute(
                    select(UnansweredLog.id).where(UnansweredLog.record_key == record.record_key)
                ).scalar_one_or_none()
            if existing is None:
                raise
            return int(existing)

    def since(self, start: dt.datetime, end: Optional[dt.datetime] = None) -> List[UnansweredLog]:
        """Return records created in [start, end), oldest first."""
        query = select(UnansweredLog).where(UnansweredLog.created_at >= start)
        if end is not None:
            query = query.where(UnansweredLog.created_at < end)
        with self.sessions() as session:
            return list(session.execute(query.order_by(UnansweredLog.created_at)).scalars())

    def set_status(self, record_id: int, status: str) -> bool:
        """Change a record's status; return False if there is no such record."""
        if status not in UNANSWERED_STATUSES:
            raise ValueError(f"status must be one of {UNANSWERED_STATUSES}")
        with self.sessions.begin() as session:
            result = session.execute(
                update(UnansweredLog).where(UnansweredLog.id == record_id).values(status=status)
            )
            return bool(result.rowcount)

    def delete_conversation(self, conversation_ref: str) -> int:
        """Erase every record about one conversation; return how many went."""
        with self.sessions.begin() as session:
            result = session.execute(
                delete(UnansweredLog).where(UnansweredLog.conversation_ref == conversation_ref)
            )
            return int(result.rowcount or 0)

    def purge_before(self, cutoff: dt.datetime) -> int:
        """Delete records older than the cutoff; return how many went."""
        with self.sessions.begin() as session:
            result = session.execute(delete(UnansweredLog).where(UnansweredLog.created_at < cutoff))
            return int(result.rowcount or 0)
