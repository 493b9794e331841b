"""Repository for 👍 / 👎 feedback on answers."""

from __future__ import annotations

import datetime as dt
from typing import Dict, Optional, Tuple
from uuid import uuid4

from sqlalchemy import case, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.store.models import Feedback, utcnow


class FeedbackRepository:
    """Store feedback and count it per knowledge entry."""

    def __init__(self, sessions: "sessionmaker[Session]") -> None:
        self.sessions = sessions

    def add(
        self, kb_id: str, helpful: bool, channel: str, conversation_ref: str,
        record_key: Optional[str] = None, created_at: Optional[dt.datetime] = None,
    ) -> int:
        """Store one vote and return its id; a repeated record_key is stored once."""
        key = record_key or str(uuid4())
        try:
            with self.sessions.begin() as session:
                row = Feedback(
                    record_key=key, kb_id=kb_id[:64], helpful=bool(helpful), channel=channel[:32],
                    conversation_ref=conversation_ref, created_at=created_at or utcnow(),
                )
                session.add(row)
                session.flush()
                return int(row.id)
        except IntegrityError:
            with self.sessions() as session:
                existing = session.execute(select(Feedback.id).where(Feedback.record_key == key)).scalar_one_or_none()
            if existing is None:
                raise
            return int(existing)

    def counts(self, since: Optional[dt.datetime] = None) -> Dict[str, Tuple[int, int]]:
        """Return {kb_id: (helpful, not helpful)}."""
        query = select(
            Feedback.kb_id,
            func.sum(case((Feedback.helpful.is_(True), 1), else_=0)),
            func.sum(case((Feedback.helpful.is_(False), 1), else_=0)),
        ).group_by(Feedback.kb_id)
        if since is not None:
            query = query.where(Feedback.created_at >= since)
        with self.sessions() as session:
            return {kb: (int(up or 0), int(down or 0)) for kb, up, down in session.execute(query)}

    def delete_conversation(self, conversation_ref: str) -> int:
        """Erase one conversation's feedback; return how many rows went."""
        with self.sessions.begin() as session:
            return int(session.execute(delete(Feedback).where(Feedback.conversation_ref == conversation_ref)).rowcount or 0)

    def purge_before(self, cutoff: dt.datetime) -> int:
        """Delete feedback older than the cutoff; return how many rows went."""
        with self.sessions.begin() as session:
            return int(session.execute(delete(Feedback).where(Feedback.created_at < cutoff)).rowcount or 0)
