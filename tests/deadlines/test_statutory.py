"""Tests for bot.deadlines.calendar, bot.deadlines.statutory, bot.deadlines.registry and bot.deadlines.overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Dict

import pytest
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from bot.deadlines import statutory as d
from bot.deadlines.calendar import add_months, add_working_days, england_holidays, is_working_day
from bot.deadlines.registry import DATE, RULES
from bot.letters.fill import TEMPLATES
from bot.deadlines.overdue import MISSED_DEADLINE_CHOICES, what_now

D = dt.date
ENG = england_holidays()


def _due(deadlines: d.Deadlines, rule: str) -> dt.date:
    (match,) = [x for x in deadlines if x.rule == rule]
    return match.due


# (function, arguments, deadline rule id, expected due date) — worked out by hand.
CASES = [
    (d.assessment_request, (D(2026, 1, 5),), "assessment-decision", D(2026, 2, 16)),  # the worked example
    (d.assessment_request, (D(2026, 1, 5),), "assessment-no-plan", D(2026, 4, 27)),
    (d.assessment_request, (D(2026, 1, 5),), "assessment-final-plan", D(2026, 5, 25)),
    (d.assessment_request, (D(2028, 1, 20),), "assessment-decision", D(2028, 3, 2)),  # leap year
    (d.assessment_request, (D(2027, 1, 20),), "assessment-decision", D(2027, 3, 3)),
    (d.draft_plan, (D(2026, 3, 2),), "draft-plan-comments", D(2026, 3, 16)),  # served day is day 1 of 15
    (d.draft_plan, (D(2028, 2, 20),), "draft-plan-comments", D(2028, 3, 5)),
    (d.annual_review, (D(2026, 6, 10),), "review-decision", D(2026, 7, 8)),
    (d.annual_review, (D(2026, 6, 10),), "review-final-plan", D(2026, 9, 2)),
    (d.annual_review, (D(2026, 6, 10),), "next-review", D(2027, 6, 10)),
    (d.annual_review, (D(2028, 2, 29),), "next-review", D(2029, 2, 28)),
    (d.phase_transfer_school, (2027,), "phase-transfer-school", D(2027, 2, 15)),
    (d.phase_transfer_post16, (2027,), "phase-transfer-post16", D(2027, 3, 31)),
    (d.phase_transfer_post16_move, (D(2027, 9, 1),), "phase-transfer-post16-move", D(2027, 4, 1)),
    (d.phase_transfer_post16_move, (D(2027, 7, 31),), "phase-transfer-post16-move", D(2027, 2, 28)),
    (d.phase_transfer_post16_move, (D(2028, 7, 31),), "phase-transfer-post16-move", D(2028, 2, 29)),
    (d.decision_letter, (D(2026, 3, 10),), "appeal-deadline", D(2026, 5, 10)),
    (d.decision_letter, (D(2026, 12, 31),), "appeal-deadline", D(2027, 2, 28)),
    (d.decision_letter, (D(2027, 12, 31),), "appeal-deadline", D(2028, 2, 29)),
    (d.certificate_issued, (D(2026, 3, 10), D(2026, 4, 20)), "appeal-after-certificate", D(2026, 5, 20)),
    (d.certificate_issued, (D(2026, 3, 10), D(2026, 3, 20)), "appeal-after-certificate", D(2026, 5, 10)),
    (d.certificate_issued, (D(2026, 12, 31), D(2027, 1, 31)), "appeal-after-certificate", D(2027, 2, 28)),
    (d.mediation_declined, (D(2026, 12, 24),), "mediation-certificate", D(2026, 12, 31)),  # Christmas
    (d.mediation_declined, (D(2026, 4, 2),), "mediation-certificate", D(2026, 4, 9)),  # Easter
    (d.mediation_declined, (D(2026, 3, 6),), "mediation-certificate", D(2026, 3, 11)),  # over a weekend
    (d.mediation_declined, (D(2026, 8, 27),), "mediation-certificate", D(2026, 9, 2)),  # August bank holiday
    (d.council_complaint, (D(2026, 1, 31),), "ombudsman-complaint", D(2027, 1, 31)),
    (d.nhs_complaint, (D(2028, 2, 29),), "nhs-complaint", D(2029, 2, 28)),
    (d.discrimination_claim, (D(2026, 3, 15),), "discrimination-claim", D(2026, 9, 14)),
    (d.discrimination_claim, (D(2026, 8, 31),), "discrimination-claim", D(2027, 2, 27)),
    (d.discrimination_claim, (D(2027, 8, 31),), "discrimination-claim", D(2028, 2, 28)),
    (d.judicial_review, (D(2026, 5, 15),), "judicial-review", D(2026, 8, 15)),
    (d.judicial_review, (D(2026, 11, 30),), "judicial-review", D(2027, 2, 28)),
]


@pytest.mark.parametrize("fn, args, rule, expected", CASES, ids=[f"{c[2]}-{c[1][0]}" for c in CASES])
def test_known_cases(fn: Callable[..., d.Deadlines], args: tuple, rule: str, expected: dt.date) -> None:
    assert _due(fn(*args), rule) == expected


def test_christmas_case_agrees_with_the_holidays_library() -> None:
    assert {D(2026, 12, 25), D(2026, 12, 28)} <= set(ENG[D(2026, 12, 1):D(2027, 1, 1)])
    assert [is_working_day(D(2026, 12, day), ENG) for day in range(24, 32)] == [
        True, False, False, False, False, True, True, True]


def test_working_days_use_the_holidays_given() -> None:
    assert add_working_days(D(2026, 12, 24), 3, set()) == D(2026, 12, 29)
    assert _due(d.mediation_declined(D(2026, 12, 24), holidays=set()), "mediation-certificate") == D(2026, 12, 29)


@pytest.mark.parametrize(
    "start, months, expected",
    [
        (D(2026, 12, 31), 2, D(2027, 2, 28)), (D(2027, 12, 31), 2, D(2028, 2, 29)),
        (D(2026, 8, 31), 6, D(2027, 2, 28)), (D(2027, 8, 31), 6, D(2028, 2, 29)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)), (D(2026, 5, 31), 1, D(2026, 6, 30)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)), (D(2026, 1, 15), -1, D(2025, 12, 15)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)), (D(2026, 1, 15), 0, D(2026, 1, 15)),
    ],
)
def test_add_months(start: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(start, months) == expected


def test_negative_working_days_are_refused() -> None:
    with pytest.raises(ValueError):
        add_working_days(D(2026, 1, 5), -1, ENG)


@pytest.mark.parametrize(
    "today, expected",
    [
        (D(2026, 2, 4), "16 February 2026 (Monday) — 12 days from today"),
        (D(2026, 2, 15), "16 February 2026 (Monday) — 1 day from today"),
        (D(2026, 2, 16), "16 February 2026 (Monday) — today"),
        (D(2026, 2, 17), "This date passed 1 day ago (16 February 2026)."),
        (D(2026, 2, 21), "This date passed 5 days ago (16 February 2026)."),
        (dt.datetime(2026, 2, 21, 23, 59), "This date passed 5 days ago (16 February 2026)."),
    ],
)
def test_describe(today: dt.date, expected: str) -> None:
    deadline = d.assessment_request(D(2026, 1, 5))[0]
    assert deadline.describe(today) == expected
    assert deadline.is_past(today) == expected.startswith("This date passed")


def test_every_deadline_is_complete() -> None:
    for rule in RULES.values():
        answers = {i.name: (2027 if i.kind != DATE else D(2027, 1, 4)) for i in rule.inputs}
        for deadline in rule.run(answers):
            assert deadline.who in (d.COUNCIL, d.YOU)
            assert deadline.sentence.endswith(".") and deadline.legal_ref and deadline.kb_id
            assert all(e.endswith(".") for e in deadline.exceptions)


def test_registry_asks_for_what_is_missing() -> None:
    rule = RULES["certificate-issued"]
    assert [i.name for i in rule.missing({"letter_date": D(2026, 3, 10)})] == ["certificate_date"]
    assert rule.label == "Mediation certificate issued" and all(i.question.endswith("?") for i in rule.inputs)
    with pytest.raises(ValueError):
        rule.run({"letter_date": D(2026, 3, 10)})
    with pytest.raises(ValueError):
        RULES["phase-transfer-school"].run({"year": "2027"})
    assert RULES["assessment-request"].label == "Assessment request sent"


def test_missed_twenty_weeks_points_to_complaint_ombudsman_and_letter() -> None:
    final_plan = [x for x in d.assessment_request(D(2026, 1, 5)) if x.rule == "assessment-final-plan"][0]
    advice = what_now(final_plan)
    text = " ".join(advice.steps)
    assert "complaints procedure" in text and "Local Government and Social Care Ombudsman" in text
    assert "pre-action letter" in text
    assert advice.letter == "missed-deadline"
    assert advice.letter_answers == {"deadline": "20-weeks", "due_date": "25 May 2026"}


def _every_deadline() -> list:
    out = []
    for rule in RULES.values():
        out += rule.run({i.name: (2027 if i.kind != DATE else D(2027, 1, 4)) for i in rule.inputs})
    return out


@pytest.mark.parametrize("deadline", _every_deadline(), ids=lambda x: x.rule)
def test_what_now_names_real_letters_and_choices(deadline: d.Deadline) -> None:
    advice = what_now(deadline)
    assert advice.steps
    if advice.letter is not None:
        template = TEMPLATES[advice.letter]
        fields = {f.id: f for f in template.fields}
        assert set(advice.letter_answers) <= set(fields)
        for key, value in advice.letter_answers.items():
            assert not fields[key].choices or value in fields[key].choices
    if deadline.who == d.COUNCIL and deadline.rule in MISSED_DEADLINE_CHOICES:
        assert advice.letter == "missed-deadline"


# ---- properties -------------------------------------------------------------------------------
DATES = st.dates(min_value=D(1950, 1, 1), max_value=D(2150, 12, 31))


def _answers(rule_id: str, data: st.DataObject) -> Dict[str, Any]:
    return {
        i.name: data.draw(DATES if i.kind == DATE else st.integers(1950, 2150), label=i.name)
        for i in RULES[rule_id].inputs
    }


@hyp_settings(deadline=None, max_examples=300)
@given(rule_id=st.sampled_from(sorted(RULES)), data=st.data())
def test_due_is_never_before_start(rule_id: str, data: st.DataObject) -> None:
    for deadline in RULES[rule_id].run(_answers(rule_id, data)):
        assert deadline.due >= deadline.starts


@given(letter=DATES, certificate=DATES)
def test_appeal_by_is_never_before_two_months(letter: dt.date, certificate: dt.date) -> None:
    (deadline,) = d.certificate_issued(letter, certificate)
    assert deadline.due >= add_months(letter, 2)
    assert deadline.due >= add_months(certificate, 1)


@given(day=DATES, months=st.integers(-240, 240))
def test_add_months_lands_in_the_right_month(day: dt.date, months: int) -> None:
    result = add_months(day, months)
    assert result.year * 12 + result.month == day.year * 12 + day.month + months
    assert result.day <= day.day
    assert result.day == day.day or day.day > 28


@hyp_settings(deadline=None)
@given(day=st.dates(min_value=D(2000, 1, 1), max_value=D(2060, 12, 31)), n=st.integers(0, 30))
def test_working_days_never_land_on_a_weekend_or_bank_holiday(day: dt.date, n: int) -> None:
    result = add_working_days(day, n, ENG)
    if n:
        assert is_working_day(result, ENG) and result.weekday() < 5 and result not in ENG
    span = [day + dt.timedelta(days=k) for k in range(1, (result - day).days + 1)]
    assert sum(is_working_day(x, ENG) for x in span) == n


@hyp_settings(deadline=None)
@given(rule_id=st.sampled_from(sorted(RULES)), today=st.dates(), data=st.data())
def test_describe_never_raises(rule_id: str, today: dt.date, data: st.DataObject) -> None:
    for deadline in RULES[rule_id].run(_answers(rule_id, data)):
        assert deadline.describe(today)
        assert deadline.days_left(today) == (deadline.due - today).days
