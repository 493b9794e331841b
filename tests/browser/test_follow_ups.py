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

# The close call: the classifier scores two topics 0.50 and 0.49 for it.
CLOSE_CALL = ("I sent my request for an EHC needs assessment on 5 January 2026. "
              "By what date must the council decide whether to assess?")


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
    for kb_id in ("ehc-assessment-timescales", "ehc-needs-assessment-request"):
        assert page.get_by_role("button", name=kb.get(kb_id).title).count() >= 1
    no_violations(widget.axe(), "with a clarifying question")
    # Keyboard only: focus "Something else" and press Enter; the question is then logged as unanswered.
    before = widget.bot_count()
    buttons.last.focus()
    page.keyboard.press("Enter")
    answer = widget.wait_for_reply(before)
    assert "don't know the answer" in answer.inner_text()
    assert page.js_errors == []
