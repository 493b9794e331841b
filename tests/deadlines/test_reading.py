"""bot.deadlines.reading: UK day-first dates, relative dates, and words that only look like dates."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.deadlines.reading import find_dates, parse_date, parse_year

TODAY = dt.date(2026, 3, 11)  # a Wednesday


@pytest.mark.parametrize("text,expected", [
    ("05/01/2026", dt.date(2026, 1, 5)),
    ("5 Jan 2026", dt.date(2026, 1, 5)),
    ("5th January", dt.date(2026, 1, 5)),
    ("5.1.26", dt.date(2026, 1, 5)),
    ("yesterday", dt.date(2026, 3, 10)),
    ("last Tuesday", dt.date(2026, 3, 10)),
    ("last Wednesday", dt.date(2026, 3, 4)),
    ("3 weeks ago", dt.date(2026, 2, 18)),
    ("a fortnight ago", dt.date(2026, 2, 25)),
    ("I asked for an assessment on 5 January 2026, when must they decide?", dt.date(2026, 1, 5)),
    ("the meeting was 3 weeks ago and nothing since", dt.date(2026, 2, 18)),
    ("got the letter on the 12th feb", dt.date(2026, 2, 12)),
    ("14 March", dt.date(2025, 3, 14)),  # no year: the most recent one, not next week
])
def test_reads_dates(text: str, expected: dt.date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize("text", [
    "may i ask when they have to decide",
    "the sun is out",
    "march on to tribunal",
    "the council missed the 20 week deadline",
    "within 6 weeks",
    "my son is 7 and in year 6",
    "we sent the request in march",
    "it costs 1.50",
    "version 2.0 of the form",
    "skip",
])
def test_ignores_words_that_are_not_dates(text: str) -> None:
    assert find_dates(text, TODAY) == ()


def test_finds_several_dates_in_order() -> None:
    found = find_dates("letter dated 10th feb 2026, certificate issued 3/3/2026", TODAY)
    assert [f.date for f in found] == [dt.date(2026, 2, 10), dt.date(2026, 3, 3)]


@pytest.mark.parametrize("text,expected", [
    ("september 2027", 2027), ("he moves in 2028", 2028), ("next year", 2027), ("this year", 2026),
    ("soon", None),
])
def test_reads_years(text: str, expected) -> None:
    assert parse_year(text, TODAY) == expected
