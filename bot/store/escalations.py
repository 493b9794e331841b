"""Escalations to forum volunteers, and the outbox that delivers their answers.

States: open -> claimed -> answered -> closed, plus cancelled (the parent
withdrew, or erased the conversation) and returned (a volunteer handed it
back with a note; it can be claimed again). Every change is a conditional
UPDATE on the expected current state, so two volunteers can never both claim
or answer the same question.

An approved answer is written to the `deliveries` outbox in the same
transaction as the state change. Channels read undelivered rows and mark
them delivered by id, so an answer survives a restart between "answered" and
"delivered" (at-least-once) and is shown once (the id makes it idempotent).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional, Sequence

from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Integer, String, Text, delete, func, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from bot.store.models import Base, utcnow
from bot.store.parent_notices import ParentNotice

STATES = ("open", "claimed", "answered", "closed", "cancelled", "returned")
WAITING = ("open", "returned")


class TransitionError(ValueError):
    """The escalation is not in a state that allows this change."""


class Escalation(Base):
    """A parent's question handed to volunteers, with a redacted handover packet."""

    __tablename__ = "escalations"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(64), nullable=False, index=True)  # the Rasa sender id (already a keyed hash)
    channel = Column(String(32), nullable=False)
    state = Column(String(16), nullable=False, default="open", index=True)
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)
    consent_at = Column(DateTime, nullable=False)
    packet = Column(JSON, nullable=False)
    topic = Column(String(64), nullable=True, index=True)
    risk = Column(Boolean, nullable=False, default=False)
    claimed_by = Column(Integer, nullable=True)
    claimed_at = Column(DateTime, nullable=True)
    answer_text = Column(Text, nullable=True)
    answered_by = Column(Integer, nullable=True)
    answered_at = Column(DateTime, nullable=True)
    return_note = Column(Text, nullable=True)
    withdrawn = Column(Boolean, nullable=False, default=False)
    kb_candidate = Column(Boolean, nullable=False, default=False)
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)


class Delivery(Base):
    """An approved answer waiting to reach the parent's chat."""

    __tablename__ = "deliveries"

    id = Column(Integer, primary_key=True)
    escalation_id = Column(Integer, ForeignKey("escalations.id", ondelete="CASCADE"), nullable=False, unique=True)
    conversation_id = Column(String(64), nullable=False, index=True)
    channel = Column(String(32), nullable=False, index=True)
    text = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    delivered_at = Column(DateTime, nullable=True, index=True)


def withdraw(connection: Connection, where: ColumnElement) -> int:
    """Erase the matching escalations' texts, keeping each row so volunteers see it was withdrawn.

    A question still waiting or claimed is cancelled as withdrawn; every one
    loses its handover packet, answer and return note. Returns how many rows.
    """
    now = utcnow()
    connection.execute(
        update(Escalation).where(where, Escalation.state.in_(WAITING + ("claimed",)))
        .values(state="cancelled", withdrawn=True, updated_at=now)
    )
    result = connection.execute(
        update(Escalation).where(where).values(packet={"withdrawn": True}, answer_text=None, return_note=None, updated_at=now)
    )
    return int(result.rowcount or 0)


