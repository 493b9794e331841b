"""Turn worked-out deadlines into message parts: text, payload fields, buttons and slot events.

Every reply first repeats back the dates it was worked out from, as full dates
with the weekday ("You said the decision letter is dated Friday 27 November
2026."), so a misread date can be seen; and when the tribunal's rules move an
appeal's last day, it says why in one sentence.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.payloads import bullet_list
from bot.deadlines.appeals import AUGUST, CHRISTMAS, NOT_WORKING
from bot.deadlines.chat import Worked, deadline_json
from bot.deadlines.cues import KB_RULES
from bot.deadlines.registry import RULES
from bot.deadlines.statutory import Deadline
from bot.evidence.stages import passed_stage
from bot.letters.chat import PREFILL_SLOT
from bot.knowledge.messages import Messages
from bot.deadlines.overdue import what_now
from bot.replies import is_stop
from bot.text import long_date

STOPPED_SLOT = "form_stopped"
STOP_INTENT = "stop_form"
_MAX_STOP_WORDS = 5
_MOVED = {CHRISTMAS: "deadline_moved_christmas", AUGUST: "deadline_moved_august",
          NOT_WORKING: "deadline_moved_not_working_day"}
# The appeal rule whose sentence also asks the parent to contact the mediation adviser in the 2 months.
_MEDIATION_CONTACT = "appeal-deadline"


_clock: Callable[[], dt.date] = dt.date.today  # tests replace this to fix "today"


def today() -> dt.date:
    """Return today's date (one place, so tests and the clock agree)."""
    return _clock()


def days(n: int) -> str:
    """Return '1 day' or 'n days'."""
    return f"{n} day" if n == 1 else f"{n} days"


@dataclass
class DeadlineReply:
    """What a worked-out deadline adds to a message."""

    text: str
    payload: Dict[str, Any]
    buttons: List[Dict[str, str]] = field(default_factory=list)
    events: List[EventType] = field(default_factory=list)
    passed: Optional[str] = None  # the evidence report's stage, when a council deadline had already passed


def deadline_line(messages: Messages, deadline: Deadline, on: dt.date) -> str:
    """Return the sentence for one deadline: the rule, the date and how far away it is."""
    due = long_date(deadline.due, weekday=True)
    left = deadline.days_left(on)
    if left < 0:
        return messages.text("deadline_passed", sentence=deadline.sentence, due=due, ago=days(-left))
    when = "today" if left == 0 else f"{days(left)} from today"
    return messages.text("deadline_upcoming", sentence=deadline.sentence, due=due, left=when)


def shown(value: Any) -> str:
    """Return a date as a full date with its weekday; a year as it is."""
    return long_date(value, weekday=True) if isinstance(value, dt.date) else str(value)


def you_said(messages: Messages, worked: Worked) -> str:
    """Return the sentence repeating back the dates (or year) the deadline was worked out from."""
    said = [i.said.format(date=shown(worked.answers[i.name])) for i in worked.rule.inputs if i.name in worked.answers]
    return messages.text("deadline_you_said", said=" and ".join(said))


def moved_line(messages: Messages, deadline: Deadline) -> str:
    """Return why the tribunal's rules moved an appeal's last day, or "" if they did not."""
    if not deadline.moved or deadline.ends is None:
        return ""
    ends = long_date(deadline.ends, weekday=True)
    text = messages.text(_MOVED[deadline.moved], counted=deadline.counted, ends=ends,
                         due=long_date(deadline.due, weekday=True))
    if deadline.rule == _MEDIATION_CONTACT:
        text += " " + messages.text("deadline_moved_mediation", ends=ends)
    return text


def letter_button(messages: Messages, template_id: str) -> Dict[str, str]:
    """Return a button that starts the letter form with this template."""
    entity = json.dumps({"letter_template": template_id})
    return {"title": messages.buttons["write_letter"], "payload": f"/request_letter{entity}"}


def deadline_reply(messages: Messages, worked: Worked, on: dt.date) -> DeadlineReply:
    """Return the text, payload fields, buttons and events for a worked-out deadline."""
    main = worked.main
    parts = [you_said(messages, worked), deadline_line(messages, main, on)]
    if main.moved:
        parts.append(moved_line(messages, main))
    buttons: List[Dict[str, str]] = []
    events: List[EventType] = []
    if main.is_past(on):
        now = what_now(main)
        parts.append(messages.text("deadline_what_now", steps=bullet_list(now.steps)))
        if now.letter:
            buttons.append(letter_button(messages, now.letter))
            events.append(SlotSet(PREFILL_SLOT, {"template": now.letter, "answers": dict(now.letter_answers)}))
    else:
        buttons.append({"title": messages.buttons["remind_me"], "payload": "/remind_me"})
    others = [d for d in worked.deadlines if d is not main]
    if others:
        parts.append(messages.text("deadline_others", lines=bullet_list(
            f"{d.sentence} {d.describe(on)}" for d in others)))
    payload = {"deadline": deadline_json(main), "deadlines": [deadline_json(d) for d in worked.deadlines]}
    return DeadlineReply("\n\n".join(parts), payload, buttons, events, passed_stage(main, on))


def form_buttons(messages: Messages, kb_id: str) -> List[Dict[str, str]]:
    """Return 'Work out my date' buttons for an entry whose deadlines need the parent's date, one per event."""
    rule_ids = KB_RULES.get(kb_id, ())
    title = messages.buttons["work_out_date"]
    return [
        {"title": title if len(rule_ids) == 1 else f"{title}: {RULES[r].label}",
         "payload": "/ask_deadline" + json.dumps({"deadline_event": r})}
        for r in rule_ids
    ]


def wants_to_stop(tracker: Tracker) -> bool:
    """Return True if the latest message asks to stop the form."""
    text = tracker.latest_message.get("text") or ""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return is_stop(text) or (intent == STOP_INTENT and len(text.split()) <= _MAX_STOP_WORDS)
