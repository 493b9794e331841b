"""The timeline form: the key dates of an EHC needs assessment, each skippable, then where the family is."""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.deadline_replies import days, letter_button, today, wants_to_stop
from actions.evidence import count
from actions.fallback import message_channel
from actions.form_turns import intro_if_starting, off_script
from actions.forms import iso_date, reset, stop_values, was_stopped
from actions.services import get_services
from bot.deadlines.reading import parse_date
from bot.letters.chat import PREFILL_SLOT
from bot.knowledge.messages import Messages
from bot.deadlines.overdue import what_now
from bot.replies import is_skip
from bot.text import long_date
from bot.deadlines.timeline import DONE, NEXT, OVERDUE, STEPS, UNKNOWN, Step, build_timeline
from bot.evidence.stages import stage_of
from bot.store.evidence import DEADLINE_PASSED

SKIPPED = "skipped"
SLOTS = tuple(f"timeline_{key}" for key, _ in STEPS)
REQUEST_SLOT = SLOTS[0]


class ValidateTimelineForm(FormValidationAction):
    """Accept a date or 'skip' for each step; without the request date there is nothing more to ask."""

    def name(self) -> Text:
        return "validate_timeline_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        """Return the dates still to ask for."""
        if was_stopped(tracker):
            return []
        return [REQUEST_SLOT] if tracker.get_slot(REQUEST_SLOT) == SKIPPED else list(SLOTS)

    def _check(self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
        if wants_to_stop(tracker):
            return stop_values(dispatcher, SLOTS)
        asked = off_script(dispatcher, tracker, "timeline_form", dates_expected=True)
        if asked is not None:
            return {slot: None, **asked}
        if is_skip(str(value)):
            return {slot: SKIPPED}
        day = parse_date(str(value), today())
        if day is None or day > today():
            dispatcher.utter_message(text=get_services().messages.text("timeline_date_unclear"))
            return {slot: None}
        return {slot: day.isoformat()}

    def validate_timeline_request(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> Dict[Text, Any]:
        """Check the date the request was received."""
        return self._check("timeline_request", value, dispatcher, tracker)

    def validate_timeline_decision(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> Dict[Text, Any]:
        """Check the date of the decision to assess."""
        return self._check("timeline_decision", value, dispatcher, tracker)

    def validate_timeline_draft(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> Dict[Text, Any]:
        """Check the date the draft plan was sent."""
        return self._check("timeline_draft", value, dispatcher, tracker)

    def validate_timeline_final(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> Dict[Text, Any]:
        """Check the date of the final plan."""
        return self._check("timeline_final", value, dispatcher, tracker)


def _known(tracker: Tracker) -> Dict[str, Optional[dt.date]]:
    values = {key: tracker.get_slot(slot) for (key, _), slot in zip(STEPS, SLOTS)}
    return {key: iso_date(v) for key, v in values.items() if v and v != SKIPPED}


def step_line(messages: Messages, step: Step, on: dt.date) -> str:
    """Return one line of the timeline."""
    date = long_date(step.date) if step.date else ""
    if step.status == DONE:
        return messages.text("timeline_done", label=step.label, date=date)
    if step.status == OVERDUE:
        return messages.text("timeline_overdue", label=step.label, date=date, days=days(step.days_overdue(on)))
    if step.status == NEXT:
        left = step.deadline.days_left(on) if step.deadline else 0
        return messages.text("timeline_next", label=step.label, date=date, left=f"{days(left)} from today")
    if step.status == UNKNOWN or not step.date:
        return messages.text("timeline_unknown", label=step.label)
    return messages.text("timeline_waiting", label=step.label, date=date)


class ActionShowTimeline(Action):
    """Show what is done, what is next and what is overdue, with a letter for each overdue step."""

    def name(self) -> Text:
        return "action_show_timeline"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Build the timeline from the form's dates and send it."""
        if was_stopped(tracker):
            return reset(SLOTS)
        messages, on, known = get_services().messages, today(), _known(tracker)
        if "request" not in known:
            dispatcher.utter_message(text=messages.text("timeline_no_request"))
            return reset(SLOTS)
        steps = build_timeline(known, on)
        lines = [messages.text("timeline_intro")] + [step_line(messages, s, on) for s in steps]
        payload = {"type": "timeline", "steps": [
            {"step": s.key, "status": s.status, "date": s.date.isoformat() if s.date else None,
             "days_overdue": s.days_overdue(on)} for s in steps]}
        events = reset(SLOTS)
        buttons = []
        await count(message_channel(tracker), [(DEADLINE_PASSED, stage_of(s.deadline)) for s in steps
                                               if s.status == OVERDUE and s.deadline and stage_of(s.deadline)])
        overdue = [(s, what_now(s.deadline)) for s in steps if s.status == OVERDUE and s.deadline]
        overdue = [(s, now) for s, now in overdue if now.letter]
        if overdue:
            lines.append(messages.text("timeline_overdue_letter"))
        for step, now in overdue:  # every overdue step links to its letter
            button = letter_button(messages, now.letter)
            button["title"] = messages.buttons["write_letter_for"].replace("{label}", step.label)
            buttons.append(button)
        if overdue:
            # The details of the latest missed deadline are filled in for the parent.
            latest = overdue[-1][1]
            events.append(SlotSet(PREFILL_SLOT, {"template": latest.letter, "answers": dict(latest.letter_answers)}))
        dispatcher.utter_message(text="\n".join(lines), buttons=buttons, json_message=payload)
        return events


class _AskDate:
    """Ask for one date of the timeline, with Skip and Don't know buttons (a mixin: not an action itself)."""

    step = ""

    def name(self) -> Text:
        return f"action_ask_timeline_form_timeline_{self.step}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Send the question for this step (after the form's introduction, the first time)."""
        intro_if_starting(dispatcher, tracker, "timeline_form")
        messages = get_services().messages
        buttons = [{"title": messages.buttons["skip"], "payload": "skip"},
                   {"title": messages.buttons["dont_know"], "payload": "don't know"}]
        dispatcher.utter_message(text=messages.text(f"timeline_ask_{self.step}"), buttons=buttons)
        return []


class ActionAskRequestDate(_AskDate, Action):
    """Ask when the council received the request."""

    step = "request"


class ActionAskDecisionDate(_AskDate, Action):
    """Ask when the council decided to assess."""

    step = "decision"


class ActionAskDraftDate(_AskDate, Action):
    """Ask when the draft plan was sent."""

    step = "draft"


class ActionAskFinalDate(_AskDate, Action):
    """Ask when the final plan was issued."""

    step = "final"
