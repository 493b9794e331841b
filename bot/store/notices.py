"""Notices to volunteers that questions are waiting: their preferences, and the outbox the notifier sends from.

Threat: a notice leaves the service (an email provider, a Telegram group) and
may be read on a shared screen. So a notice row holds only escalation ids and
counts, and the text built from it holds only references, topics, waits and a
dashboard link: never a parent's words or anything from a handover packet.

Design (bot/notify/worker.py drives it):
* `plan` writes a notice row per recipient (a volunteer's email, or the one
  volunteers' Telegram group) covering every waiting question newer than that
  recipient's last notice, at most once per `interval`: a burst of 500
  questions makes one notice now and one digest after the interval, not 500.
  A unique (recipient, last_escalation_id) makes a second planner's row, or
  a re-run after a crash, fail instead of doubling a notice.
* `lease` takes a due row with a conditional UPDATE, so two notifiers never
  send the same row; `mark_sent` comes only after the channel accepted it
  (at least once). A row marked sent is never sent again, so restarting
  after a crash sends no second notice; the only window for a duplicate is a
  crash between the server accepting and the commit, and an email then
  carries the same Message-ID.
* A failed send is retried later with a growing back-off (`fail`); it never
  holds up other rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Integer, String, UniqueConstraint, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.notify.rota import Preference, days_from, days_text
from bot.store.escalations import WAITING, Escalation
from bot.store.models import Base, utcnow

NEW = "new"  # the kind of a notice that questions arrived
GROUP = "group"  # the recipient name of the volunteers' Telegram group
LEASE = dt.timedelta(minutes=2)  # longer than any send may take (its timeouts are shorter)
MAX_BACKOFF = dt.timedelta(hours=1)
KEEP_SENT = dt.timedelta(days=7)


class NoticePreference(Base):
    """A volunteer's choice of channel, on-duty rota and quiet hours."""

    __tablename__ = "notice_preferences"

    volunteer_id = Column(Integer, ForeignKey("volunteers.id", ondelete="CASCADE"), primary_key=True)
    channel = Column(String(16), nullable=False, default="none")
    days = Column(String(32), nullable=False, default="mon,tue,wed,thu,fri")
    on_from = Column(Integer, nullable=False, default=9 * 60)
    on_until = Column(Integer, nullable=False, default=17 * 60)
    quiet_from = Column(Integer, nullable=True)
    quiet_until = Column(Integer, nullable=True)
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)


class Notice(Base):
    """One notice to send: which waiting questions it is about, to whom, and whether it went."""

    __tablename__ = "volunteer_notices"
    __table_args__ = (
        UniqueConstraint("recipient", "kind", "last_escalation_id", name="uq_volunteer_notices_recipient_kind_last"),
    )

    id = Column(Integer, primary_key=True)
    recipient = Column(String(32), nullable=False, index=True)  # "volunteer:<id>" or "group"
    kind = Column(String(16), nullable=False, default=NEW)  # NEW, or "overdue-<level>" (bot/notify/promise.py)
    channel = Column(String(16), nullable=False)  # "email" or "telegram"
    escalation_ids = Column(JSON, nullable=False)  # ids only, never text
    last_escalation_id = Column(Integer, nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)
    next_try_at = Column(DateTime, nullable=False, default=utcnow)
    lease_until = Column(DateTime, nullable=True)
    attempts = Column(Integer, nullable=False, default=0)
    error = Column(String(64), nullable=True)  # the exception's type name only
    sent_at = Column(DateTime, nullable=True, index=True)


@dataclass(frozen=True)
class Recipient:
    """Someone a notice may go to now."""

    name: str
    channel: str
    volunteer_id: Optional[int] = None


def volunteer_recipient(volunteer_id: int) -> str:
    """Return the recipient name of a volunteer's email notices."""
    return f"volunteer:{volunteer_id}"


def to_preference(row: Optional[NoticePreference]) -> Preference:
    """Return a stored preference as the rota's value (the opt-out default when there is none)."""
    if row is None:
        return Preference()
    return Preference(channel=row.channel, days=days_from(row.days), on_from=row.on_from, on_until=row.on_until,
                      quiet_from=row.quiet_from, quiet_until=row.quiet_until)


