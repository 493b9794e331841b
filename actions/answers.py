"""Answer from the knowledge base: first answers, 'tell me more' and the topic menu."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.evidence import count
from actions.fallback import message_channel, record_unanswered, send_unanswered
from actions.payloads import answer_payload, answer_values, entry_button, group_buttons, related_buttons, second_topic
from actions.services import Services, get_services
from actions.deadline_replies import today
from actions.topic_replies import (CLARIFY_SLOT, Cells, SHOWN_SLOT, TOPIC_SLOT, previous_user_text, send_also,
                                   send_answer, send_clarify, send_no_specific, send_redate, send_section)
from bot.conversation.decide import ANSWER, CLARIFY, FOLLOW_UP, NO_SPECIFIC, REDATE, Decision, Message
from bot.store.evidence import ASKED

LAST_KB_SLOT = TOPIC_SLOT
CRISIS_ID = "crisis"
SOMETHING_ELSE_INTENT = "something_else"
# Intents that name no topic themselves: read against the live topic, or honestly unanswered.
UNSURE = {"nlu_fallback": "low_confidence", "out_of_scope": "out_of_scope"}


def _latest_intent(tracker: Tracker) -> Dict[str, Any]:
    return tracker.latest_message.get("intent") or {}


def topic_ranking(services: Services, tracker: Tracker) -> List[Tuple[str, float]]:
    """Return (kb id, confidence) for each knowledge topic the NLU ranked, best first (crisis left out)."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    if not ranking:
        intent = _latest_intent(tracker)
        ranking = [{"name": intent.get("name"), "confidence": intent.get("confidence", 1.0)}]
    found = []
    for item in ranking:
        entry = services.kb.for_intent(item.get("name"))
        if entry is not None and entry.id != CRISIS_ID:
            found.append((entry.id, float(item.get("confidence") or 0.0)))
    return found


class ActionAnswer(Action):
    """Answer a parent's message in the conversation's thread: topics, follow-ups, dates, close calls."""

    def name(self) -> Text:
        return "action_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Decide what the message means (bot.conversation.decide) and send that reply."""
        services = get_services()
        intent = _latest_intent(tracker).get("name") or ""
        text = tracker.latest_message.get("text") or ""
        if intent == "ask_crisis":
            return await self._crisis(dispatcher, services, tracker)
        pending = [SlotSet(CLARIFY_SLOT, None)] if tracker.get_slot(CLARIFY_SLOT) else []
        if intent == SOMETHING_ELSE_INTENT:
            return pending + await self._unanswered(dispatcher, tracker, previous_user_text(tracker))
        live = tracker.get_slot(TOPIC_SLOT)
        live = live if live and live != CRISIS_ID else None
        shown = tracker.get_slot(SHOWN_SLOT) or {}
        decision = services.decider.decide(Message(text, topic_ranking(services, tracker), today(), live,
                                                   None, shown.get("rule") if live else None, intent == "out_of_scope",
                                                   shown.get("topic") if live and shown.get("date") else None))
        offered = tracker.get_slot(CLARIFY_SLOT) or []
        if offered and decision.entry not in offered:
            # The parent moved on without picking: the question they were asked about goes to the log.
            await record_unanswered(tracker, "low_confidence", previous_user_text(tracker))
        return pending + await self._send(dispatcher, services, tracker, decision, intent, text)

    async def _send(self, dispatcher: CollectingDispatcher, services: Services, tracker: Tracker,
                    decision: Decision, intent: str, text: str) -> List[EventType]:
        cells: Cells = []  # the evidence report's counts for this turn (topic asked, deadline passed)
        events = self._reply(dispatcher, services, tracker, decision, text, cells)
        if events is None:
            return await self._unanswered(dispatcher, tracker, text, UNSURE.get(intent, "core_fallback"))
        await count(message_channel(tracker), cells)
        return events

    def _reply(self, dispatcher: CollectingDispatcher, services: Services, tracker: Tracker, decision: Decision,
               text: str, cells: Cells) -> Optional[List[EventType]]:
        """Send the reply a decision calls for; None if there is no answer to give."""
        remembered = tracker.get_slot(SHOWN_SLOT) or {}
        if decision.action == ANSWER and decision.entry:
            entry = services.kb.get(decision.entry)
            if entry is not None:
                events = send_answer(dispatcher, services, entry, text, decision, cells, remembered)
                send_also(dispatcher, services, decision.also)
                return events
        if decision.action == FOLLOW_UP and decision.section is not None:
            return send_section(dispatcher, services, decision, text, cells, remembered)
        if decision.action == FOLLOW_UP and decision.entry:
            entry = services.kb.get(decision.entry)
            if entry is not None:
                return send_answer(dispatcher, services, entry, text, decision, cells, remembered)
        if decision.action == REDATE:
            return send_redate(dispatcher, services, decision, remembered, cells)
        if decision.action == NO_SPECIFIC:
            return send_no_specific(dispatcher, services, decision)
        if decision.action == CLARIFY:
            return send_clarify(dispatcher, services, decision)
        return None

    async def _unanswered(self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str,
                          reason: str = "low_confidence") -> List[EventType]:
        """Say honestly there is no answer, log the question (redacted) and offer the routes to people."""
        await send_unanswered(dispatcher, tracker, text, reason)
        return [SlotSet(TOPIC_SLOT, None)]

    async def _crisis(self, dispatcher: CollectingDispatcher, services: Services, tracker: Tracker) -> List[EventType]:
        """Contacts first; the SEND topic the parent also raised waits behind one button."""
        kb, messages = services.kb, services.messages
        entry = kb.get(CRISIS_ID)
        if entry is None:
            dispatcher.utter_message(text=messages.text("tell_more_what"), buttons=messages.menu_buttons())
            return []
        also = second_topic(kb, tracker.latest_message.get("intent_ranking") or [], exclude=CRISIS_ID)
        buttons = [entry_button(also)] if also else []
        dispatcher.utter_message(text=messages.text("answer", **answer_values(entry)), buttons=buttons,
                                 json_message=answer_payload(entry))
        await count(message_channel(tracker), [(ASKED, entry.id)])
        return [SlotSet(LAST_KB_SLOT, entry.id)]


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
