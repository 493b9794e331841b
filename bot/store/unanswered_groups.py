"""What coordinators decided about a group of similar unanswered questions: drafted, or out of scope with a reply.

A group is named by its signature, the content words most of its questions
share (bot/unanswered/grouping.py), and keyed by a hash of those words so
that URLs, forms and the audit log never carry them. The words are derived
from many redacted questions and tie to no conversation; the canned reply
is a coordinator's text for parents. The assistant reads the out-of-scope
groups on each message it cannot answer, so a change takes effect at once,
with no retraining.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import FrozenSet, Iterable, List, Optional

from sqlalchemy import JSON, Column, DateTime, Integer, String, Text, select
from sqlalchemy.orm import Session, sessionmaker

from bot.store.models import Base, utcnow

DRAFTED, OUT_OF_SCOPE, OPEN = "drafted", "out_of_scope", "open"
GROUP_STATUSES = (DRAFTED, OUT_OF_SCOPE, OPEN)


class UnansweredGroup(Base):
    """A coordinator's decision about one group of unanswered questions."""

    __tablename__ = "unanswered_groups"

    id = Column(Integer, primary_key=True)
    group_key = Column(String(64), unique=True, nullable=False)
    words = Column(JSON, nullable=False)  # the signature's content words, sorted
    label = Column(String(200), nullable=False)
    status = Column(String(16), nullable=False)
    reply = Column(Text, nullable=True)  # the canned reply, for OUT_OF_SCOPE
    draft_id = Column(String(64), nullable=True)  # the knowledge draft written, for DRAFTED
    updated_at = Column(DateTime, nullable=False, default=utcnow)
    updated_by = Column(Integer, nullable=True)  # a volunteer's id


def group_key(words: Iterable[str]) -> str:
    """Return the key naming a signature: a hash of its sorted words."""
    return hashlib.sha256(" ".join(sorted(set(words))).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class GroupDecision:
    """A stored decision, as read back."""

    key: str
    words: FrozenSet[str]
    label: str
    status: str
    reply: Optional[str]
    draft_id: Optional[str]
    updated_at: dt.datetime


def _decision(row: UnansweredGroup) -> GroupDecision:
    return GroupDecision(row.group_key, frozenset(row.words or ()), row.label, row.status, row.reply, row.draft_id,
                         row.updated_at)


class UnansweredGroupRepository:
    """Store and read coordinators' decisions about groups."""

    def __init__(self, sessions: "sessionmaker[Session]") -> None:
        self.sessions = sessions

    def decide(self, words: Iterable[str], label: str, status: str, by: Optional[int], reply: Optional[str] = None,
               draft_id: Optional[str] = None, replacing: Optional[str] = None) -> str:
        """Record the decision about the group with these signature words; return its key.

        `replacing` is the key of an earlier decision about the same group, made when its words
        were different (groups grow): it is updated to the new words rather than left to match too.
        """
        if status not in GROUP_STATUSES:
            raise ValueError(f"status must be one of {GROUP_STATUSES}")
        signature = sorted(set(words))
        key = group_key(signature)
        with self.sessions.begin() as session:
            found = {r.group_key: r for r in session.execute(
                select(UnansweredGroup).where(UnansweredGroup.group_key.in_({key, replacing or key}))).scalars()}
            row = found.pop(key, None) or found.pop(replacing or key, None)
            for stale in found.values():
                session.delete(stale)
            session.flush()
            if row is None:
                row = UnansweredGroup()
                session.add(row)
            row.group_key = key
            row.words, row.label, row.status, row.updated_by, row.updated_at = signature, label[:200], status, by, utcnow()
            row.reply = reply if status == OUT_OF_SCOPE else None
            if draft_id is not None or status != DRAFTED:
                row.draft_id = draft_id
        return key

    def all(self) -> List[GroupDecision]:
        """Return every decision, newest first."""
        with self.sessions() as session:
            rows = session.execute(select(UnansweredGroup).order_by(UnansweredGroup.updated_at.desc())).scalars()
            return [_decision(r) for r in rows]

    def out_of_scope(self) -> List[GroupDecision]:
        """Return the groups that have a canned reply."""
        return [d for d in self.all() if d.status == OUT_OF_SCOPE and d.reply]
