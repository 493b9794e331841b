"""components/rest_channel.py: a failure is logged without the parent's text; a retried message is read once."""

from __future__ import annotations

import asyncio
import logging

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

from components.rest_channel import LETTER_LOST, RecentIds, answered, fingerprint, handle, handle_once
from components.tracker_store import LETTER_PLACEHOLDER

TEXT = "my daughter Amelia was diagnosed with epilepsy and self-harms"


def handled(on_new_message):
    collector = CollectingOutputChannel()
    return asyncio.run(handle(on_new_message, UserMessage(TEXT, collector, "conversation-123", input_channel="rest"),
                              collector))


@pytest.mark.parametrize("error", [RuntimeError(f"failed on {TEXT}"), asyncio.CancelledError()])
def test_a_failure_is_logged_without_the_text_and_the_replies_so_far_are_returned(caplog, error) -> None:
    async def on_new_message(received: UserMessage) -> None:
        await received.output_channel.send_text_message(received.sender_id, "a reply sent before the failure")
        raise error

    with caplog.at_level(logging.DEBUG, logger="components.rest_channel"):
        replies = handled(on_new_message)
    assert [r["text"] for r in replies] == ["a reply sent before the failure"]
    logged = "\n".join(r.getMessage() + str(r.exc_info or "") for r in caplog.records)
    assert fingerprint("conversation-123") in logged
    assert "Amelia" not in logged and "epilepsy" not in logged and "conversation-123" not in logged


def test_a_message_that_succeeds_returns_its_replies_and_logs_nothing(caplog) -> None:
    async def on_new_message(received: UserMessage) -> None:
        await received.output_channel.send_text_message(received.sender_id, "hello")

    with caplog.at_level(logging.DEBUG, logger="components.rest_channel"):
        assert [r["text"] for r in handled(on_new_message)] == ["hello"]
    assert not caplog.records


# A message sent twice with the same id (the widget's retry) is processed once -------------------------------

FIRST, SECOND = "0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"


class Agent:
    """What handle_once uses of Rasa's Agent: its lock store, tracker store and processor."""

    def __init__(self) -> None:
        self.lock_store = InMemoryLockStore()
        self.tracker_store = InMemoryTrackerStore(Domain.empty())
        self.processor = self
        self.processed = []

    async def handle_message(self, message: UserMessage) -> None:
        """Stand in for MessageProcessor: log the message and a reply (with buttons and a custom payload)."""
        self.processed.append(message.text)
        tracker = await self.tracker_store.get_or_create_tracker(message.sender_id)
        reply = BotUttered(f"reply {len(self.processed)} to {message.text}",
                           {"buttons": [{"title": "More", "payload": "/tell_me_more"}], "custom": {"type": "answer"}})
        for event in (UserUttered(message.text, message_id=message.message_id), ActionExecuted("action_answer"), reply):
            tracker.update(event)
        await self.tracker_store.save(tracker)
        await message.output_channel.send_response(message.sender_id, reply.message())


def send(agent: Agent, text: str, message_id: str):
    collector = CollectingOutputChannel()
    return asyncio.run(handle_once(agent, UserMessage(text, collector, "conv", message_id=message_id), collector))


def test_a_message_sent_again_with_its_id_gets_the_first_replies_and_is_not_processed_twice() -> None:
    agent = Agent()
    first = send(agent, "12 March 2026", FIRST)
    again = send(agent, "12 March 2026", FIRST)
    assert agent.processed == ["12 March 2026"]
    assert again == first
    assert [r.get("text") for r in first] == ["reply 1 to 12 March 2026", None]  # text with buttons, then custom
    assert first[0]["buttons"] == [{"title": "More", "payload": "/tell_me_more"}] and first[1]["custom"]
    assert send(agent, "12 March 2026", SECOND)[0]["text"] == "reply 2 to 12 March 2026"  # a new message
    assert agent.processed == ["12 March 2026", "12 March 2026"]


def test_answered_stops_at_the_next_user_message_and_knows_no_unknown_id() -> None:
    events = [UserUttered("a", message_id=FIRST), BotUttered("reply to a"), UserUttered("b", message_id=SECOND),
              BotUttered("reply to b")]
    assert [e.text for e in answered(events, FIRST)] == ["reply to a"]
    assert [e.text for e in answered(events, SECOND)] == ["reply to b"]
    assert answered(events, "0" * 32) is None
    assert answered(events, None) is None
    assert answered([UserUttered("c", message_id=FIRST)], FIRST) == []  # read, nothing said yet: nothing again


def test_a_letter_that_was_not_stored_is_not_replayed_as_its_placeholder() -> None:
    agent = Agent()

    async def seed() -> None:
        tracker = await agent.tracker_store.get_or_create_tracker("conv")
        for event in (UserUttered("skip", message_id=FIRST), BotUttered(LETTER_PLACEHOLDER)):
            tracker.update(event)
        await agent.tracker_store.save(tracker)

    asyncio.run(seed())
    [reply] = send(agent, "skip", FIRST)
    assert reply["text"] == LETTER_LOST and LETTER_PLACEHOLDER not in reply["text"]
    assert agent.processed == []


def test_recent_ids_know_a_second_arrival_per_conversation_and_forget_the_oldest() -> None:
    recent = RecentIds(size=2)
    assert not recent.seen_before("conv", FIRST)
    assert recent.seen_before("conv", FIRST)
    assert not recent.seen_before("other", FIRST)  # the same id in another conversation is another message
    assert not recent.seen_before("conv", SECOND)  # three recorded: the oldest goes
    assert not recent.seen_before("conv", FIRST)
    assert "conv" not in repr(vars(recent)) and FIRST not in repr(vars(recent))  # digests only
