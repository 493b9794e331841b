"""Escalation actions: offer, consent, cancel, status, and the redacted packet."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.escalation import (
    ActionCancelEscalation, ActionEscalate, ActionEscalationStatus, ActionOfferEscalation, reference, waited,
)
from actions.services import get_services

pytestmark = pytest.mark.anyio

SENDER = "9f1c2ab7d4e5f60718293a4b5c6d7e8f"


def _user(text: str, intent: str, channel: str = "widget") -> dict:
    return {
        "event": "user", "text": text, "metadata": {"channel": channel},
        "parse_data": {"intent": {"name": intent, "confidence": 0.9},
                       "intent_ranking": [{"name": intent, "confidence": 0.9}]},
    }


def _tracker(events, offered: bool = False, latest_intent: str = "request_human") -> Tracker:
    return Tracker.from_dict({
        "sender_id": SENDER, "slots": {"escalation_offered": offered},
        "latest_message": {"text": "x", "intent": {"name": latest_intent, "confidence": 1.0}, "intent_ranking": [], "entities": []},
        "events": events, "paused": False, "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen",
    })


QUESTION = [
    _user("can my son jo@example.com get respite on 07700 900123", "out_of_scope"),
    {"event": "bot", "text": "I don't know", "data": {"custom": {"type": "unanswered"}}},
    _user("talk to a person", "request_human"),
]
# The offer in the assistant's turn, then the parent's consent.
CONSENT = [
    {"event": "action", "name": "action_offer_escalation"},
    {"event": "slot", "name": "escalation_offered", "value": True},
    {"event": "bot", "text": "Shall I send it?"},
    {"event": "action", "name": "action_listen"},
    _user("/confirm_escalation", "confirm_escalation"),
]
CANCEL = [_user("/cancel_escalation", "cancel_escalation")]


async def test_offer_explains_and_asks_consent(dispatcher) -> None:
    events = await ActionOfferEscalation().run(dispatcher, _tracker(QUESTION), {})
    assert events == [SlotSet("escalation_offered", True)]
    offer = dispatcher.messages[-1]
    assert "not the council and not lawyers" in offer["text"]
    assert "2 working days" in offer["text"]
    assert [b["payload"] for b in offer["buttons"]] == ["/confirm_escalation", "/cancel_escalation"]
    assert offer["custom"] == {"type": "handoff"}


async def test_offer_without_a_question_asks_for_one_first(dispatcher) -> None:
    events = await ActionOfferEscalation().run(dispatcher, _tracker([_user("human please", "request_human")]), {})
    assert events == [SlotSet("escalation_offered", False)]
    assert "type your question first" in dispatcher.messages[0]["text"]


async def test_offer_after_a_crisis_shows_crisis_contacts_first(dispatcher) -> None:
    events = QUESTION[:1] + [_user("he wants to die", "ask_crisis")] + QUESTION[2:]
    await ActionOfferEscalation().run(dispatcher, _tracker(events), {})
    assert "999" in dispatcher.messages[0]["text"]


async def test_consent_creates_a_redacted_escalation(dispatcher) -> None:
    events = await ActionEscalate().run(dispatcher, _tracker(QUESTION + CONSENT, offered=True), {})
    assert events == [SlotSet("escalation_offered", False)]
    payload = dispatcher.messages[0]["custom"]
    escalation = get_services().escalations().get(payload["escalation_id"])
    assert escalation.state == "open" and escalation.channel == "widget"
    assert escalation.conversation_id == SENDER
    assert escalation.packet["turns"] == ["can my son [email] get respite on [phone]"]
    assert escalation.packet["topics"][0]["name"] == "out_of_scope"
    assert escalation.consent_at is not None
    assert reference(escalation.id) in dispatcher.messages[0]["text"]


async def test_crisis_turns_are_withheld_from_the_packet(dispatcher) -> None:
    events = [_user("my son wants to kill himself, also tribunal help", "ask_crisis"), _user("person", "request_human")]
    await ActionEscalate().run(dispatcher, _tracker(events + CONSENT, offered=True), {})
    escalation = get_services().escalations().get(dispatcher.messages[0]["custom"]["escalation_id"])
    assert escalation.risk is True
    assert "kill" not in str(escalation.packet)


async def test_consent_without_offer_sends_nothing(dispatcher) -> None:
    await ActionEscalate().run(dispatcher, _tracker(QUESTION, offered=False), {})
    assert get_services().escalations().latest_for(SENDER) is None


async def test_database_down_says_it_was_not_sent(dispatcher, monkeypatch) -> None:
    monkeypatch.setenv("SEND_NAV_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    get_services.cache_clear()
    await ActionEscalate().run(dispatcher, _tracker(QUESTION + CONSENT, offered=True), {})
    assert "couldn't pass your question on" in dispatcher.messages[0]["text"]


async def test_status_cancel_and_decline(dispatcher) -> None:
    await ActionEscalationStatus().run(dispatcher, _tracker(QUESTION, latest_intent="check_escalation"), {})
    assert "don't have a question waiting" in dispatcher.messages[-1]["text"]
    await ActionEscalate().run(dispatcher, _tracker(QUESTION + CONSENT, offered=True), {})
    await ActionEscalationStatus().run(dispatcher, _tracker(QUESTION, latest_intent="check_escalation"), {})
    assert "waiting for a volunteer" in dispatcher.messages[-1]["text"]
    escalation_id = dispatcher.messages[-1]["custom"]["escalation_id"]
    repository = get_services().escalations()
    repository.claim(escalation_id, volunteer_id=1)
    await ActionEscalationStatus().run(dispatcher, _tracker(QUESTION, latest_intent="check_escalation"), {})
    assert "working on your question" in dispatcher.messages[-1]["text"]
    await ActionCancelEscalation().run(dispatcher, _tracker(QUESTION + CANCEL, latest_intent="cancel_escalation"), {})
    assert "withdrawn" in dispatcher.messages[-1]["text"]
    assert repository.get(escalation_id).state == "cancelled"
    events = await ActionCancelEscalation().run(dispatcher, _tracker(QUESTION, offered=True), {})
    assert events == [SlotSet("escalation_offered", False)] and "haven't sent" in dispatcher.messages[-1]["text"]


@pytest.mark.parametrize("seconds,expected", [(5, "less than a minute"), (60, "1 minute"), (7200, "2 hours"), (86400 * 3, "3 days")])
def test_waited(seconds: int, expected: str) -> None:
    import datetime as dt

    now = dt.datetime(2026, 11, 28, 12, 0)
    assert waited(now - dt.timedelta(seconds=seconds), now) == expected
