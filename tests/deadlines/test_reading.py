"""bot.deadlines.reading and bot.deadlines.relative: UK day-first dates, weekdays written with dates,
relative dates against an injected today, and words that only look like dates."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.deadlines.reading import find_dates, parse_date, parse_year

TODAY = dt.date(2026, 3, 11)  # a Wednesday
MONDAY = dt.date(2026, 11, 30)  # the held-out set's today


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


@pytest.mark.parametrize("text,expected", [
    ("05/01/2026", dt.date(2026, 1, 5)),  # day first, never 1 May
    ("5/1/26", dt.date(2026, 1, 5)),
    ("12.01.2026", dt.date(2026, 1, 12)),
    ("01-12-2026", dt.date(2026, 12, 1)),
    ("13/01/2026", dt.date(2026, 1, 13)),
    ("31/12/2025", dt.date(2025, 12, 31)),
    ("2026-01-05", dt.date(2026, 1, 5)),  # ISO, as the buttons and slots carry it
    ("the 3rd of Feb 2026", dt.date(2026, 2, 3)),
    ("February 3rd, 2026", dt.date(2026, 2, 3)),
    ("5-Jan-2026", dt.date(2026, 1, 5)),
    ("on 7 May", dt.date(2025, 5, 7)),
    ("7th may", dt.date(2025, 5, 7)),
    ("29 February", dt.date(2024, 2, 29)),  # the latest 29 February on or before today
])
def test_reads_numeric_and_written_dates_day_first(text: str, expected: dt.date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["12/13/2026", "31/02/2026", "he is 7 may i ask", "may 2 weeks be enough",
                                  "call 0800 1111", "section 19", "reg 44"])
def test_refuses_dates_that_are_not_there(text: str) -> None:
    assert find_dates(text, TODAY) == ()


@pytest.mark.parametrize("text,expected", [
    ("yesterday", dt.date(2026, 11, 29)),
    ("the day before yesterday", dt.date(2026, 11, 28)),
    ("this morning", dt.date(2026, 11, 30)),
    ("got it today, what now", dt.date(2026, 11, 30)),
    ("last Friday", dt.date(2026, 11, 27)),
    ("last Monday", dt.date(2026, 11, 23)),  # said on a Monday: a week ago
    ("on Wednesday", dt.date(2026, 11, 25)),
    ("Thursday just gone", dt.date(2026, 11, 26)),
    ("3 weeks ago", dt.date(2026, 11, 9)),
    ("3 weeks ago today", dt.date(2026, 11, 9)),
    ("exactly three weeks back", dt.date(2026, 11, 9)),
    ("21 days ago", dt.date(2026, 11, 9)),
    ("a fortnight ago", dt.date(2026, 11, 16)),
    ("a couple of weeks ago", dt.date(2026, 11, 16)),
    ("a month ago today", dt.date(2026, 10, 30)),
    ("2 months ago", dt.date(2026, 9, 30)),
    ("3 months ago", dt.date(2026, 8, 30)),
    ("a year ago", dt.date(2025, 11, 30)),
    ("on the 5th", dt.date(2026, 11, 5)),
    ("since the 30th", dt.date(2026, 11, 30)),  # on or before today
    ("on the 31st", dt.date(2026, 10, 31)),  # November has no 31st
    ("on the 5th of last month", dt.date(2026, 10, 5)),
    ("Monday", dt.date(2026, 11, 23)),  # a form answer of just a weekday
])
def test_relative_dates_resolve_against_the_given_today(text: str, expected: dt.date) -> None:
    assert parse_date(text, MONDAY) == expected


def test_months_back_keep_to_the_month_end() -> None:
    assert parse_date("a month ago", dt.date(2026, 3, 31)) == dt.date(2026, 2, 28)


@pytest.mark.parametrize("text", ["is it too late today?", "how long from today", "the 20th century",
                                  "months ago", "in 2 weeks"])
def test_relative_words_that_are_not_a_date(text: str) -> None:
    assert find_dates(text, MONDAY) == ()


@pytest.mark.parametrize("text,weekday,clash", [
    ("on Thursday 22 October 2026", 3, False),
    ("on Tuesday 22 October 2026", 1, True),
    ("Thu 22/10/2026", 3, False),
    ("Thursday, the 22nd of October 2026", 3, False),
    ("weds 21 oct 2026", 2, False),
    ("sat 24 october 2026", 5, False),
    ("friday 12 october 2026", 4, True),
    ("22 October 2026", None, False),
])
def test_a_weekday_written_with_a_date_is_kept_and_checked(text: str, weekday, clash: bool) -> None:
    (found,) = find_dates(text, MONDAY)  # exactly one date: the weekday is not read as "last Thursday"
    assert found.date.month in (10,) and found.weekday == weekday and found.weekday_clash == clash


def test_an_explicit_date_wins_over_the_weekday() -> None:
    (found,) = find_dates("the letter came on Thursday 22 October 2026", MONDAY)
    assert found.date == dt.date(2026, 10, 22) and found.text == "Thursday 22 October 2026"


def test_a_future_date_is_read_as_written() -> None:
    assert parse_date("dated 18 December 2026", MONDAY) == dt.date(2026, 12, 18)


@pytest.mark.parametrize("text,today,expected", [
    ("next september", TODAY, 2026), ("next september", MONDAY, 2027), ("born 2015, moving in 2027", MONDAY, 2027),
    ("summer 2028", MONDAY, 2028),
])
def test_reads_the_year_of_a_move(text: str, today: dt.date, expected: int) -> None:
    assert parse_year(text, today) == expected
