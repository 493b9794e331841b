"""Counts for the forum's monthly evidence report: by month, measure, key and channel, and nothing else.

Threat: a report for the council must not become a second store of what
parents said or a way back to one parent's conversation. Design: a row is a
counter. It has no text, no conversation reference, no time finer than the
month (a timestamp could be matched against the tracker store), and its
columns are closed vocabularies: a measure from MEASURES, a key that is a
knowledge-entry id or a stage id (bot/evidence/stages.py), a channel name.
Recording adds one to a counter; nothing records who or when.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Dict, List
from zoneinfo import ZoneInfo

from sqlalchemy import Column, Integer, String, UniqueConstraint, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.expression import Update

from bot.store.models import Base

LONDON = ZoneInfo("Europe/London")
ASKED, UNANSWERED, ESCALATED, DEADLINE_PASSED = "asked", "unanswered", "escalated", "deadline_passed"
MEASURES = (ASKED, UNANSWERED, ESCALATED, DEADLINE_PASSED)
NO_TOPIC = "none"
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


class EvidenceCount(Base):
    """How many times something happened in one month on one channel: a counter, never an event."""

    __tablename__ = "evidence_counts"
    __table_args__ = (UniqueConstraint("month", "measure", "item", "channel", name="uq_evidence_counts_cell"),)

    id = Column(Integer, primary_key=True)
    month = Column(String(7), nullable=False, index=True)  # "2026-11", UK time
    measure = Column(String(32), nullable=False)
    item = Column(String(64), nullable=False)  # a knowledge-entry id, a stage id or NO_TOPIC
    channel = Column(String(32), nullable=False)
    count = Column(Integer, nullable=False, default=0)


@dataclass(frozen=True)
class Cell:
    """One counter as read back."""

    measure: str
    item: str
    channel: str
    count: int


def month_of(moment: dt.datetime) -> str:
    """Return the UK month ("2026-11") a naive UTC time falls in."""
    return moment.replace(tzinfo=dt.timezone.utc).astimezone(LONDON).strftime("%Y-%m")


def uk_date(moment: dt.datetime) -> dt.date:
    """Return the UK date a naive UTC time falls on."""
    return moment.replace(tzinfo=dt.timezone.utc).astimezone(LONDON).date()


def is_month(text: str) -> bool:
    """Return True for a month written as YYYY-MM."""
    return bool(_MONTH.fullmatch(text))


def clean_item(item: str) -> str:
    """Return a counter's key if it is an id from a closed vocabulary, else NO_TOPIC (free text never lands here)."""
    item = (item or "").strip().lower()
    return item if _KEY.fullmatch(item) else NO_TOPIC


def clean_channel(channel: str) -> str:
    """Return a channel name as stored: a short id, or "unknown"."""
    channel = (channel or "").strip().lower()[:32]
    return channel if _KEY.fullmatch(channel) else "unknown"


class EvidenceRepository:
    """Add to and read the monthly counters."""

    def __init__(self, sessions: "sessionmaker[Session]") -> None:
        self.sessions = sessions

    def add(self, month: str, measure: str, item: str, channel: str, by: int = 1) -> None:
        """Add `by` to one counter, creating it at zero first if it is new."""
        if measure not in MEASURES or not is_month(month):
            raise ValueError(f"not a counter: {measure!r} in {month!r}")
        cell = {"month": month, "measure": measure, "item": clean_item(item), "channel": clean_channel(channel)}
        for _ in range(2):  # a second try only if another process created the same counter meanwhile
            with self.sessions.begin() as session:
                changed = session.execute(self._bump(cell, by)).rowcount
                if changed:
                    return
            try:
                with self.sessions.begin() as session:
                    session.execute(insert(EvidenceCount).values(**cell, count=by))
                return
            except IntegrityError:
                continue
        raise RuntimeError("evidence counter could not be written")

    @staticmethod
    def _bump(cell: Dict[str, str], by: int) -> Update:
        where = [getattr(EvidenceCount, name) == value for name, value in cell.items()]
        return update(EvidenceCount).where(*where).values(count=EvidenceCount.count + by)

    def month(self, month: str) -> List[Cell]:
        """Return every counter of one month."""
        query = select(EvidenceCount).where(EvidenceCount.month == month)
        with self.sessions() as session:
            return [Cell(r.measure, r.item, r.channel, int(r.count)) for r in session.execute(query).scalars()]

    def months(self) -> List[str]:
        """Return the months that have any counter, newest first."""
        with self.sessions() as session:
            found = session.execute(select(EvidenceCount.month).distinct()).scalars()
            return sorted(found, reverse=True)
