"""Escalation to forum volunteers: offer, consent, cancel and status."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.evidence import count
from actions.fallback import message_channel
from actions.payloads import entry_button
from actions.services import get_services
from bot.handover import (OFFERED_SLOT, asked_to_cancel, build_packet, consent_given, main_topic, question_turns,
                          suggests_risk)
from bot.notify.promise_clock import promise_words
from bot.store.evidence import ESCALATED
from bot.store.models import utcnow

log = logging.getLogger(__name__)


def _human_route_buttons() -> List[Dict[str, str]]:
    services = get_services()
    return [entry_button(e) for e in map(services.kb.get, services.messages.human_route_entries) if e]


def reference(escalation_id: int) -> str:
    """Return the reference a parent can quote (short and unambiguous)."""
    return f"Q{escalation_id}"


def waited(since: dt.datetime, now: Optional[dt.datetime] = None) -> str:
    """Return a plain-English age, e.g. '3 hours' or '2 days'."""
    seconds = max(0, int(((now or utcnow()) - since).total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return "less than a minute"


class ActionOfferEscalation(Action):
    """Explain who will read the question and ask for consent before sharing anything."""

    def name(self) -> Text:
        return "action_offer_escalation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Offer a volunteer (or ask for the question first), with the human routes."""
        messages = get_services().messages
        if not question_turns(tracker.events):
            dispatcher.utter_message(text=messages.text("escalation_need_question"), json_message={"type": "handoff"})
            dispatcher.utter_message(text=messages.text("human_routes"), buttons=_human_route_buttons())
            return [SlotSet(OFFERED_SLOT, False)]
        if suggests_risk(tracker.events):
            dispatcher.utter_message(text=messages.text("escalation_offer_risk"))
        dispatcher.utter_message(
            text=messages.text("escalation_offer", reply_time=promise_words(get_services().settings.reply_promise_hours)),
            buttons=[
                {"title": messages.buttons["send_to_volunteer"], "payload": "/confirm_escalation"},
                {"title": messages.buttons["do_not_send"], "payload": "/cancel_escalation"},
            ],
            json_message={"type": "handoff"},
        )
        return [SlotSet(OFFERED_SLOT, True)]


class ActionEscalate(Action):
    """Record consent and create the escalation with its redacted handover packet."""

    def name(self) -> Text:
        return "action_escalate"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Create the escalation, or say nothing was sent if there was no offer."""
        services = get_services()
        if not tracker.get_slot(OFFERED_SLOT) or not consent_given(tracker.events):
            # "Send it to a volunteer" with no offer just before: explain and ask first; consent comes next turn.
            return await ActionOfferEscalation().run(dispatcher, tracker, domain)
        channel = message_channel(tracker)
        packet = build_packet(tracker.events, channel)
        try:
            escalation_id = services.escalations().create(
                conversation_id=tracker.sender_id, channel=channel, packet=packet, consent_at=utcnow(),
                topic=main_topic(packet), risk=suggests_risk(tracker.events),
            )
        except Exception as exc:  # noqa: BLE001 - the parent must hear that it did not go, never silence
            log.warning("escalation not stored (%s)", exc.__class__.__name__)
            dispatcher.utter_message(text=services.messages.text("escalation_failed"), buttons=_human_route_buttons())
            return []
        await count(channel, [(ESCALATED, main_topic(packet))])
        dispatcher.utter_message(
            text=services.messages.text("escalation_sent", reference=reference(escalation_id)),
            json_message={"type": "handoff", "escalation_id": escalation_id, "state": "open"},
        )
        return [SlotSet(OFFERED_SLOT, False)]


class ActionCancelEscalation(Action):
    """Decline the offer, or withdraw a question already sent."""

    def name(self) -> Text:
        return "action_cancel_escalation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Cancel and confirm what happened."""
        services = get_services()
        if tracker.get_slot(OFFERED_SLOT):
            dispatcher.utter_message(text=services.messages.text("escalation_not_sent"), buttons=services.messages.menu_buttons(False))
            return [SlotSet(OFFERED_SLOT, False)]
        repository = services.escalations()
        latest = repository.latest_for(tracker.sender_id)
        # Only this conversation's own question, withdrawn because its latest message asked for that.
        mine = latest is not None and latest.channel == message_channel(tracker) and asked_to_cancel(tracker.events)
        if latest is None or not mine or not repository.cancel(tracker.sender_id):
            dispatcher.utter_message(text=services.messages.text("escalation_none"))
            return []
        dispatcher.utter_message(text=services.messages.text("escalation_cancelled", reference=reference(latest.id)))
        return []


class ActionEscalationStatus(Action):
    """Tell the parent where their question is."""

    def name(self) -> Text:
        return "action_escalation_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Report the real state of the latest escalation."""
        messages = get_services().messages
        latest = get_services().escalations().latest_for(tracker.sender_id)
        if latest is None:
            dispatcher.utter_message(text=messages.text("escalation_none"))
            return []
        state = "waiting" if latest.state in ("open", "returned") else latest.state
        values: Dict[str, Any] = {"reference": reference(latest.id)}
        if state == "waiting":
            values["age"] = waited(latest.created_at)
        dispatcher.utter_message(
            text=messages.text(f"escalation_status_{state}", **values),
            json_message={"type": "handoff", "escalation_id": latest.id, "state": latest.state},
        )
        return []
