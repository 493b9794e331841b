"""Conversation control: starting over."""

from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, Restarted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.services import get_services


class ActionRestart(Action):
    """Replace Rasa's silent /restart: start over and say so."""

    def name(self) -> Text:
        return "action_restart"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Clear the conversation and offer the topic menu."""
        messages = get_services().messages
        dispatcher.utter_message(text=messages.text("restarted"), buttons=messages.menu_buttons())
        return [Restarted()]
