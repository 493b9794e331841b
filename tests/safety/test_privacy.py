"""Tests for bot.safety.privacy.conversation_ref."""

from __future__ import annotations

import re

import pytest

from bot.safety.privacy import conversation_ref

KEY = "k" * 48
OTHER_KEY = "j" * 48


@pytest.mark.parametrize("sender", ["123456789", "telegram:987654321", "widget-session-abc", "", "é ü 中文"])
def test_conversation_ref_is_stable_and_opaque(sender: str) -> None:
    ref = conversation_ref(KEY, sender)
    assert ref == conversation_ref(KEY, sender)
    assert re.fullmatch(r"[0-9a-f]{32}", ref)
    if sender:
        assert sender not in ref


def test_conversation_ref_differs_by_key() -> None:
    assert conversation_ref(KEY, "123456789") != conversation_ref(OTHER_KEY, "123456789")


def test_conversation_ref_differs_by_sender() -> None:
    refs = {conversation_ref(KEY, str(n)) for n in range(1000)}
    assert len(refs) == 1000


def test_numeric_sender_does_not_leak_as_substring() -> None:
    # The reference is hex; a numeric id of realistic length should not appear in it.
    for sender in ("123456789", "4242424242", "555000111"):
        assert sender not in conversation_ref(KEY, sender)
