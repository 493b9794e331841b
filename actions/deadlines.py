"""The deadline form: which event, which date, then the parent's own deadline; and reminders.

A date that cannot be right as read (a weekday that disagrees, a past event
dated in the future) is not accepted: the form asks about it instead, with a
button per likely date and one to type it again (actions/deadline_questions.py).
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.deadline_questions import (CHECK, DATE, EVENT, FOCUS, SECOND, question_message, read_answer,
                                        wants_to_retype)
from actions.deadline_replies import deadline_reply, today, wants_to_stop
from actions.evidence import count
from actions.fallback import message_channel
from actions.form_turns import intro_if_starting, off_script
from actions.forms import iso_date, reset, stop_values, was_stopped
from actions.payloads import answer_payload
from actions.services import get_services
from bot.deadlines.chat import answers_for, is_date_input, rule_for_choice, second_input, work_out
from bot.deadlines.reading import parse_year
from bot.deadlines.registry import RULES
from bot.store.evidence import DEADLINE_PASSED

SLOTS = (EVENT, DATE, SECOND, CHECK, FOCUS)


class ValidateDeadlineForm(FormValidationAction):
    """Check each answer of the deadline form, and ask for a second date only when the rule needs one."""

    def name(self) -> Text:
        return "validate_deadline_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        """Return the slots still to fill: none once stopped, a second date for a mediation certificate."""
        if was_stopped(tracker):
            return []
        event = tracker.get_slot(EVENT)
        return [EVENT, DATE] + ([SECOND] if event in RULES and second_input(event) else [])

    def validate_deadline_event(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> Dict[Text, Any]:
        """Accept a rule by id or label."""
        if wants_to_stop(tracker):
            return stop_values(dispatcher, SLOTS)
        asked = off_script(dispatcher, tracker, "deadline_form")
        if asked is not None:
            return {EVENT: None, **asked}
        rule_id = rule_for_choice(str(value))
        if rule_id is None:
            dispatcher.utter_message(text=get_services().messages.text("deadline_event_unclear"))
        return {EVENT: rule_id}

    def validate_deadline_date(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> Dict[Text, Any]:
        """Accept a date (or a year, for a phase transfer); re-ask kindly if it cannot be read."""
        return self._date(DATE, value, dispatcher, tracker)

    def validate_deadline_second_date(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                      domain: DomainDict) -> Dict[Text, Any]:
        """Accept the mediation certificate date."""
        return self._date(SECOND, value, dispatcher, tracker)

    def _date(self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
        if wants_to_stop(tracker):
            return stop_values(dispatcher, SLOTS)
        asked = off_script(dispatcher, tracker, "deadline_form", dates_expected=True)
        if asked is not None:
            return {slot: None, **asked}
        messages, event, text = get_services().messages, tracker.get_slot(EVENT), str(value)
        if event not in RULES:
            return {slot: None}
        if slot == DATE and not is_date_input(event):
            year = parse_year(text, today())
            if year is None:
                dispatcher.utter_message(text=messages.text("deadline_year_unclear"))
            return {slot: year}
        index = 0 if slot == DATE else 1
        check = tracker.get_slot(CHECK)
        # Clear a question only when it was about this date (a prefilled letter date must not clear the
        # question about the certificate date).
        done = {CHECK: None} if isinstance(check, dict) and check.get("input") == RULES[event].inputs[index].name \
            else {}
        if wants_to_retype(messages, text):
            return {slot: None, **done}  # the ask action then asks the rule's own question again
        iso, question = read_answer(event, index, text)
        if question is not None:
            return {slot: None, CHECK: question}  # the ask action sends the question back
        if iso is None:
            dispatcher.utter_message(text=messages.text("deadline_date_unclear"))
        return {slot: iso, **done}


class ActionAskDeadlineEvent(Action):
    """Ask which event started the clock, with a button per rule."""

    def name(self) -> Text:
        return "action_ask_deadline_form_deadline_event"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Send the question and the rule buttons (after the form's introduction, the first time)."""
        intro_if_starting(dispatcher, tracker, "deadline_form")
        buttons = [{"title": rule.label, "payload": rule.label} for rule in RULES.values()]
        dispatcher.utter_message(text=get_services().messages.text("deadline_which_event"), buttons=buttons)
        return []


class _AskInput:
    """Ask for one of the chosen rule's facts, in the rule's own words (a mixin: not an action itself)."""

    index = 0

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Send the question back about this date if there is one, else the rule's question for it."""
        rule = RULES.get(tracker.get_slot(EVENT) or "")
        if rule is None or len(rule.inputs) <= self.index:
            return []
        intro_if_starting(dispatcher, tracker, "deadline_form")
        check = tracker.get_slot(CHECK)
        if isinstance(check, dict) and check.get("input") == rule.inputs[self.index].name:
            text, buttons, payload = question_message(get_services().messages, check, tracker.get_slot("last_kb_id"))
            dispatcher.utter_message(text=text, buttons=buttons, json_message=payload)
        else:
            dispatcher.utter_message(text=rule.inputs[self.index].question)
        return []


class ActionAskDeadlineDate(_AskInput, Action):
    """Ask for the date (or year) the chosen rule needs."""

    def name(self) -> Text:
        return "action_ask_deadline_form_deadline_date"


class ActionAskDeadlineSecondDate(_AskInput, Action):
    """Ask for the mediation certificate date."""

    index = 1

    def name(self) -> Text:
        return "action_ask_deadline_form_deadline_second_date"


class ActionDeadlineResult(Action):
    """Send the parent's deadline: text, the rule's knowledge payload and the `deadline` object."""

    def name(self) -> Text:
        return "action_deadline_result"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Work out the deadline from the form's answers and send it, offering a reminder or a letter."""
        if was_stopped(tracker) or tracker.get_slot(EVENT) not in RULES:
            return reset(SLOTS)
        services = get_services()
        messages, rule_id = services.messages, tracker.get_slot(EVENT)
        first, second = tracker.get_slot(DATE), tracker.get_slot(SECOND)
        first = first if not is_date_input(rule_id) else iso_date(first)
        focus = tracker.get_slot(FOCUS) or ()
        worked = work_out(rule_id, answers_for(rule_id, first, iso_date(second) if second else None), focus)
        reply = deadline_reply(messages, worked, today())
        if reply.passed:
            await count(message_channel(tracker), [(DEADLINE_PASSED, reply.passed)])
        entry = services.kb.get(worked.main.kb_id)
        payload = {**(answer_payload(entry) if entry else {"type": "deadline"}), **reply.payload}
        text = f"{messages.text('deadline_result_intro', label=worked.rule.label)}\n\n{reply.text}"
        dispatcher.utter_message(text=text, buttons=reply.buttons, json_message=payload)
        last = [SlotSet("last_kb_id", entry.id)] if entry else []
        return reset(SLOTS) + reply.events + last


class ActionRemindMe(Action):
    """Say where reminders are available (the channels set them)."""

    def name(self) -> Text:
        return "action_remind_me"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Explain reminders in Telegram and the calendar file in the widget."""
        dispatcher.utter_message(text=get_services().messages.text("remind_me"))
        return []


class ActionNothingToStop(Action):
    """Answer 'stop' when no form is running."""

    def name(self) -> Text:
        return "action_nothing_to_stop"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Say there is nothing to stop and offer the menu."""
        messages = get_services().messages
        dispatcher.utter_message(text=messages.text("nothing_to_stop"), buttons=messages.menu_buttons())
        return []
