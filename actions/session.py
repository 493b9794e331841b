"""Conversation control: greeting, 'anything else?' and starting over.

The greeting and the topic menu are sent from actions rather than domain
responses because Rasa interpolates `{...}` in response button payloads and
logs an error for each `/show_topics{"group": ...}`.
"""

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


class ActionGreet(Action):
    """Say what the assistant is and is not, and offer the topic menu."""

    def name(self) -> Text:
        return "action_greet"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Send the greeting with the topic buttons and 'Talk to a person'."""
        messages = get_services().messages
        dispatcher.utter_message(text=messages.text("greeting"), buttons=messages.menu_buttons())
        return []


class ActionAnythingElse(Action):
    """Answer a lone yes or no with an offer of the topics."""

    def name(self) -> Text:
        return "action_anything_else"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Ask what else the parent would like to know."""
        messages = get_services().messages
        dispatcher.utter_message(text=messages.text("anything_else"), buttons=messages.menu_buttons(with_person=False))
        return []
