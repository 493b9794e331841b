"""Figures for the insights page and its CSV downloads. No table has a message-text column.

Everything is computed from counts and timestamps. The only words shown are
the labels of unanswered-topic groups (their three most frequent content
words, from bot/unanswered/grouping.py), never a question itself.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple
from zoneinfo import ZoneInfo

from bot.knowledge.entries import KnowledgeBase
from bot.unanswered.decisions import best_decision, status_label
from bot.unanswered.grouping import group_questions
from bot.store.escalations import STATES, Escalation, EscalationRepository
from bot.store.feedback import FeedbackRepository
from bot.store.unanswered import UnansweredRepository
from bot.store.unanswered_groups import GroupDecision

LONDON = ZoneInfo("Europe/London")
WINDOW_DAYS = 90
WEEKS = 12
TABLES = ("topics", "weekly", "feedback", "response-times", "promise", "office-hours")  # promise: promise_view.py


@dataclass(frozen=True)
class Table:
    """A captioned table of figures; `rows` hold numbers and labels only."""

    name: str
    caption: str
    columns: Tuple[str, ...]
    rows: List[Tuple[Any, ...]]


def week_start(moment: dt.datetime) -> dt.date:
    """Return the Monday of the week a (naive UTC) time falls in."""
    day = moment.date()
    return day - dt.timedelta(days=day.weekday())


def in_office_hours(moment: dt.datetime) -> bool:
    """Return True for weekdays 9:00–17:00 Europe/London (moment is naive UTC)."""
    local = moment.replace(tzinfo=dt.timezone.utc).astimezone(LONDON)
    return local.weekday() < 5 and 9 <= local.hour < 17


def percent(part: int, whole: int) -> Optional[float]:
    """Return part/whole as a percentage to one decimal place, or None when whole is 0."""
    return round(100.0 * part / whole, 1) if whole else None


def median_minutes(deltas: Iterable[dt.timedelta]) -> Optional[float]:
    """Return the median of durations in minutes, or None if there are none."""
    values = [d.total_seconds() / 60 for d in deltas]
    return round(statistics.median(values), 1) if values else None


def topics_table(texts: Sequence[str], decisions: Sequence[GroupDecision] = ()) -> Table:
    """Group unanswered questions by similarity; count each group and give the coordinators' status for it."""
    groups = group_questions(texts)
    return Table("topics", "Unanswered questions grouped by similar words (last 90 days)",
                 ("topic words", "questions", "status"),
                 [(g.label, g.count, status_label(best_decision(g.signature(), decisions))) for g in groups[:20]])


def weekly_table(unanswered: Sequence[dt.datetime], escalated: Sequence[dt.datetime], today: dt.date) -> Table:
    """Count unanswered questions and escalations per week, with the share escalated."""
    first = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=WEEKS - 1)
    u, e = Counter(week_start(t) for t in unanswered), Counter(week_start(t) for t in escalated)
    weeks = [first + dt.timedelta(weeks=i) for i in range(WEEKS)]
    return Table("weekly", "Questions per week: unanswered by the assistant, and escalated to volunteers",
                 ("week starting", "unanswered", "escalated", "escalation rate %"),
                 [(w.isoformat(), u[w], e[w], percent(e[w], u[w])) for w in weeks])


def feedback_table(counts: Dict[str, Tuple[int, int]], kb: KnowledgeBase) -> Table:
    """Return 👍/👎 counts and the helpful rate per knowledge entry."""
    rows = []
    for kb_id, (up, down) in sorted(counts.items(), key=lambda item: -sum(item[1])):
        entry = kb.get(kb_id)
        rows.append((kb_id, entry.title if entry else "(no longer in the knowledge base)", up, down, percent(up, up + down)))
    return Table("feedback", "Was this answer helpful? Votes per knowledge entry",
                 ("knowledge entry", "title", "helpful", "not helpful", "helpful %"), rows)


def response_table(escalations: Sequence[Escalation]) -> Table:
    """Return median minutes from escalation to first claim and to an approved answer."""
    claimed = [e.claimed_at - e.created_at for e in escalations if e.claimed_at]
    answered = [e.answered_at - e.created_at for e in escalations if e.answered_at]
    return Table("response-times", "Time to a volunteer's first reply (medians)",
                 ("measure", "median minutes", "questions"),
                 [("claimed by a volunteer", median_minutes(claimed), len(claimed)),
                  ("answer approved", median_minutes(answered), len(answered))])


def office_hours_table(sources: Dict[str, Sequence[dt.datetime]]) -> Table:
    """Return how many questions came in and out of office hours (weekdays 9–5, UK time)."""
    rows = []
    for name, times in sources.items():
        inside = sum(1 for t in times if in_office_hours(t))
        rows.append((name, inside, len(times) - inside, percent(len(times) - inside, len(times))))
    return Table("office-hours", "Questions asked in and out of office hours (weekdays 9:00–17:00 UK time)",
                 ("questions", "in office hours", "out of hours", "out of hours %"), rows)


def build_tables(
    unanswered: UnansweredRepository, escalations: EscalationRepository, feedback: FeedbackRepository,
    kb: KnowledgeBase, now: dt.datetime, decisions: Sequence[GroupDecision] = (),
) -> Dict[str, Table]:
    """Compute every insights table for the last WINDOW_DAYS days."""
    start = now - dt.timedelta(days=WINDOW_DAYS)
    logged = unanswered.since(start)
    escalated = [e for e in escalations.queue(states=STATES) if e.created_at >= start]
    tables = [
        topics_table([r.text_redacted for r in logged], decisions),
        weekly_table([r.created_at for r in logged], [e.created_at for e in escalated], now.date()),
        feedback_table(feedback.counts(since=start), kb),
        response_table(escalated),
        office_hours_table({
            "unanswered by the assistant": [r.created_at for r in logged],
            "escalated to volunteers": [e.created_at for e in escalated],
        }),
    ]
    return {t.name: t for t in tables}
