"""Find the dates a parent mentions in free text, read the UK way (day first).

`dateparser.search.search_dates` finds dates anywhere in a sentence but also
"finds" them in ordinary words: "may" (I may), "march" (march on), "sun",
bare numbers ("6 weeks", "year 6", "the 20 week deadline"). A wrong date
would give a parent a wrong statutory deadline, so a match is only kept if
it is clearly a date: it has a digit together with a month name or a
day/month pattern, or it is a relative phrase ("yesterday", "3 weeks ago",
"last Tuesday"). Numeric dates ("5.1.26") and weekdays are found by our own
patterns first, because dateparser misses the first and reads the second
as today when the parent means last week. `today` is always passed in.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

from dateparser import parse as _dp_parse  # type: ignore[import-untyped]
from dateparser.search import search_dates  # type: ignore[import-untyped]

LANGUAGES = ["en"]
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_WORD = re.compile(rf"\b({_MONTHS})\b", re.IGNORECASE)
_NUMERIC = re.compile(r"(?<![\d/.\-])(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2}|\d{4}))?(?![\d/\-]|\.\d)")
_AGO = re.compile(r"\b(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
                  r"(?:days?|weeks?|months?|years?)\s+ago\b", re.IGNORECASE)
_FORTNIGHT = re.compile(r"\ba\s+fortnight\s+ago\b", re.IGNORECASE)
_RELATIVE_DAY = re.compile(r"\b(yesterday|today)\b", re.IGNORECASE)
_WEEKDAY = re.compile(rf"\b(last|on|this past)\s+({'|'.join(_WEEKDAYS)})\b", re.IGNORECASE)
_ONLY_WEEKDAY = re.compile(rf"^\s*({'|'.join(_WEEKDAYS)})\s*[.!]?\s*$", re.IGNORECASE)
_YEAR = re.compile(r"\b(19\d{2}|20\d{2})\b")
_NEXT_YEAR = re.compile(r"\bnext\s+year\b", re.IGNORECASE)
_THIS_YEAR = re.compile(r"\bthis\s+year\b", re.IGNORECASE)
_EARLIEST_YEAR = 1990
_LATEST_YEARS_AHEAD = 5


@dataclass(frozen=True)
class FoundDate:
    """A date found in a message, with the words it was read from and where they start."""

    text: str
    date: dt.date
    start: int


def settings(today: dt.date) -> Dict[str, Any]:
    """Return the dateparser settings: day first, the past preferred, relative to `today`."""
    return {
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": "past",
        "RELATIVE_BASE": dt.datetime(today.year, today.month, today.day),
        "RETURN_AS_TIMEZONE_AWARE": False,
    }


def find_dates(text: str, today: dt.date) -> Tuple[FoundDate, ...]:
    """Return every clear date in the text, in the order written."""
    found: List[FoundDate] = []

    def add(start: int, end: int, day: Optional[dt.date]) -> None:
        if day is None or not _plausible(day, today) or any(_overlaps(start, end, f) for f in found):
            return
        found.append(FoundDate(text[start:end], day, start))

    for match in _NUMERIC.finditer(text):
        if 1 <= int(match.group(1)) <= 31 and 1 <= int(match.group(2)) <= 12:
            add(match.start(), match.end(), _parse(match.group(0), today))
    for pattern in (_AGO, _RELATIVE_DAY):
        for match in pattern.finditer(text):
            add(match.start(), match.end(), _parse(match.group(0), today))
    for match in _FORTNIGHT.finditer(text):
        add(match.start(), match.end(), today - dt.timedelta(days=14))
    for match in _WEEKDAY.finditer(text):
        add(match.start(), match.end(), _last_weekday(match.group(2), today))
    only = _ONLY_WEEKDAY.match(text)
    if only:
        add(only.start(1), only.end(1), _last_weekday(only.group(1), today))
    cursor = 0
    for words, when in search_dates(text, languages=LANGUAGES, settings=settings(today)) or ():
        start = text.find(words, cursor)
        if start < 0:
            continue
        cursor = start + len(words)
        if _looks_like_a_date(words):
            add(start, cursor, when.date())
    return tuple(sorted(found, key=lambda f: f.start))


def parse_date(text: str, today: dt.date) -> Optional[dt.date]:
    """Return the first clear date in the text, or None."""
    found = find_dates(text, today)
    return found[0].date if found else None


def parse_year(text: str, today: dt.date) -> Optional[int]:
    """Return a year written in the text ("2027", "September 2027", "next year"), or None."""
    match = _YEAR.search(text)
    if match:
        return int(match.group(1))
    if _NEXT_YEAR.search(text):
        return today.year + 1
    if _THIS_YEAR.search(text):
        return today.year
    return None


def _parse(words: str, today: dt.date) -> Optional[dt.date]:
    when = _dp_parse(words, languages=LANGUAGES, settings=settings(today))  # type: ignore[arg-type]
    return when.date() if when else None


def _looks_like_a_date(words: str) -> bool:
    """Return True if a dateparser match is clearly a date, not a word or a number of weeks."""
    has_digit = any(ch.isdigit() for ch in words)
    return has_digit and bool(_MONTH_WORD.search(words) or _NUMERIC.search(words))


def _last_weekday(name: str, today: dt.date) -> dt.date:
    """Return the most recent such weekday before today ("last Tuesday" said on a Tuesday is a week ago)."""
    back = (today.weekday() - _WEEKDAYS.index(name.lower())) % 7 or 7
    return today - dt.timedelta(days=back)


def _plausible(day: dt.date, today: dt.date) -> bool:
    return _EARLIEST_YEAR <= day.year <= today.year + _LATEST_YEARS_AHEAD


def _overlaps(start: int, end: int, other: FoundDate) -> bool:
    return start < other.start + len(other.text) and other.start < end
