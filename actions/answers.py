"""Answer from the knowledge base: first answers, 'tell me more' and the topic menu."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.deadline_questions import start_form
from actions.deadline_replies import deadline_reply, form_buttons, today
from actions.evidence import count
from actions.fallback import message_channel
from actions.payloads import answer_payload, answer_values, entry_button, group_buttons, related_buttons, second_topic
from actions.services import get_services
from bot.deadlines.chat import Worked, from_message
from bot.deadlines.questions import DateQuestion
from bot.store.evidence import ASKED, DEADLINE_PASSED

LAST_KB_SLOT = "last_kb_id"
CRISIS_ID = "crisis"


def _latest_intent(tracker: Tracker) -> Dict[str, Any]:
    return tracker.latest_message.get("intent") or {}


class ActionAnswer(Action):
    """Answer the question the NLU matched to a knowledge entry."""

    def name(self) -> Text:
        return "action_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Send the short answer, next steps and sources, with related buttons."""
        services = get_services()
        kb, messages = services.kb, services.messages
        entry = kb.for_intent(_latest_intent(tracker).get("name"))
        if entry is None:
            dispatcher.utter_message(text=messages.text("tell_more_what"), buttons=messages.menu_buttons())
            return []
        if entry.id == CRISIS_ID:
            # Contacts first; the SEND topic the parent also raised waits behind one button.
            also = second_topic(kb, tracker.latest_message.get("intent_ranking") or [], exclude=CRISIS_ID)
            buttons = [entry_button(also)] if also else []
        else:
            buttons = related_buttons(kb, entry, messages.buttons["tell_me_more"])
        text, payload = messages.text("answer", **answer_values(entry)), answer_payload(entry)
        worked = from_message(entry.id, tracker.latest_message.get("text") or "", today())
        if isinstance(worked, DateQuestion):
            # A date that cannot be right as read: ask about it (the deadline form sends the question).
            return [SlotSet(LAST_KB_SLOT, entry.id)] + start_form(worked)
        own = deadline_reply(messages, worked, today()) if isinstance(worked, Worked) else None
        passed = [(DEADLINE_PASSED, own.passed)] if own and own.passed else []
        await count(message_channel(tracker), [(ASKED, entry.id)] + passed)
        if own is not None:
            text, buttons = f"{own.text}\n\n{text}", own.buttons + buttons
            payload.update(own.payload)
        else:
            buttons = buttons + form_buttons(messages, entry.id)
        dispatcher.utter_message(text=text, buttons=buttons, json_message=payload)
        return [SlotSet(LAST_KB_SLOT, entry.id)] + (own.events if own else [])


class ActionTellMore(Action):
    """Give the detail of the entry the parent was last shown."""

    def name(self) -> Text:
        return "action_tell_more"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Send the detail, or say there is no more and offer related topics."""
        services = get_services()
        kb, messages = services.kb, services.messages
        entry = kb.get(tracker.get_slot(LAST_KB_SLOT) or "")
        if entry is None:
            dispatcher.utter_message(text=messages.text("tell_more_what"), buttons=messages.menu_buttons())
            return []
        buttons = related_buttons(kb, entry, tell_more_title=None)
        if entry.detail:
            text = messages.text("detail", title=entry.title, detail=entry.detail)
            dispatcher.utter_message(text=text, buttons=buttons, json_message=answer_payload(entry))
        else:
            dispatcher.utter_message(text=messages.text("no_more_detail", title=entry.title), buttons=buttons)
        return []


class ActionShowTopics(Action):
    """Show the topic menu, or the topics in one group."""

    def name(self) -> Text:
        return "action_show_topics"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """List the groups, or the entries of the group the parent picked."""
        services = get_services()
        messages = services.messages
        group = next(tracker.get_latest_entity_values("group"), None)
        try:
            menu_group = messages.group(str(group))
        except KeyError:
            dispatcher.utter_message(text=messages.text("topics"), buttons=messages.menu_buttons())
            return []
        dispatcher.utter_message(text=menu_group.intro, buttons=group_buttons(services.kb, menu_group.group))
        return []
