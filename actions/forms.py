"""Shared pieces of the three forms: stopping kindly, and parsing dates the parent types."""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, Iterable, List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.deadline_replies import STOPPED_SLOT
from actions.services import get_services


def stop_values(dispatcher: CollectingDispatcher, slots: Iterable[str]) -> Dict[str, Any]:
    """Say the form has stopped, and return slot values that empty it and mark it stopped."""
    dispatcher.utter_message(text=get_services().messages.text("form_stopped"))
    return {**{slot: None for slot in slots}, STOPPED_SLOT: True}


def was_stopped(tracker: Tracker) -> bool:
    """Return True if the parent stopped the form (the submit action then only tidies up)."""
    return bool(tracker.get_slot(STOPPED_SLOT))


def reset(slots: Iterable[str]) -> List[EventType]:
    """Return events that empty the form's slots and clear the stopped mark."""
    return [SlotSet(slot, None) for slot in slots] + [SlotSet(STOPPED_SLOT, False)]


def iso_date(value: Any) -> dt.date:
    """Return a date stored in a slot as ISO text."""
    return dt.date.fromisoformat(str(value))
