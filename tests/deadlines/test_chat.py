"""bot.deadlines.chat: which rule a topic question with a date runs, and bot.deadlines.timeline."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.deadlines.chat import KB_RULES, deadline_json, from_message, rule_for_choice
from bot.deadlines.registry import RULES
from bot.deadlines.timeline import DONE, NEXT, OVERDUE, UNKNOWN, build_timeline

TODAY = dt.date(2026, 3, 11)


@pytest.mark.parametrize("kb_id,text,rule,start,due", [
    ("ehc-assessment-timescales", "I asked for an assessment on 5 January 2026, when must they decide?",
     "assessment-decision", "2026-01-05", "2026-02-16"),
    ("ehc-draft-plan", "the draft arrived on 2 March 2026", "draft-plan-comments", "2026-03-02", "2026-03-16"),
    ("ehc-annual-review", "review meeting on 20 January 2026", "review-decision", "2026-01-20", "2026-02-17"),
    ("ehc-phase-transfer", "moves to secondary school in September 2027", "phase-transfer-school",
     "2027-01-01", "2027-02-15"),
    ("ehc-phase-transfer", "starts college in 2027", "phase-transfer-post16", "2027-01-01", "2027-03-31"),
    ("tribunal-deadlines", "decision letter dated 15 January 2026", "appeal-deadline", "2026-01-15", "2026-03-15"),
    ("tribunal-deadlines", "letter dated 10 January 2026 and mediation certificate issued on 3 March 2026",
     "appeal-after-certificate", "2026-01-10", "2026-04-03"),
    ("mediation", "told the adviser on 9 February 2026", "mediation-certificate", "2026-02-09", "2026-02-12"),
    ("complaint-council", "since 1 March 2026", "ombudsman-complaint", "2026-03-01", "2027-03-01"),
    ("complaint-health", "on 2 March 2026", "nhs-complaint", "2026-03-02", "2027-03-02"),
    ("disability-discrimination-claim", "on 10 March 2026", "discrimination-claim", "2026-03-10", "2026-09-09"),
])
def test_topic_question_with_a_date(kb_id, text, rule, start, due) -> None:
    worked = from_message(kb_id, text, TODAY)
    assert worked is not None
    assert deadline_json(worked.main) == {"rule": rule, "from": start, "due": due}


@pytest.mark.parametrize("kb_id,text", [
    ("ehc-assessment-timescales", "how long does the council have to decide"),
    ("ehc-phase-transfer", "my son moves next september"),  # no year given as a number... and no type
    ("school-transport", "on 5 January 2026"),  # no rule for this topic
    ("ehc-draft-plan", "the draft will come on 5 January 2030"),  # a future start is not a start
])
def test_nothing_is_guessed(kb_id, text) -> None:
    assert from_message(kb_id, text, TODAY) is None


def test_every_mapped_rule_exists() -> None:
    assert all(r in RULES for rules in KB_RULES.values() for r in rules)


@pytest.mark.parametrize("text,rule", [("Draft plan received", "draft-plan"), ("draft-plan", "draft-plan"),
                                       ("something else", None)])
def test_rule_for_choice(text, rule) -> None:
    assert rule_for_choice(text) == rule


def test_timeline_marks_done_next_and_overdue() -> None:
    steps = build_timeline({"request": dt.date(2026, 1, 5)}, TODAY)
    assert [s.status for s in steps] == [DONE, OVERDUE, UNKNOWN, NEXT]
    assert steps[1].days_overdue(TODAY) == 23
    assert steps[3].date == dt.date(2026, 5, 25)


def test_timeline_all_done() -> None:
    known = {"request": dt.date(2025, 9, 1), "decision": dt.date(2025, 10, 1), "draft": dt.date(2025, 12, 1),
             "final": dt.date(2026, 1, 10)}
    assert {s.status for s in build_timeline(known, TODAY)} == {DONE}


@pytest.mark.parametrize("text,rule,due", [
    ("We applied for an EHCNA on 9 September 2025. When should the final plan be issued?", "assessment-final-plan", "2026-01-27"),
    ("request went in 9 September 2025, when must they decide whether to assess", "assessment-decision", "2025-10-21"),
])
def test_the_clock_asked_about_is_the_main_one(text: str, rule: str, due: str) -> None:
    import datetime as dt

    from bot.deadlines.chat import from_message

    worked = from_message("ehc-assessment-timescales", text, dt.date(2026, 11, 28))
    assert (worked.main.rule, worked.main.due.isoformat()) == (rule, due)