class EscalationRepository:
    """Create escalations and move them through their states safely."""

    def __init__(self, sessions: "sessionmaker[Session]") -> None:
        self.sessions = sessions

    def create(
        self, conversation_id: str, channel: str, packet: Dict[str, Any], consent_at: dt.datetime,
        topic: Optional[str] = None, risk: bool = False,
    ) -> int:
        """Open an escalation; if this conversation already has one waiting, return that one."""
        with self.sessions.begin() as session:
            existing = session.execute(
                select(Escalation.id).where(
                    Escalation.conversation_id == conversation_id, Escalation.state.in_(WAITING + ("claimed",))
                )
            ).scalar_one_or_none()
            if existing is not None:
                return int(existing)
            row = Escalation(
                conversation_id=conversation_id, channel=channel[:32], state="open", packet=packet,
                consent_at=consent_at, topic=topic, risk=risk,
            )
            session.add(row)
            session.flush()
            return int(row.id)

    def get(self, escalation_id: int) -> Optional[Escalation]:
        """Return one escalation, or None."""
        with self.sessions() as session:
            return session.get(Escalation, escalation_id)

    def latest_for(self, conversation_id: str) -> Optional[Escalation]:
        """Return the newest escalation of a conversation, or None."""
        with self.sessions() as session:
            return session.execute(
                select(Escalation).where(Escalation.conversation_id == conversation_id)
                .order_by(Escalation.created_at.desc(), Escalation.id.desc()).limit(1)
            ).scalar_one_or_none()

    def queue(
        self, states: Sequence[str] = WAITING + ("claimed",), topic: Optional[str] = None,
        channel: Optional[str] = None, older_than: Optional[dt.timedelta] = None,
    ) -> List[Escalation]:
        """Return escalations in the given states, oldest first, optionally filtered."""
        query = select(Escalation).where(Escalation.state.in_(tuple(states)))
        if topic:
            query = query.where(Escalation.topic == topic)
        if channel:
            query = query.where(Escalation.channel == channel)
        if older_than is not None:
            query = query.where(Escalation.created_at <= utcnow() - older_than)
        with self.sessions() as session:
            return list(session.execute(query.order_by(Escalation.created_at, Escalation.id)).scalars())

    def waiting_summary(self) -> Dict[str, Any]:
        """Return how many questions wait for a volunteer and since when."""
        with self.sessions() as session:
            count, oldest = session.execute(
                select(func.count(Escalation.id), func.min(Escalation.created_at)).where(Escalation.state.in_(WAITING))
            ).one()
        return {"waiting": int(count or 0), "oldest": oldest}

    def _move(self, escalation_id: int, allowed: Sequence[str], **values: Any) -> None:
        with self.sessions.begin() as session:
            result = session.execute(
                update(Escalation)
                .where(Escalation.id == escalation_id, Escalation.state.in_(tuple(allowed)))
                .values(updated_at=utcnow(), **values)
            )
            if result.rowcount != 1:
                raise TransitionError(f"escalation {escalation_id} cannot move to {values.get('state')}")

    def claim(self, escalation_id: int, volunteer_id: int) -> None:
        """Claim a waiting question; fails if someone else got there first.

        The first claim also queues "a volunteer is looking at your question" for the parent, in the same
        transaction (bot/store/parent_notices.py), so the message is sent if and only if the claim happened.
        """
        with self.sessions.begin() as session:
            now = utcnow()
            result = session.execute(
                update(Escalation).where(Escalation.id == escalation_id, Escalation.state.in_(WAITING))
                .values(state="claimed", claimed_by=volunteer_id, claimed_at=now, updated_at=now)
            )
            if result.rowcount != 1:
                raise TransitionError(f"escalation {escalation_id} cannot move to claimed")
            told = session.execute(select(ParentNotice.id).where(
                ParentNotice.escalation_id == escalation_id, ParentNotice.kind == "claimed")).first()
            row = session.get(Escalation, escalation_id)
            if told is None and row is not None:
                session.add(ParentNotice(escalation_id=escalation_id, conversation_id=row.conversation_id,
                                         channel=row.channel, kind="claimed"))

    def reassign(self, escalation_id: int, volunteer_id: int) -> None:
        """Give a claimed question to another volunteer (coordinators only; checked by the caller)."""
        self._move(escalation_id, ("claimed",), claimed_by=volunteer_id, claimed_at=utcnow())

    def give_back(self, escalation_id: int, volunteer_id: int, note: str) -> None:
        """Return a claimed question to the queue with a note."""
        with self.sessions.begin() as session:
            result = session.execute(
                update(Escalation)
                .where(Escalation.id == escalation_id, Escalation.state == "claimed", Escalation.claimed_by == volunteer_id)
                .values(state="returned", return_note=note[:2000], claimed_by=None, claimed_at=None, updated_at=utcnow())
            )
            if result.rowcount != 1:
                raise TransitionError(f"escalation {escalation_id} is not claimed by this volunteer")

    def answer(self, escalation_id: int, volunteer_id: int, text: str) -> int:
        """Approve an answer and queue it for delivery, atomically; return the delivery id."""
        with self.sessions.begin() as session:
            row = session.execute(
                select(Escalation).where(
                    Escalation.id == escalation_id, Escalation.state == "claimed", Escalation.claimed_by == volunteer_id
                ).with_for_update()
            ).scalar_one_or_none()
            if row is None:
                raise TransitionError(f"escalation {escalation_id} is not claimed by this volunteer")
            now = utcnow()
            row.state, row.answer_text, row.answered_by, row.answered_at, row.updated_at = "answered", text, volunteer_id, now, now
            delivery = Delivery(escalation_id=row.id, conversation_id=row.conversation_id, channel=row.channel, text=text)
            session.add(delivery)
            session.flush()
            return int(delivery.id)

    def close(self, escalation_id: int, volunteer_id: int, coordinator: bool = False) -> None:
        """Close an answered question: only the volunteer who answered it, or a coordinator, may."""
        query = update(Escalation).where(Escalation.id == escalation_id, Escalation.state == "answered")
        if not coordinator:
            query = query.where(Escalation.answered_by == volunteer_id)
        with self.sessions.begin() as session:
            if session.execute(query.values(state="closed", updated_at=utcnow())).rowcount != 1:
                raise TransitionError(f"escalation {escalation_id} cannot be closed by this volunteer")

    def mark_kb_candidate(self, escalation_id: int) -> None:
        """Flag an answered question as something the knowledge base should cover."""
        with self.sessions.begin() as session:
            session.execute(
                update(Escalation).where(Escalation.id == escalation_id, Escalation.state.in_(("answered", "closed")))
                .values(kb_candidate=True)
            )

    def cancel(self, conversation_id: str, withdrawn: bool = False) -> int:
        """Cancel the conversation's open or claimed questions; return how many."""
        with self.sessions.begin() as session:
            result = session.execute(
                update(Escalation)
                .where(Escalation.conversation_id == conversation_id, Escalation.state.in_(WAITING + ("claimed",)))
                .values(state="cancelled", withdrawn=withdrawn, updated_at=utcnow())
            )
            return int(result.rowcount or 0)

    def erase_conversation(self, conversation_id: str) -> int:
        """Withdraw open questions (volunteers see 'withdrawn') and delete every text of the conversation."""
        with self.sessions.begin() as session:
            session.execute(delete(Delivery).where(Delivery.conversation_id == conversation_id))
            session.execute(delete(ParentNotice).where(ParentNotice.conversation_id == conversation_id))
            return withdraw(session.connection(), Escalation.conversation_id == conversation_id)

    def pending_deliveries(self, channel: str, conversation_id: Optional[str] = None) -> List[Delivery]:
        """Return answers not yet delivered on a channel, oldest first."""
        query = select(Delivery).where(Delivery.channel == channel, Delivery.delivered_at.is_(None))
        if conversation_id is not None:
            query = query.where(Delivery.conversation_id == conversation_id)
        with self.sessions() as session:
            return list(session.execute(query.order_by(Delivery.id)).scalars())

    def mark_delivered(self, delivery_id: int) -> bool:
        """Record that an answer reached the parent; False if it already had."""
        with self.sessions.begin() as session:
            result = session.execute(
                update(Delivery).where(Delivery.id == delivery_id, Delivery.delivered_at.is_(None))
                .values(delivered_at=utcnow())
            )
            return bool(result.rowcount)

    def purge_before(self, cutoff: dt.datetime) -> int:
        """Delete escalations (and their deliveries) created before the cutoff."""
        with self.sessions.begin() as session:
            old = select(Escalation.id).where(Escalation.created_at < cutoff).scalar_subquery()
            session.execute(
                delete(Delivery).where(Delivery.escalation_id.in_(old)), execution_options={"synchronize_session": False}
            )
            session.execute(delete(ParentNotice).where(ParentNotice.escalation_id.in_(old)),
                            execution_options={"synchronize_session": False})
            return int(session.execute(delete(Escalation).where(Escalation.created_at < cutoff)).rowcount or 0)
