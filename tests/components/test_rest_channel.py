"""components/rest_channel.py: a message that fails is logged without the parent's text."""

from __future__ import annotations

import asyncio
import logging

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from components.rest_channel import fingerprint, handle

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
