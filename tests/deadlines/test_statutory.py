"""Tests for bot.deadlines.calendar, the rule modules, bot.deadlines.registry and bot.deadlines.overdue.

The worked cases of every clock are in test_clocks.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict

import pytest
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from bot.deadlines import statutory as d
from bot.deadlines.appeals import certificate_issued, mediation_declined, tribunal_last_day
from bot.deadlines.calendar import (add_months, add_working_days, england_holidays, is_working_day,
                                    months_beginning_with, next_working_day)
from bot.deadlines.registry import DATE, RULES
from bot.letters.fill import TEMPLATES
from bot.deadlines.overdue import MISSED_DEADLINE_CHOICES, what_now

D = dt.date
ENG = england_holidays()


def _due(deadlines: d.Deadlines, rule: str) -> dt.date:
    (match,) = [x for x in deadlines if x.rule == rule]
    return match.due


def test_christmas_case_agrees_with_the_holidays_library() -> None:
    assert {D(2026, 12, 25), D(2026, 12, 28)} <= set(ENG[D(2026, 12, 1):D(2027, 1, 1)])
    assert [is_working_day(D(2026, 12, day), ENG) for day in range(24, 32)] == [
        True, False, False, False, False, True, True, True]


def test_working_days_use_the_holidays_given() -> None:
    assert add_working_days(D(2026, 12, 24), 3, set()) == D(2026, 12, 29)
    assert _due(mediation_declined(D(2026, 12, 24), holidays=set()), "mediation-certificate") == D(2026, 12, 29)


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


@pytest.mark.parametrize(
    "start, months, expected",
    [
        (D(2026, 10, 1), 6, D(2027, 3, 31)),  # the day before the corresponding date
        (D(2027, 3, 1), 12, D(2028, 2, 29)),  # the day before 1 March in a leap year
        (D(2026, 3, 1), 12, D(2027, 2, 28)),
        (D(2026, 8, 31), 6, D(2027, 2, 28)),  # no 31 February: the month's last day, not the 27th
        (D(2026, 8, 29), 6, D(2027, 2, 28)),  # no 29 February 2027 either
        (D(2026, 8, 28), 6, D(2027, 2, 27)),  # 28 February exists: the day before it
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),  # a 1-month period starting 31 January
        (D(2026, 1, 1), 12, D(2026, 12, 31)),
    ],
)
def test_months_beginning_with(start: dt.date, months: int, expected: dt.date) -> None:
    assert months_beginning_with(start, months) == expected


# England bank holidays, with the substitute days: gov.uk's published list for 2026 and 2027, and the
# Banking and Financial Dealings Act 1971 Schedule 1 rules (with the usual proclamations) for 2028.
PUBLISHED = [D(2026, 1, 1), D(2026, 4, 3), D(2026, 4, 6), D(2026, 5, 4), D(2026, 5, 25), D(2026, 8, 31),
             D(2026, 12, 25), D(2026, 12, 28), D(2027, 1, 1), D(2027, 3, 26), D(2027, 3, 29), D(2027, 5, 3),
             D(2027, 5, 31), D(2027, 8, 30), D(2027, 12, 27), D(2027, 12, 28), D(2028, 1, 3), D(2028, 4, 14),
             D(2028, 4, 17), D(2028, 5, 1), D(2028, 5, 29), D(2028, 8, 28), D(2028, 12, 25), D(2028, 12, 26)]


def test_the_holidays_library_has_every_published_bank_holiday_2026_to_2028() -> None:
    weekdays = [day for day in ENG[D(2026, 1, 1):D(2029, 1, 1)] if day.weekday() < 5]
    assert sorted(weekdays) == PUBLISHED


@pytest.mark.parametrize("day, expected", [
    (D(2026, 12, 24), D(2026, 12, 29)),  # Christmas Day, a weekend and the Boxing Day substitute
    (D(2027, 12, 24), D(2027, 12, 29)),  # both Christmas substitutes in 2027
    (D(2028, 1, 1), D(2028, 1, 4)),  # the New Year substitute, Monday 3 January 2028
    (D(2026, 4, 2), D(2026, 4, 7)),  # Good Friday to Easter Monday
    (D(2026, 8, 31), D(2026, 9, 1)),  # from a bank holiday itself
    (D(2026, 11, 27), D(2026, 11, 30)),  # Friday to Monday
])
def test_next_working_day(day: dt.date, expected: dt.date) -> None:
    assert next_working_day(day, ENG) == expected


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
    (deadline,) = certificate_issued(letter, certificate)
    assert deadline.due >= add_months(letter, 2)
    assert deadline.due >= add_months(certificate, 1)



@given(day=DATES, months=st.integers(1, 240))
def test_a_period_starting_with_a_day_ends_before_the_same_period_after_it(day: dt.date, months: int) -> None:
    end, after = months_beginning_with(day, months), add_months(day, months)
    assert end == after - dt.timedelta(days=1) or (end == after and after.day < day.day)
    assert (end.year * 12 + end.month) - (day.year * 12 + day.month) in (months, months - 1)


@hyp_settings(deadline=None)
@given(end=st.dates(min_value=D(2000, 1, 1), max_value=D(2060, 12, 31)))
def test_tribunal_last_day_follows_rule_12(end: dt.date) -> None:
    due, moved = tribunal_last_day(end, ENG)
    assert due >= end and is_working_day(due, ENG)
    window = (end.month, end.day) >= (12, 25) or (end.month, end.day) == (1, 1)
    if window:
        new_year = D(end.year + (end.month == 12), 1, 1)
        assert moved == "christmas" and due > new_year and all(
            not is_working_day(new_year + dt.timedelta(days=k), ENG) for k in range(1, (due - new_year).days))
    elif end.month == 8:
        assert moved == "august" and due.month == 9 and all(not is_working_day(D(end.year, 9, k), ENG)
                                                            for k in range(1, due.day))
    elif is_working_day(end, ENG):
        assert (due, moved) == (end, "")
    else:
        assert moved == "not-working-day" and all(not is_working_day(end + dt.timedelta(days=k), ENG)
                                                   for k in range(0, (due - end).days))


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
