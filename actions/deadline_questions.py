"""Ask back about a date that cannot be right as read, in a topic answer and in the deadline form.

The question is kept in the `deadline_check` slot and sent by the form's
"ask" action for that date, with one button per date to offer and one to type
it again. Each date button's payload is the date written out with its weekday,
so the form reads it like any typed answer; "stop" still ends the form. A
topic answer whose date needs a question starts the form with the event, any
date already read and the clock asked about filled in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Mapping, Optional, Tuple

from rasa_sdk.events import EventType, FollowupAction, SlotSet

from actions.deadline_replies import shown, today
from bot.deadlines.chat import read_input
from bot.deadlines.questions import WEEKDAY_MISMATCH, DateQuestion, as_slot
from bot.deadlines.registry import RULES
from bot.deadlines.relative import WEEKDAYS
from bot.knowledge.messages import Messages
from bot.text import long_date

EVENT, DATE, SECOND = "deadline_event", "deadline_date", "deadline_second_date"
CHECK, FOCUS = "deadline_check", "deadline_focus"
FORM = "deadline_form"
QUESTION_TYPE = "deadline_question"


def start_form(question: DateQuestion) -> List[EventType]:
    """Return events that start the deadline form with what was read, asking the question first."""
    rule = question.rule
    slots = {EVENT: rule.id, CHECK: as_slot(question), FOCUS: list(question.focus)}
    for item, slot in zip(rule.inputs, (DATE, SECOND)):
        known = question.answers.get(item.name)
        slots[slot] = known.isoformat() if known is not None else None
    return [SlotSet(name, value) for name, value in slots.items()] + [FollowupAction(FORM)]


def read_answer(rule_id: str, index: int, text: str) -> Tuple[Optional[str], Optional[Dict[str, Any]]]:
    """Return (the ISO date to keep, None) for a usable answer, (None, a question) or (None, None) if unreadable."""
    result = read_input(rule_id, index, text, today())
    if isinstance(result, DateQuestion):
        return None, as_slot(result)
    return (result.isoformat() if result else None), None


def question_message(messages: Messages, check: Mapping[str, Any],
                     kb_id: Optional[str]) -> Tuple[str, List[Dict[str, str]], Dict[str, Any]]:
    """Return the text, buttons and payload of a question back about a date."""
    rule = RULES[str(check["rule"])]
    item = next(i for i in rule.inputs if i.name == check["input"])
    written = dt.date.fromisoformat(str(check["date"]))
    choices = [dt.date.fromisoformat(str(c)) for c in check["choices"]]
    if check["kind"] == WEEKDAY_MISMATCH:
        key = "deadline_weekday_clash" if written <= today() else "deadline_weekday_clash_ahead"
        text = messages.text(key, date=long_date(written), actual=f"{written:%A}",
                             said=WEEKDAYS[int(check["weekday"])].capitalize())
    else:
        text = messages.text("deadline_future_date", said=item.said.format(date=shown(written)),
                             suggestion=long_date(choices[0]))
    retype = messages.buttons["retype_date"]
    buttons = [{"title": shown(c), "payload": shown(c)} for c in choices] + [{"title": retype, "payload": retype}]
    payload = {"type": QUESTION_TYPE, "kind": check["kind"], "rule": rule.id, "input": item.name,
               "date": written.isoformat(), "choices": [c.isoformat() for c in choices], "kb_id": kb_id}
    return text, buttons, payload


def wants_to_retype(messages: Messages, text: str) -> bool:
    """Return True if the parent pressed "Let me type it again"."""
    return " ".join(text.lower().split()) == messages.buttons["retype_date"].lower()
