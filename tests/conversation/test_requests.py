"""bot.conversation.requests: explicit requests for a form, against passing mentions."""

from __future__ import annotations

import pytest

from bot.conversation.requests import asks_for_deadline_tool, asks_for_letter, asks_for_timeline, tool_asked


@pytest.mark.parametrize("text", [
    "can you help me write a letter to the school",
    "draft me a complaint letter to kent about the delays",
    "write a letter to school for me pls about his part time timetable",
    "Please could you help me draft a complaint letter to the council.",
    "letter asking for mediation",
    "sar letter",
    "do you have letter templates",
    "i want to write to the council, can you help me draft it",
])
def test_letter_requests(text: str) -> None:
    assert asks_for_letter(text)


@pytest.mark.parametrize("text", [
    "the letter was dated 2 November 2026",
    "just opened a decision letter saying they wont assess my son. what does that mean for us",
    "im writing to the council myself. what should the letter say, do i need to quote the law?",
    "What should I put in my letter asking KCC to assess my daughter",
    "the decision letter says i can go to the SEND tribunal but it doesnt say which form to use",
    "letter date is 25 november. whens the cut off",
])
def test_letter_mentions_are_not_requests(text: str) -> None:
    assert not asks_for_letter(text)


def test_date_tools_need_words_that_ask_and_no_date_of_their_own() -> None:
    assert asks_for_deadline_tool("can you work out my deadline")
    assert asks_for_deadline_tool("whats my deadline")
    assert not asks_for_deadline_tool("what date do I have to appeal by?")
    assert not asks_for_deadline_tool("it came on 23 November. whens my deadline")
    assert asks_for_timeline("where are we up to with the ehcp")
    assert not asks_for_timeline("what is an annual review")


def test_a_button_always_asks_and_only_for_its_own_tool() -> None:
    assert tool_asked("ask_deadline", '/ask_deadline{"deadline_event": "draft-plan"}') == "deadline"
    assert tool_asked("ask_mediation", "/ask_mediation") is None
    assert tool_asked("ask_mediation", "can you do the letter for me") == "letter"
