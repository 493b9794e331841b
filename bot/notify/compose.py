"""The words of a volunteer notice: references, topics, waits and a dashboard link, and nothing else.

A notice goes to an email provider or a Telegram group, outside the
service, so it is built only from an escalation's id, its topic (a knowledge
base title) and how long it has waited. It never reads the handover packet,
the answer or the return note. Volunteer-facing wording lives here beside the
dashboard's own templates; parents never see it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable, List, Optional, Sequence, Tuple

LISTED = 10  # questions named one by one; the rest are counted


def waited(since: dt.datetime, now: dt.datetime) -> str:
    """Return how long a question has waited, as the dashboard shows it ("25 min", "3 h 5 min", "2 days")."""
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    return f"{hours} h {minutes % 60} min" if hours < 48 else f"{hours // 24} days"


@dataclass(frozen=True)
class Waiting:
    """One waiting question as a notice shows it."""

    reference: str
    topic: str
    waited: str


@dataclass(frozen=True)
class NoticeText:
    """A notice ready to send: a subject line (email) and a plain-text body."""

    subject: str
    body: str


def waiting_items(rows: Sequence[Tuple[int, Optional[str], dt.datetime]], topic_title: Callable[[Optional[str]], str],
                  now: dt.datetime) -> List[Waiting]:
    """Return the questions of a notice, each with only its reference, topic and wait so far."""
    return [Waiting(f"Q{escalation_id}", topic_title(topic), waited(created, now)) for escalation_id, topic, created in rows]


def new_questions(items: Sequence[Waiting], dashboard: str, preferences: str) -> NoticeText:
    """Return the notice that questions are waiting for a volunteer."""
    count = len(items)
    subject = (f"SEND Navigator: question {items[0].reference} is waiting" if count == 1
               else f"SEND Navigator: {count} questions are waiting")
    lines = [f"• {i.reference} – {i.topic} – waiting {i.waited}" for i in items[:LISTED]]
    if count > LISTED:
        lines.append(f"• and {count - LISTED} more")
    body = "\n".join([
        "A parent's question is waiting for a volunteer." if count == 1 else f"{count} parents' questions are waiting for a volunteer.",
        "", *lines, "",
        f"Read and claim them on the dashboard: {dashboard}",
        "", f"You get these notices because of your choices on the dashboard. To change them: {preferences}",
    ])
    return NoticeText(subject, body)


def overdue(items: Sequence[Waiting], level: int, promise: str, dashboard: str) -> NoticeText:
    """Return a coordinator's reminder that questions have gone past the reply-time promise."""
    count = len(items)
    urgency = {1: "Reminder", 2: "Second reminder"}.get(level, "Urgent")
    subject = f"SEND Navigator – {urgency}: {count} question{'s' if count != 1 else ''} past the {promise} promise"
    lines = [f"• {i.reference} – {i.topic} – waiting {i.waited}" for i in items[:LISTED]]
    if count > LISTED:
        lines.append(f"• and {count - LISTED} more")
    body = "\n".join([
        f"{urgency}: no answer has been approved within the promised {promise} for:", "", *lines, "",
        "The parent has been told it is taking longer and where else to get help. Their question stays in the queue.",
        f"Please find a volunteer for it: {dashboard}",
    ])
    return NoticeText(subject, body)