class NoticeRepository:
    """Preferences, planning, leasing and marking of volunteer notices."""

    def __init__(self, sessions: "sessionmaker[Session]") -> None:
        self.sessions = sessions

    def preference(self, volunteer_id: int) -> Preference:
        """Return one volunteer's preference (the default if never set)."""
        with self.sessions() as session:
            return to_preference(session.get(NoticePreference, volunteer_id))

    def save_preference(self, volunteer_id: int, preference: Preference) -> None:
        """Store a volunteer's preference, replacing any earlier one."""
        values = dict(channel=preference.channel, days=days_text(preference.days), on_from=preference.on_from,
                      on_until=preference.on_until, quiet_from=preference.quiet_from,
                      quiet_until=preference.quiet_until, updated_at=utcnow())
        with self.sessions.begin() as session:
            row = session.get(NoticePreference, volunteer_id)
            if row is None:
                session.add(NoticePreference(volunteer_id=volunteer_id, **values))
            else:
                for key, value in values.items():
                    setattr(row, key, value)

    def active_preferences(self) -> Dict[int, Tuple[str, Preference]]:
        """Return {volunteer id: (email, preference)} for active volunteers who chose a channel."""
        from bot.store.volunteers import Volunteer  # the accounts module imports nothing from here

        with self.sessions() as session:
            rows = session.execute(
                select(Volunteer.id, Volunteer.email, NoticePreference)
                .join(NoticePreference, NoticePreference.volunteer_id == Volunteer.id)
                .where(Volunteer.active.is_(True), NoticePreference.channel != "none")
            ).all()
            return {int(vid): (str(email), to_preference(pref)) for vid, email, pref in rows}

    def plan(self, recipients: Sequence[Recipient], interval: dt.timedelta, now: Optional[dt.datetime] = None,
             kind: str = NEW, listed: Optional[Sequence[int]] = None) -> List[int]:
        """Write a notice for each recipient with new questions and no notice of this kind within `interval`.

        New questions are, for NEW, those waiting; for another kind, the `listed` ids. Either way only ids
        above the recipient's last notice of the kind count, so none is told twice.
        """
        now = now or utcnow()
        planned = []
        for recipient in recipients:
            notice_id = self._plan_one(recipient, interval, now, kind, listed)
            if notice_id is not None:
                planned.append(notice_id)
        return planned

    def _plan_one(self, recipient: Recipient, interval: dt.timedelta, now: dt.datetime, kind: str,
                  listed: Optional[Sequence[int]]) -> Optional[int]:
        try:
            with self.sessions.begin() as session:
                cursor, last = session.execute(
                    select(func.max(Notice.last_escalation_id), func.max(Notice.created_at))
                    .where(Notice.recipient == recipient.name, Notice.kind == kind)
                ).one()
                if last is not None and now - last < interval:
                    return None
                if listed is None:
                    ids = [int(i) for i in session.execute(
                        select(Escalation.id).where(Escalation.state.in_(WAITING), Escalation.id > (cursor or 0))
                        .order_by(Escalation.id)
                    ).scalars()]
                else:
                    ids = sorted(i for i in set(listed) if i > (cursor or 0))
                if not ids:
                    return None
                row = Notice(recipient=recipient.name, kind=kind, channel=recipient.channel, escalation_ids=ids,
                             last_escalation_id=ids[-1], created_at=now, next_try_at=now)
                session.add(row)
                session.flush()
                return int(row.id)
        except IntegrityError:  # another notifier planned the same notice first
            return None

    def due(self, now: Optional[dt.datetime] = None, limit: int = 50) -> List[Notice]:
        """Return notices not yet sent whose next try has come and which nobody holds."""
        now = now or utcnow()
        with self.sessions() as session:
            return list(session.execute(
                select(Notice).where(
                    Notice.sent_at.is_(None), Notice.next_try_at <= now,
                    (Notice.lease_until.is_(None)) | (Notice.lease_until < now),
                ).order_by(Notice.id).limit(limit)
            ).scalars())

    def lease(self, notice_id: int, now: Optional[dt.datetime] = None) -> bool:
        """Take a notice for sending; False if it was sent or another notifier holds it."""
        now = now or utcnow()
        with self.sessions.begin() as session:
            result = session.execute(
                update(Notice).where(
                    Notice.id == notice_id, Notice.sent_at.is_(None),
                    (Notice.lease_until.is_(None)) | (Notice.lease_until < now),
                ).values(lease_until=now + LEASE, attempts=Notice.attempts + 1)
            )
            return bool(result.rowcount)

    def mark_sent(self, notice_id: int) -> bool:
        """Record that a notice went; False if it already had."""
        with self.sessions.begin() as session:
            result = session.execute(
                update(Notice).where(Notice.id == notice_id, Notice.sent_at.is_(None))
                .values(sent_at=utcnow(), lease_until=None, error=None)
            )
            return bool(result.rowcount)

    def fail(self, notice_id: int, error: str, now: Optional[dt.datetime] = None) -> None:
        """Release a notice after a failed send and try again later (1, 2, 4 ... minutes, at most an hour)."""
        now = now or utcnow()
        with self.sessions.begin() as session:
            row = session.get(Notice, notice_id)
            if row is None or row.sent_at is not None:
                return
            backoff = min(dt.timedelta(minutes=2 ** max(0, row.attempts - 1)), MAX_BACKOFF)
            row.lease_until, row.next_try_at, row.error = None, now + backoff, error[:64]

    def waiting_details(self, ids: Sequence[int], states: Sequence[str] = WAITING) -> List[Tuple[int, Optional[str], dt.datetime]]:
        """Return (id, topic, created_at) of those questions still in these states, oldest first."""
        if not ids:
            return []
        with self.sessions() as session:
            rows = session.execute(
                select(Escalation.id, Escalation.topic, Escalation.created_at)
                .where(Escalation.id.in_(list(ids)), Escalation.state.in_(tuple(states))).order_by(Escalation.id)
            ).all()
            return [(int(i), t, c) for i, t, c in rows]

    def unanswered(self) -> List[Tuple[int, str, str, bool, dt.datetime]]:
        """Return (id, conversation id, channel, risk, created_at) of every question waiting or claimed."""
        with self.sessions() as session:
            rows = session.execute(
                select(Escalation.id, Escalation.conversation_id, Escalation.channel, Escalation.risk,
                       Escalation.created_at).where(Escalation.state.in_(WAITING + ("claimed",))).order_by(Escalation.id)
            ).all()
            return [(int(i), str(c), str(ch), bool(r), t) for i, c, ch, r, t in rows]

    def coordinator_preferences(self) -> Dict[int, Preference]:
        """Return {volunteer id: preference} for active coordinators who chose a channel."""
        from bot.store.volunteers import Volunteer

        with self.sessions() as session:
            rows = session.execute(
                select(Volunteer.id, NoticePreference)
                .join(NoticePreference, NoticePreference.volunteer_id == Volunteer.id)
                .where(Volunteer.active.is_(True), Volunteer.role == "coordinator", NoticePreference.channel != "none")
            ).all()
            return {int(vid): to_preference(pref) for vid, pref in rows}

    def sent_to(self, recipient: str) -> List[Notice]:
        """Return a recipient's notices, oldest first (for the dashboard and tests)."""
        with self.sessions() as session:
            return list(session.execute(select(Notice).where(Notice.recipient == recipient).order_by(Notice.id)).scalars())

    def prune(self, now: Optional[dt.datetime] = None) -> int:
        """Delete sent notices older than a week, keeping each recipient's newest (its place in the queue)."""
        cutoff = (now or utcnow()) - KEEP_SENT
        with self.sessions.begin() as session:
            newest = select(func.max(Notice.id)).group_by(Notice.recipient, Notice.kind).scalar_subquery()
            result = session.execute(
                delete(Notice).where(Notice.sent_at.is_not(None), Notice.sent_at < cutoff, Notice.id.not_in(newest)),
                execution_options={"synchronize_session": False},
            )
            return int(result.rowcount or 0)
