"""Dates a parent gives relative to today: "yesterday", "last Friday", "3 weeks ago", "on the 5th".

Every form resolves against the `today` passed in, never the system clock,
and always to a day on or before today: a parent telling us when something
happened means the past. Months move back with `bot.deadlines.calendar.add_months`
(30 November - 3 months = 30 August; 31 March - 1 month = 28 February).
Each finder returns (start, end, date) spans for `bot.deadlines.reading`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Iterator, Optional, Tuple

from bot.deadlines.calendar import add_months

Span = Tuple[int, int, dt.date]
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
          "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec")
_WEEKDAY = "|".join(WEEKDAYS)
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2, "couple of": 2}
_COUNT = r"\d{1,3}|a couple of|couple of|" + "|".join(sorted(_NUMBERS, key=len, reverse=True))
_AGO = re.compile(rf"\b({_COUNT})\s+(day|week|fortnight|month|year)s?\s+(?:ago|back)\b(?:\s+today)?", re.I)
_DAY_WORDS = re.compile(r"\b(the day before yesterday|yesterday|last night|earlier today|today|this "
                        r"(?:morning|afternoon|evening)|tonight)\b", re.I)
_LAST_WEEKDAY = re.compile(rf"\b(?:last|on|this past|past)\s+({_WEEKDAY})\b|\b({_WEEKDAY})\s+(?:just\s+)?gone\b",
                           re.I)
_ONLY_WEEKDAY = re.compile(rf"^\s*({_WEEKDAY})\s*[.!]?\s*$", re.I)
_ORDINAL_DAY = re.compile(rf"\b(?:on|since|from|dated|by)\s+the\s+(\d{{1,2}})(?:st|nd|rd|th)\b"
                          rf"(?:\s+of\s+(this|last)\s+month\b)?(?!\s*(?:of\s+)?(?:{MONTHS})\b)", re.I)
_NOT_AN_EVENT = re.compile(r"\b(?:from|until|till|as of|by|still|late|it'?s|is it|for)\s+$", re.I)
_DAYS_BACK = {"the day before yesterday": 2, "yesterday": 1, "last night": 1}


def relative_dates(text: str, today: dt.date) -> Iterator[Span]:
    """Yield every relative date in the text, resolved against today."""
    for match in _AGO.finditer(text):
        yield match.start(), match.end(), _ago(_count(match.group(1)), match.group(2).lower(), today)
    for match in _DAY_WORDS.finditer(text):
        if match.group(1).lower() == "today" and (_NOT_AN_EVENT.search(text[:match.start()])
                                                  or text[match.end():].lstrip().startswith("?")):
            continue  # "from today", "too late today?": the question's day, not when something happened
        back = _DAYS_BACK.get(match.group(1).lower(), 0)
        yield match.start(), match.end(), today - dt.timedelta(days=back)
    for match in _LAST_WEEKDAY.finditer(text):
        yield match.start(), match.end(), last_weekday(match.group(1) or match.group(2), today)
    only = _ONLY_WEEKDAY.match(text)
    if only:
        yield only.start(1), only.end(1), last_weekday(only.group(1), today)
    for match in _ORDINAL_DAY.finditer(text):
        day = _recent_day(int(match.group(1)), (match.group(2) or "").lower(), today)
        if day is not None:
            yield match.start(), match.end(), day


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[" ".join(word.lower().split())]


def _ago(count: int, unit: str, today: dt.date) -> dt.date:
    if unit in ("day", "week", "fortnight"):
        return today - dt.timedelta(days=count * {"day": 1, "week": 7, "fortnight": 14}[unit])
    return add_months(today, -count * (12 if unit == "year" else 1))


def last_weekday(name: str, today: dt.date) -> dt.date:
    """Return the most recent such weekday before today ("last Tuesday" said on a Tuesday is a week ago)."""
    back = (today.weekday() - WEEKDAYS.index(name.lower())) % 7 or 7
    return today - dt.timedelta(days=back)


def _recent_day(day: int, which: str, today: dt.date) -> Optional[dt.date]:
    """Return "the Nth": of this or last month if said, else the latest one on or before today."""
    first = today.replace(day=1)
    if which:
        months = [first if which == "this" else add_months(first, -1)]
    else:
        months = [add_months(first, -back) for back in range(12)]
    for month in months:
        if 1 <= day <= calendar.monthrange(month.year, month.month)[1] and month.replace(day=day) <= today:
            return month.replace(day=day)
    return None
