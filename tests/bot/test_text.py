"""Tests for bot.text.long_date."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.text import long_date


@pytest.mark.parametrize(
    "day, weekday, expected",
    [
        (dt.date(2026, 2, 16), False, "16 February 2026"),
        (dt.date(2026, 2, 16), True, "Monday 16 February 2026"),
        (dt.date(2026, 3, 1), False, "1 March 2026"),
        (dt.date(2025, 12, 31), True, "Wednesday 31 December 2025"),
        (dt.datetime(2026, 2, 16, 9, 30), False, "16 February 2026"),
    ],
    ids=["plain", "weekday", "no-leading-zero", "year-end-weekday", "datetime"],
)
def test_long_date(day: dt.date, weekday: bool, expected: str) -> None:
    assert long_date(day, weekday=weekday) == expected


def test_default_has_no_weekday() -> None:
    assert long_date(dt.date(2026, 2, 16)) == "16 February 2026"
