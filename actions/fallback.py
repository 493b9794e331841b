"""Honest fallbacks: say when the assistant cannot answer, and route to people."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.canned import reply_for
from actions.evidence import closest_topic, count
from actions.services import get_services
from bot.store.evidence import UNANSWERED

log = logging.getLogger(__name__)

REASONS = {"out_of_scope": "out_of_scope", "nlu_fallback": "low_confidence"}


def message_channel(tracker: Tracker) -> str:
    """Return the channel of the latest message: set by our bridges in metadata, else Rasa's input channel."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            channel = (event.get("metadata") or {}).get("channel")
            if isinstance(channel, str) and channel:
                return channel[:32]
            break
    return tracker.get_latest_input_channel() or "unknown"


async def record_unanswered(tracker: Tracker, reason: str, text: Optional[str] = None) -> Optional[int]:
    """Store the redacted question (the latest message unless given) without delaying the reply.

    Return the record id if stored.
    """
    services = get_services()
    message = tracker.latest_message or {}
    record = services.unanswered.build(
        text=message.get("text") or "" if text is None else text,
        channel=message_channel(tracker),
        reason=reason,
        ranking=message.get("intent_ranking") or [],
        sender_id=tracker.sender_id,
    )
    timeout = services.settings.db_write_timeout
    try:
        return await asyncio.wait_for(asyncio.to_thread(services.unanswered.store, record), timeout)
    except asyncio.TimeoutError:
        # The write may still land later; the record key stops the spooled copy duplicating it.
        log.warning("unanswered log: database slow; record spooled")
        services.unanswered.spool.append(record.to_json())
        return None


class ActionUnanswered(Action):
    """Say honestly that the assistant does not know, log the topic, and offer routes."""

    def name(self) -> Text:
        return "action_unanswered"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Reply with the menu and human routes, and send an `unanswered` payload."""
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        text = tracker.latest_message.get("text") or ""
        await send_unanswered(dispatcher, tracker, text, REASONS.get(intent, "core_fallback"))
        return []


async def send_unanswered(dispatcher: CollectingDispatcher, tracker: Tracker, text: str, reason: str) -> None:
    """Say honestly there is no answer (or a coordinator's canned reply), log the question, offer routes."""
    payload: Dict[str, Any] = {"type": "unanswered"}
    text = text.strip()
    messages = get_services().messages
    if not text:
        dispatcher.utter_message(text=messages.text("empty_message"), buttons=messages.menu_buttons(),
                                 json_message=payload)
        return
    # Side by side, so the reply waits for the slowest of the three, not for their sum.
    record_id, _, canned = await asyncio.gather(
        record_unanswered(tracker, reason, text),
        count(message_channel(tracker), [(UNANSWERED, closest_topic(tracker.latest_message.get("intent_ranking") or []))]),
        reply_for(text),  # a coordinator marked questions like this out of scope, with a reply
    )
    if record_id is not None:
        payload["log_id"] = record_id
    if canned:
        payload["canned"] = True
    dispatcher.utter_message(text=canned or messages.text("unanswered"), buttons=messages.menu_buttons(),
                             json_message=payload)
