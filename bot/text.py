"""Small text helpers shared by every channel."""

from __future__ import annotations

import datetime as dt


def long_date(day: dt.date, weekday: bool = False) -> str:
    """Return a date as parents read it: '16 February 2026' (or 'Monday 16 February 2026')."""
    text = f"{day.day} {day:%B %Y}"
    return f"{day:%A} {text}" if weekday else text
