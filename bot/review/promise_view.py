"""The reply-time promise on the dashboard: time left or overdue in the queue, and the weekly share kept in insights.

The promise is SEND_NAV_REPLY_PROMISE_HOURS working hours from when the
parent sent the question (bot/notify/promise_clock.py). Only ids, times and
states are read: nothing a parent wrote.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Dict, List, Sequence

from bot.notify.promise_clock import promise_due
from bot.review.insights import WEEKS, Table, percent, week_start
from bot.store.escalations import WAITING, Escalation

OPEN = WAITING + ("claimed",)
ENDED_UNANSWERED = ("cancelled",)  # withdrawn or cancelled before an answer: the promise no longer applies


@dataclass(frozen=True)
class PromiseStatus:
    """Where one question stands against the promise."""

    due: dt.datetime
    left: dt.timedelta  # negative once overdue
    open: bool  # still waiting or claimed: the promise is running

    @property
    def overdue(self) -> bool:
        """Return True once an open question has passed its promise."""
        return self.open and self.left < dt.timedelta(0)

    @property
    def words(self) -> str:
        """Return the time against the promise as a volunteer reads it at a glance."""
        if not self.open:
            return "–"
        minutes = int(abs(self.left.total_seconds()) // 60)
        span = f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"
        return f"overdue by {span}" if self.overdue else f"{span} left"


def status(row: Escalation, hours: int, now: dt.datetime) -> PromiseStatus:
    """Return a question's standing against the promise."""
    due = promise_due(row.created_at, hours)
    return PromiseStatus(due=due, left=due - now, open=row.state in OPEN)


def by_promise(rows: Sequence[Escalation], hours: int, now: dt.datetime) -> List[Escalation]:
    """Return questions with the promise running first, soonest due (most overdue) first, then the rest by age."""
    open_rows = sorted((r for r in rows if r.state in OPEN), key=lambda r: (promise_due(r.created_at, hours), r.id))
    return open_rows + [r for r in rows if r.state not in OPEN]


def statuses(rows: Sequence[Escalation], hours: int, now: dt.datetime) -> Dict[int, PromiseStatus]:
    """Return each question's status by id."""
    return {int(r.id): status(r, hours, now) for r in rows}


def promise_table(escalations: Sequence[Escalation], hours: int, now: dt.datetime, words: str) -> Table:
    """Return, per week asked, how many questions were answered within the promise, and the share."""
    first = now.date() - dt.timedelta(days=now.date().weekday()) - dt.timedelta(weeks=WEEKS - 1)
    asked: Counter = Counter()
    kept: Counter = Counter()
    missed: Counter = Counter()
    for row in escalations:
        if row.state in ENDED_UNANSWERED and row.answered_at is None:
            continue
        week = week_start(row.created_at)
        due = promise_due(row.created_at, hours)
        asked[week] += 1
        if row.answered_at is not None and row.answered_at <= due:
            kept[week] += 1
        elif row.answered_at is not None or now > due:
            missed[week] += 1
    weeks = [first + dt.timedelta(weeks=i) for i in range(WEEKS)]
    return Table("promise", f"Answered within the promise ({words}), by the week the question was asked",
                 ("week starting", "questions", "answered within the promise", "answered late or still waiting past it",
                  "not due yet", "within the promise %"),
                 [(w.isoformat(), asked[w], kept[w], missed[w], asked[w] - kept[w] - missed[w],
                   percent(kept[w], kept[w] + missed[w])) for w in weeks])
