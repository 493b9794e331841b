"""Telegram reminders of statutory deadlines, and which of their notices have gone.

A reminder holds the keyed conversation reference, the deadline id and its
due date: never anything the parent typed. It also holds the chat id,
because a notice must be sent days later; the row (and so the chat id) is
deleted once the date has passed, when the parent cancels it or uses
/forget, and by the retention purge.

`notice_level` records the latest notice sent (1: a week before, 2: the day
before, 3: on the day). It only ever rises, by a conditional UPDATE, so a
notice marked as sent is never sent again, and marking a later notice also
marks any earlier one that was missed while the bridge was down.
"""

from __future__ import annotations

import datetime as dt
from typing import List, Optional

from sqlalchemy import BigInteger, Column, Date, DateTime, Integer, String, UniqueConstraint, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.store.models import Base, utcnow

WEEK_BEFORE, DAY_BEFORE, ON_THE_DAY = 1, 2, 3
DAYS_BEFORE = {WEEK_BEFORE: 7, DAY_BEFORE: 1, ON_THE_DAY: 0}


def notice_level(due: dt.date, council: bool, today: dt.date) -> int:
    """Return the latest notice whose day has come (0 if none); on the day only for the council's deadlines."""
    level = 0
    for notice, before in DAYS_BEFORE.items():
        if (notice != ON_THE_DAY or council) and today >= due - dt.timedelta(days=before):
            level = notice
    return level


class Reminder(Base):
    """A parent's request to be reminded of one deadline in Telegram."""

    __tablename__ = "telegram_reminders"
    __table_args__ = (UniqueConstraint("conversation_ref", "rule", "due"),)

    id = Column(Integer, primary_key=True)
    conversation_ref = Column(String(64), nullable=False, index=True)
    chat_id = Column(BigInteger, nullable=False)
    rule = Column(String(64), nullable=False)
    due = Column(Date, nullable=False, index=True)
    notice_level = Column(Integer, nullable=False, default=0)
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)


class ReminderRepository:
    """Add, list, cancel and expire reminders, and mark their notices sent."""

    def __init__(self, sessions: "sessionmaker[Session]") -> None:
        self.sessions = sessions

    def add(self, conversation_ref: str, chat_id: int, rule: str, due: dt.date, council: bool, today: dt.date) -> int:
        """Store a reminder (once per deadline and conversation) and return its id.

        Notices whose day has already gone by are counted as sent: a reminder
        set three days ahead should not announce "one week to go".
        """
        level = notice_level(due, council, today - dt.timedelta(days=1))
        try:
            with self.sessions.begin() as session:
                row = Reminder(conversation_ref=conversation_ref, chat_id=chat_id, rule=rule[:64], due=due,
                               notice_level=level, created_at=utcnow())
                session.add(row)
                session.flush()
                return int(row.id)
        except IntegrityError:
            with self.sessions() as session:
                return int(session.execute(select(Reminder.id).where(
                    Reminder.conversation_ref == conversation_ref, Reminder.rule == rule, Reminder.due == due,
                )).scalar_one())

    def for_conversation(self, conversation_ref: str) -> List[Reminder]:
        """Return a conversation's reminders, soonest first."""
        query = select(Reminder).where(Reminder.conversation_ref == conversation_ref).order_by(Reminder.due, Reminder.id)
        with self.sessions() as session:
            return list(session.execute(query).scalars())

    def get(self, reminder_id: int, conversation_ref: str) -> Optional[Reminder]:
        """Return one of a conversation's reminders, or None."""
        query = select(Reminder).where(Reminder.id == reminder_id, Reminder.conversation_ref == conversation_ref)
        with self.sessions() as session:
            return session.execute(query).scalar_one_or_none()

    def cancel(self, reminder_id: int, conversation_ref: str) -> bool:
        """Delete one of a conversation's reminders; False if it was not there."""
        with self.sessions.begin() as session:
            return bool(session.execute(delete(Reminder).where(
                Reminder.id == reminder_id, Reminder.conversation_ref == conversation_ref,
            )).rowcount)

    def pending(self, today: dt.date) -> List[Reminder]:
        """Return reminders whose date has not passed and whose last notice has not gone, soonest first."""
        query = select(Reminder).where(Reminder.due >= today, Reminder.notice_level < ON_THE_DAY)
        with self.sessions() as session:
            return list(session.execute(query.order_by(Reminder.due, Reminder.id)).scalars())

    def mark_sent(self, reminder_id: int, level: int) -> bool:
        """Record that a notice went (and any earlier one with it); False if it was already marked."""
        with self.sessions.begin() as session:
            return bool(session.execute(
                update(Reminder).where(Reminder.id == reminder_id, Reminder.notice_level < level)
                .values(notice_level=level)
            ).rowcount)

    def delete_past(self, today: dt.date) -> int:
        """Delete reminders whose date has passed; return how many went."""
        with self.sessions.begin() as session:
            return int(session.execute(delete(Reminder).where(Reminder.due < today)).rowcount or 0)

    def delete_conversation(self, conversation_ref: str) -> int:
        """Delete every reminder of a conversation; return how many went."""
        with self.sessions.begin() as session:
            return int(session.execute(delete(Reminder).where(Reminder.conversation_ref == conversation_ref)).rowcount or 0)

    def purge_before(self, cutoff: dt.datetime) -> int:
        """Delete reminders set before the cutoff; return how many went."""
        with self.sessions.begin() as session:
            return int(session.execute(delete(Reminder).where(Reminder.created_at < cutoff)).rowcount or 0)
