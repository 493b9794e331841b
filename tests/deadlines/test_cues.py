"""bot.deadlines.cues: the event and the clock a parent's words point to, under a topic."""

from __future__ import annotations

import pytest

from bot.deadlines.cues import CUE_ONLY, KB_RULES, asked, choose_clock, choose_event
from bot.deadlines.registry import RULES


@pytest.mark.parametrize("kb_id,text,event", [
    ("ehc-annual-review", "the review meeting was on 3 March", "annual-review"),  # the default
    ("ehc-annual-review", "the decision letter after the review was dated 3 March", "next-review"),
    ("ehc-annual-review", "her plan was first issued on 3 March, when is the first annual review", "next-review"),
    ("ehc-annual-review", "when must the final amended EHCP be issued", "annual-review"),  # "be issued" is not "was"
    ("mediation", "we told the adviser we don't want mediation", "mediation-declined"),
    ("mediation", "i did not wish to proceed with mediation", "mediation-declined"),
    ("mediation", "we DO want mediation over section f", "mediation-requested"),
    ("mediation", "said yes to mediation in writing", "mediation-requested"),
    ("mediation", "we would like mediation", "mediation-requested"),
    ("tribunal-deadlines", "mediation cert dated 29 october", "certificate-issued"),
    ("tribunal-deadlines", "refusal letter dated 29 october", "decision-letter"),
    ("tribunal-process", "we won! the order says they must assess", "tribunal-order-assess"),
    ("tribunal-process", "tribunal ordered kcc to make and maintain an ehc plan", "tribunal-order-make-plan"),
    ("tribunal-process", "the tribunal ordered changes to section f of his plan", "tribunal-order-amend"),
    ("tribunal-process", "the tribunal ordered them to name the school we wanted", "tribunal-order-school"),
    ("tribunal-process", "tribunal ordered it; kcc refused; what about judicial review", "judicial-review"),
    ("ehc-phase-transfer", "moving from one fe college to another", "phase-transfer-post16-move"),
    ("ehc-phase-transfer", "leaving his secondary for an fe college", "phase-transfer-post16"),
    ("ehc-phase-transfer", "goes up to secondary school", "phase-transfer-school"),
    ("school-attendance-anxiety", "if we go down the judicial review route", "judicial-review"),
])
def test_choose_event(kb_id: str, text: str, event: str) -> None:
    assert choose_event(kb_id, text) == event


@pytest.mark.parametrize("kb_id,text", [
    ("tribunal-process", "the hearing is on 3 March"),  # no order mentioned
    ("tribunal-process", "kcc won't amend the plan"),  # "won't" is not "we won"
    ("ehc-phase-transfer", "he moves in 2027"),  # which kind of move is unclear
    ("school-transport", "the bus never came on 3 March"),  # no clock under this topic
    ("crisis", "judicial review"),  # never under a crisis answer
])
def test_no_event_is_guessed(kb_id: str, text: str) -> None:
    assert choose_event(kb_id, text) is None


@pytest.mark.parametrize("event,text,clock", [
    ("assessment-request", "when must they decide", None),
    ("assessment-request", "when is the FINAL plan due", "assessment-final-plan"),
    ("assessment-request", "what's the deadline for the finished plan", "assessment-final-plan"),
    ("assessment-request", "rumours they wont issue a plan", "assessment-no-plan"),
    ("assessment-request", "if they decide no ehcp, when must they say", "assessment-no-plan"),
    ("assessment-request", "decides not to issue a plan (not asking about the final plan date)", "assessment-no-plan"),
    ("assessment-request", "dont care about the plan yet just the decision", None),
    ("annual-review", "latest for the final amended plan (not the decision, the actual final plan)",
     "review-final-plan"),
    ("tribunal-order-make-plan", "when is the final plan due? (I know the draft is due sooner.)",
     "tribunal-order-make-plan"),
    ("tribunal-order-make-plan", "when is the draft due", "tribunal-order-draft-plan"),
    ("tribunal-order-assess", "some websites say 4 weeks, some say 2", None),
    ("tribunal-order-assess", "and when will the plan be issued", "tribunal-order-assess-plan"),
])
def test_choose_clock(event: str, text: str, clock) -> None:
    assert choose_clock(text, RULES[event].clocks()) == clock


def test_what_is_not_asked_is_removed() -> None:
    assert "decision" not in asked("(not the decision, the actual final plan)")
    assert "draft" not in asked("When is the final plan due? (I know the draft is due sooner.)")
    assert "final plan" in asked("When is the final plan due? (I know the draft is due sooner.)")


def test_every_topic_event_exists_and_cue_only_topics_have_cues() -> None:
    from bot.deadlines.cues import EVENT_CUES
    cued = {rule for rule, _ in EVENT_CUES}
    assert all(rule in RULES for rules in KB_RULES.values() for rule in rules)
    for kb_id in CUE_ONLY:
        assert set(KB_RULES[kb_id]) <= cued
    for rules in KB_RULES.values():
        assert set(rules[1:]) <= cued  # every event but the default needs words that pick it
