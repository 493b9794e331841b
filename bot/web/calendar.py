"""The widget's calendar file: one all-day event for a deadline the assistant worked out.

The file is built in memory with the icalendar library and never stored. It
names the deadline and says what the law requires (deadline_labels.yml and
`bot.deadlines.statutory`), with an alarm a week before; it holds nothing the parent
typed. Only a deadline the server itself sent in this conversation can be
turned into a file: `offered_deadlines` lists them so the chat handler can
record them beside the button payloads it offered.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Dict, Iterable, List

from icalendar import Alarm, Calendar, Event

from bot.deadlines.labels import DeadlineLabels, known_deadlines, parse_due

MARK = "calendar:"  # prefix of the offered-deadline records; never accepted as a chat payload
ALARM_BEFORE = dt.timedelta(days=7)


def deadline_token(rule: str, due: dt.date) -> str:
    """Return what is recorded for an offered deadline."""
    return f"{MARK}{rule}|{due.isoformat()}"


def offered_deadlines(messages: Iterable[Dict[str, Any]]) -> List[str]:
    """Return a token for each known deadline (`deadline` and `deadlines`) in the messages' payloads."""
    tokens = []
    for message in messages:
        custom = message.get("custom")
        if not isinstance(custom, dict):
            continue
        extra = custom.get("deadlines")
        for raw in [custom.get("deadline")] + (extra if isinstance(extra, list) else []):
            if not isinstance(raw, dict):
                continue
            due = parse_due(raw.get("due"))
            if due is not None and raw.get("rule") in known_deadlines():
                tokens.append(deadline_token(str(raw["rule"]), due))
    return tokens


def calendar_file(labels: DeadlineLabels, rule: str, due: dt.date, now: dt.datetime) -> bytes:
    """Return an iCalendar file with one all-day event on the due date and an alarm a week before."""
    calendar = Calendar()
    calendar.add("prodid", "-//SEND Navigator//Deadline//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"{uuid.uuid4()}@send-navigator")
    event.add("dtstamp", now.astimezone(dt.timezone.utc))
    event.add("dtstart", due)
    event.add("dtend", due + dt.timedelta(days=1))
    event.add("summary", labels.calendar_text("summary", rule))
    event.add("description", labels.calendar_text("description", rule))
    event.add("transp", "TRANSPARENT")  # an all-day reminder, not a busy day
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", labels.calendar_text("alarm", rule))
    alarm.add("trigger", -ALARM_BEFORE)
    event.add_component(alarm)
    calendar.add_component(event)
    return calendar.to_ical()
