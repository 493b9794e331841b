"""On duty or not: rota days and hours, shifts past midnight, quiet hours, opt-in."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.notify.rota import Preference, WEEKDAYS, days_from, days_text, in_window, on_duty, parse_time, show_time

OFFICE = Preference(channel="email")  # Monday to Friday, 09:00-17:00
NIGHTS = Preference(channel="email", days=frozenset({"fri"}), on_from=20 * 60, on_until=2 * 60)
QUIET = Preference(channel="telegram", days=frozenset(WEEKDAYS | {"sat", "sun"}), on_from=0, on_until=0,
                   quiet_from=22 * 60, quiet_until=7 * 60)


@pytest.mark.parametrize("preference, when, expected", [
    (OFFICE, dt.datetime(2026, 11, 30, 9, 0), True),  # Monday 09:00, the first minute
    (OFFICE, dt.datetime(2026, 11, 30, 16, 59), True),
    (OFFICE, dt.datetime(2026, 11, 30, 17, 0), False),  # the end is not included
    (OFFICE, dt.datetime(2026, 11, 30, 8, 59), False),
    (OFFICE, dt.datetime(2026, 12, 5, 12, 0), False),  # Saturday
    (Preference(), dt.datetime(2026, 11, 30, 12, 0), False),  # never chose a channel: opt-in
    (NIGHTS, dt.datetime(2026, 12, 4, 23, 0), True),  # Friday night
    (NIGHTS, dt.datetime(2026, 12, 5, 1, 30), True),  # Saturday 01:30 belongs to Friday's shift
    (NIGHTS, dt.datetime(2026, 12, 4, 1, 30), False),  # Friday 01:30 belongs to Thursday's: not on the rota
    (QUIET, dt.datetime(2026, 12, 6, 21, 59), True),
    (QUIET, dt.datetime(2026, 12, 6, 23, 0), False),  # quiet hours win over the rota
    (QUIET, dt.datetime(2026, 12, 7, 6, 59), False),
    (QUIET, dt.datetime(2026, 12, 7, 7, 0), True),
])
def test_on_duty(preference: Preference, when: dt.datetime, expected: bool) -> None:
    assert on_duty(preference, when) is expected


@pytest.mark.parametrize("minute, start, end, inside", [
    (600, 540, 1020, True), (1020, 540, 1020, False), (1380, 1320, 420, True), (400, 1320, 420, True),
    (500, 1320, 420, False), (0, 0, 0, True),
])
def test_windows(minute: int, start: int, end: int, inside: bool) -> None:
    assert in_window(minute, start, end) is inside


@pytest.mark.parametrize("text, minutes", [("09:00", 540), ("9:30", 570), ("23:59", 1439), ("00:00", 0)])
def test_times_read_and_shown(text: str, minutes: int) -> None:
    assert parse_time(text) == minutes
    assert show_time(minutes) == text.zfill(5)


@pytest.mark.parametrize("text", ["24:00", "9", "09:60", "nine", "", "09:5", "-1:00", "09:00 or so"])
def test_bad_times_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_time(text)


def test_days_round_trip_in_week_order() -> None:
    assert days_text(frozenset({"sun", "mon", "wed"})) == "mon,wed,sun"
    assert days_from("mon,wed,sun,funday") == frozenset({"mon", "wed", "sun"})
