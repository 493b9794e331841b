"""A question asked inside a form is answered, then the parent is offered to carry on.

"Actually, what is mediation?" in the middle of the letter form is not the
parent's name: when the NLU reads a knowledge topic in a message that is a
question (and, for the date forms, holds no date), the form's slot stays
empty, the answer is sent, and the form asks its question again after one
line offering to carry on or stop. "Stop" and crisis keep their own paths.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.deadline_replies import today
from actions.payloads import answer_payload, answer_values, related_buttons
from actions.services import get_services
from actions.topic_replies import TOPIC_SLOT, form_resume, start_named_form
from bot.conversation.requests import is_button
from bot.deadlines.reading import find_dates

SURE_ENOUGH = 0.5
_QUESTION = re.compile(r"\?\s*$|^\s*(?:actually|wait|hang on|hold on|before that|sorry|quick question|btw|oh|and|"
                       r"but|also)\b|^\s*(?:what|whats|what's|how|can|could|is|isn'?t|are|does|do|did|why|when|"
                       r"whens|who|where|should|will|would|which)\b", re.IGNORECASE)


def off_script(dispatcher: CollectingDispatcher, tracker: Tracker, form: str,
               dates_expected: bool = False) -> Optional[Dict[str, Any]]:
    """Answer a knowledge question asked inside a form; return slot values to keep, or None if it was an answer."""
    message = tracker.latest_message or {}
    text = str(message.get("text") or "")
    intent = message.get("intent") or {}
    services = get_services()
    entry = services.kb.for_intent(intent.get("name"))
    if entry is None or entry.id == "crisis" or is_button(text) or not _QUESTION.search(text):
        return None
    if float(intent.get("confidence") or 0.0) < SURE_ENOUGH or (dates_expected and find_dates(text, today())):
        return None
    messages = services.messages
    dispatcher.utter_message(text=messages.text("answer", **answer_values(entry)),
                             buttons=related_buttons(services.kb, entry, None), json_message=answer_payload(entry))
    form_resume(dispatcher, services, form)
    return {TOPIC_SLOT: entry.id}


FORM_TOOLS = {"letter_form": "letter", "deadline_form": "deadline", "timeline_form": "timeline"}


def started_this_turn(tracker: Tracker, form: str) -> bool:
    """Return True if the form was activated since the parent's latest message (its first question is next)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "active_loop" and event.get("name") == form:
            return True
    return False


def intro_if_starting(dispatcher: CollectingDispatcher, tracker: Tracker, form: str) -> None:
    """Before a form's first question: what it makes, how many questions, nothing stored, "stop" ends it."""
    if started_this_turn(tracker, form) and not tracker.get_slot("deadline_check"):
        # (A form started to ask back about a date the parent gave asks only that: no introduction.)
        start_named_form(dispatcher, get_services(), FORM_TOOLS[form])
