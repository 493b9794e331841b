"""Short messages to a parent about their waiting question: "a volunteer is looking at it", "it is taking longer".

A row holds no text: the channel builds the words from knowledge/messages.yml
when it delivers, so nothing a parent could be identified by is copied here.
Like the answers' outbox (`deliveries`), a row is marked delivered only after
the channel sent it (at least once), and is never returned again after that.
The unique (escalation_id, kind) makes telling a parent the same thing twice
impossible, however often the notifier re-plans after a crash.
"""

from __future__ import annotations

from typing import List, Optional, Sequence, Set

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, UniqueConstraint, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.store.models import Base, utcnow

# Each is a message in knowledge/messages.yml, "promise_" + kind with "-" as "_".
KINDS = ("claimed", "overdue", "overdue-risk")


class ParentNotice(Base):
    """A message about a question's progress, waiting to reach the parent's chat."""

    __tablename__ = "parent_notices"
    __table_args__ = (UniqueConstraint("escalation_id", "kind", name="uq_parent_notices_escalation_kind"),)

    id = Column(Integer, primary_key=True)
    escalation_id = Column(Integer, ForeignKey("escalations.id", ondelete="CASCADE"), nullable=False, index=True)
    conversation_id = Column(String(64), nullable=False, index=True)
    channel = Column(String(32), nullable=False, index=True)
    kind = Column(String(16), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    delivered_at = Column(DateTime, nullable=True, index=True)


class ParentNoticeRepository:
    """Queue, list and mark the progress messages for parents."""

    def __init__(self, sessions: "sessionmaker[Session]") -> None:
        self.sessions = sessions

    def add(self, escalation_id: int, conversation_id: str, channel: str, kind: str) -> Optional[int]:
        """Queue one message for a question's chat; None if this kind was queued for it before."""
        try:
            with self.sessions.begin() as session:
                notice = ParentNotice(escalation_id=escalation_id, conversation_id=conversation_id, channel=channel,
                                      kind=kind)
                session.add(notice)
                session.flush()
                return int(notice.id)
        except IntegrityError:
            return None

    def pending(self, channel: str, conversation_id: Optional[str] = None) -> List[ParentNotice]:
        """Return messages not yet delivered on a channel, oldest first."""
        query = select(ParentNotice).where(ParentNotice.channel == channel, ParentNotice.delivered_at.is_(None))
        if conversation_id is not None:
            query = query.where(ParentNotice.conversation_id == conversation_id)
        with self.sessions() as session:
            return list(session.execute(query.order_by(ParentNotice.id)).scalars())

    def mark_delivered(self, notice_id: int) -> bool:
        """Record that a message reached the parent; False if it already had."""
        with self.sessions.begin() as session:
            result = session.execute(
                update(ParentNotice).where(ParentNotice.id == notice_id, ParentNotice.delivered_at.is_(None))
                .values(delivered_at=utcnow())
            )
            return bool(result.rowcount)

    def kinds_for(self, escalation_id: int) -> List[str]:
        """Return which messages were queued for a question."""
        with self.sessions() as session:
            return [str(k) for k in session.execute(
                select(ParentNotice.kind).where(ParentNotice.escalation_id == escalation_id).order_by(ParentNotice.id)
            ).scalars()]

    def told(self, kinds: Sequence[str]) -> Set[int]:
        """Return the ids of questions whose parent has been sent (or will be sent) one of these messages."""
        with self.sessions() as session:
            return {int(i) for i in session.execute(
                select(ParentNotice.escalation_id).where(ParentNotice.kind.in_(tuple(kinds)))).scalars()}
