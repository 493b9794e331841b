"""A follow-up and a clarifying question in the widget, with the real assistant, by keyboard, checked by axe."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.entries import load_kb
from bot.settings import PROJECT_ROOT

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Chromium at /usr/bin/chromium"),
]

# A close call: the classifier scores mediation 0.52 and appeal deadlines 0.48 for it (the issue's own example,
# the assessment request of 5 January, is now answered on its topic; tests/e2e accepts either for that one).
CLOSE_CALL = "can i appeal and do mediation at the same time"
CLOSE_CALL_TOPICS = ("mediation", "tribunal-deadlines")


def test_a_follow_up_keeps_the_topic_in_the_widget(widget, no_violations) -> None:
    page = widget.load().open().page
    widget.ask("what is mediation")
    reply = widget.ask("do I have to do it?")
    assert "Do you have to mediate?" in reply.inner_text()
    assert "don't know the answer" not in reply.inner_text()
    no_violations(widget.axe(), "after a follow-up")
    assert page.js_errors == []


def test_a_clarifying_question_offers_both_topics_and_something_else(widget, no_violations) -> None:
    page = widget.load().open().page
    reply = widget.ask(CLOSE_CALL)
    assert "Do you mean" in reply.inner_text()
    buttons = page.get_by_role("button", name="Something else")
    assert buttons.count() >= 1
    kb = load_kb(PROJECT_ROOT / "knowledge")
    for kb_id in CLOSE_CALL_TOPICS:
        assert page.get_by_role("button", name=kb.get(kb_id).title).count() >= 1
    no_violations(widget.axe(), "with a clarifying question")
    # Keyboard only: focus "Something else" and press Enter; the question is then logged as unanswered.
    before = widget.bot_count()
    buttons.last.focus()
    page.keyboard.press("Enter")
    answer = widget.wait_for_reply(before)
    assert "don't know the answer" in answer.inner_text()
    assert page.js_errors == []
