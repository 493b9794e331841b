"""The letter form: pick a template, answer only its questions (each skippable), get the letter and a .docx.

Privacy: the answers and the letter exist only in memory. The tracker store
never writes their values (components/tracker_store.py), nothing here logs
them, and every letter slot is emptied as soon as the letter is delivered.
"""

from __future__ import annotations

import base64
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.deadline_replies import today, wants_to_stop
from actions.form_turns import intro_if_starting, off_script
from actions.forms import reset, stop_values, was_stopped
from actions.services import get_services
from bot.letters.chat import (ANSWER_SLOT, ANSWERS_SLOT, LETTER_PAYLOAD_TYPE, LETTER_SLOTS, PREFILL_SLOT,
                             TEMPLATE_SLOT, choose_template, next_field, record_answer)
from bot.letters.templates import Template
from bot.letters.fill import TEMPLATES, fill, to_docx

REQUEST_INTENT = "request_letter"


def _template(tracker: Tracker) -> Optional[Template]:
    template_id = tracker.get_slot(TEMPLATE_SLOT)
    return TEMPLATES[template_id] if template_id in TEMPLATES else None


def _prefill(tracker: Tracker, template_id: str) -> Dict[str, Any]:
    """Return answers offered with the letter button (a missed deadline's date), if for this template."""
    prefill = tracker.get_slot(PREFILL_SLOT) or {}
    return dict(prefill.get("answers") or {}) if prefill.get("template") == template_id else {}


class ValidateLetterForm(FormValidationAction):
    """Choose the template, then collect one answer at a time into `letter_answers`."""

    def name(self) -> Text:
        return "validate_letter_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        """Ask for the template, then for `letter_answer` again until every field has an answer."""
        if was_stopped(tracker):
            return []
        template = _template(tracker)
        if template is None:
            return [TEMPLATE_SLOT]
        pending = next_field(template, tracker.get_slot(ANSWERS_SLOT) or {}) is not None
        return [TEMPLATE_SLOT, ANSWER_SLOT] if pending else [TEMPLATE_SLOT]

    async def extract_letter_template(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                      domain: DomainDict) -> Dict[Text, Any]:
        """Pick the template from the words of the request ("a letter asking for an assessment")."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if tracker.get_slot(TEMPLATE_SLOT) or intent != REQUEST_INTENT:
            return {}
        template_id = choose_template(tracker.latest_message.get("text") or "", TEMPLATES)
        return {TEMPLATE_SLOT: template_id} if template_id else {}

    def validate_letter_template(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> Dict[Text, Any]:
        """Accept a template by id, title or keyword, and start its answers (with any prefilled ones)."""
        if wants_to_stop(tracker):
            return stop_values(dispatcher, LETTER_SLOTS)
        asked = off_script(dispatcher, tracker, "letter_form")
        if asked is not None:
            return {TEMPLATE_SLOT: None, **asked}
        template_id = choose_template(str(value), TEMPLATES)
        if template_id is None:
            dispatcher.utter_message(text=get_services().messages.text("letter_template_unclear"))
            return {TEMPLATE_SLOT: None}
        return {TEMPLATE_SLOT: template_id, ANSWERS_SLOT: _prefill(tracker, template_id)}

    def validate_letter_answer(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> Dict[Text, Any]:
        """Record the answer to the current question ('skip' leaves a placeholder)."""
        if wants_to_stop(tracker):
            return stop_values(dispatcher, LETTER_SLOTS)
        asked = off_script(dispatcher, tracker, "letter_form")
        if asked is not None:
            return {ANSWER_SLOT: None, **asked}
        template = _template(tracker)
        if template is None:
            return {ANSWER_SLOT: None}
        answers = record_answer(template, tracker.get_slot(ANSWERS_SLOT) or {}, str(value))
        return {ANSWER_SLOT: None, ANSWERS_SLOT: answers}


class ActionAskLetterTemplate(Action):
    """Ask which letter, with a button per template."""

    def name(self) -> Text:
        return "action_ask_letter_form_letter_template"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Send the question and a button for each template (after the form's introduction, the first time)."""
        intro_if_starting(dispatcher, tracker, "letter_form")
        buttons = [{"title": TEMPLATES[t].title, "payload": TEMPLATES[t].title} for t in TEMPLATES]
        dispatcher.utter_message(text=get_services().messages.text("letter_choose"), buttons=buttons)
        return []


class ActionAskLetterAnswer(Action):
    """Ask the template's next question, with a Skip button."""

    def name(self) -> Text:
        return "action_ask_letter_form_letter_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Send the next field's question (after the form's introduction, the first time)."""
        intro_if_starting(dispatcher, tracker, "letter_form")
        template = _template(tracker)
        field = next_field(template, tracker.get_slot(ANSWERS_SLOT) or {}) if template else None
        if field is not None:
            messages = get_services().messages
            dispatcher.utter_message(text=messages.text("letter_skip_hint", question=field.question),
                                     buttons=[{"title": messages.buttons["skip"], "payload": "skip"}])
        return []


class ActionDeliverLetter(Action):
    """Send the letter as text and as a .docx payload, then forget every answer."""

    def name(self) -> Text:
        return "action_deliver_letter"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Fill the template in memory, send it, and empty every letter slot."""
        template = _template(tracker)
        if was_stopped(tracker) or template is None:
            return reset(LETTER_SLOTS)
        letter = fill(template.id, tracker.get_slot(ANSWERS_SLOT) or {}, today())
        payload = {"type": LETTER_PAYLOAD_TYPE, "template": template.id, "title": letter.title,
                   "docx_base64": base64.b64encode(to_docx(letter)).decode("ascii")}
        text = get_services().messages.text("letter_ready", letter=letter.text)
        dispatcher.utter_message(text=text, json_message=payload)
        return reset(LETTER_SLOTS)
