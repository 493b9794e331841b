"""Find the dates a parent mentions in free text, read the UK way (day first).

A wrong date would give a parent a wrong statutory deadline, so only clear
dates are kept, by our own patterns rather than a general date parser (which
"finds" dates in "I may", "march on", "6 weeks" or "year 6"):

- written dates: "22 October 2026", "22nd of Oct", "October 22, 2026", and
  numeric ones read day first ("05/01/2026", "5.1.26", "05-03-2026") or ISO;
- a weekday written with a date ("Thursday 22 October 2026") is kept beside
  it, so a caller can ask when the two disagree; the date itself always wins
  over reading the weekday as "last Thursday";
- relative dates ("yesterday", "last Friday", "3 weeks ago", "on the 5th"),
  from `bot.deadlines.relative`, against the `today` passed in.

A date written without a year is the latest such date on or before today.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import List, Optional, Tuple

from bot.deadlines.relative import MONTHS, WEEKDAYS, relative_dates

_MONTH_NUMBERS = {name: (i % 12) + 1 for i, name in enumerate(MONTHS.split("|")[:12])}
_MONTH_NUMBERS.update({"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
                       "sept": 9, "oct": 10, "nov": 11, "dec": 12})
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_NUMERIC = re.compile(r"(?<![\d/.\-])(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{4}|\d{2}))?(?![\d/\-]|\.\d)")
_YEAR_AFTER = r"(?:[\s,\-/.]+(\d{4}|'\d{2})\b)?"
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(st|nd|rd|th)?\s*(?:of\s+)?[\-/.]?\s*({MONTHS})\b\.?{_YEAR_AFTER}", re.I)
_MONTH_DAY = re.compile(rf"\b({MONTHS})\.?\s+(\d{{1,2}})(st|nd|rd|th)?\b(?!\s*(?:weeks?|days?|months?|years?|"
                        rf"hours?|minutes?|times?|%|[/.:]\d))(?:,?\s+(\d{{4}})\b)?", re.I)
_SHORT_WEEKDAYS = frozenset({"mon", "tue", "tues", "wed", "weds", "thu", "thur", "thurs", "fri", "sat", "sun"})
_DATE_WORD = re.compile(r"\b(?:on|dated|from|since|by|until|before|after|of)\s+$", re.I)
_WEEKDAY_BEFORE = re.compile(r"\b(mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)(?:[a-z]*)\.?,?\s+(?:the\s+)?$",
                             re.I)
_YEAR = re.compile(r"\b(19\d{2}|20\d{2})\b")
_NEXT_YEAR = re.compile(r"\bnext\s+year\b", re.I)
_THIS_YEAR = re.compile(r"\bthis\s+year\b", re.I)
_NEXT_MONTH_NAME = re.compile(rf"\bnext\s+({MONTHS})\b", re.I)
_EARLIEST_YEAR = 1990
_LATEST_YEARS_AHEAD = 5


@dataclass(frozen=True)
class FoundDate:
    """A date found in a message, with the words it was read from, where they start, and any weekday named."""

    text: str
    date: dt.date
    start: int
    weekday: Optional[int] = None  # 0 = Monday, when a weekday is written with the date

    @property
    def weekday_clash(self) -> bool:
        """Return True if the weekday written with the date is not the date's weekday."""
        return self.weekday is not None and self.weekday != self.date.weekday()


def find_dates(text: str, today: dt.date) -> Tuple[FoundDate, ...]:
    """Return every clear date in the text, in the order written."""
    found: List[FoundDate] = []
    for start, end, day in _written_dates(text, today):
        if _plausible(day, today) and not any(_overlaps(start, end, f) for f in found):
            found.append(_with_weekday(text, start, end, day))
    for start, end, day in relative_dates(text, today):
        if not any(_overlaps(start, end, f) for f in found):
            found.append(FoundDate(text[start:end], day, start))
    return tuple(sorted(found, key=lambda f: f.start))


def parse_date(text: str, today: dt.date) -> Optional[dt.date]:
    """Return the first clear date in the text, or None."""
    found = find_dates(text, today)
    return found[0].date if found else None


def parse_year(text: str, today: dt.date) -> Optional[int]:
    """Return the year of a move ("2027", "September 2027", "next year", "next September"), or None."""
    years = [int(y) for y in _YEAR.findall(text)]
    if years:
        return next((y for y in years if y >= today.year), years[0])  # a move ahead, not a birth year
    month = _NEXT_MONTH_NAME.search(text)
    if month:
        return today.year + (_MONTH_NUMBERS[month.group(1).lower()] <= today.month)
    if _NEXT_YEAR.search(text):
        return today.year + 1
    if _THIS_YEAR.search(text):
        return today.year
    return None


def _written_dates(text: str, today: dt.date) -> List[Tuple[int, int, dt.date]]:
    """Return (start, end, date) for every written date, ISO and numeric first."""
    spans: List[Tuple[int, int, Optional[dt.date]]] = []
    spans += [(m.start(), m.end(), _make(int(m.group(1)), int(m.group(2)), int(m.group(3))))
              for m in _ISO.finditer(text)]
    spans += [(m.start(), m.end(), _resolve(int(m.group(1)), int(m.group(2)), m.group(3), today))
              for m in _NUMERIC.finditer(text)]
    for m in _DAY_MONTH.finditer(text):
        # "7 may" is too often "he's 7 may I ask" to trust without an ordinal, a year or "on 7 May".
        if m.group(3).lower() != "may" or m.group(2) or m.group(4) or _DATE_WORD.search(text[:m.start()]):
            spans.append((m.start(), m.end(),
                          _resolve(int(m.group(1)), _MONTH_NUMBERS[m.group(3).lower()], m.group(4), today)))
    for m in _MONTH_DAY.finditer(text):
        if m.group(1).lower() != "may" or m.group(3) or m.group(4):
            spans.append((m.start(), m.end(),
                          _resolve(int(m.group(2)), _MONTH_NUMBERS[m.group(1).lower()], m.group(4), today)))
    return [(start, end, day) for start, end, day in spans if day is not None]


def _resolve(day: int, month: int, year: Optional[str], today: dt.date) -> Optional[dt.date]:
    """Return the date, reading a 2-digit year as 20yy and a missing year as the latest one not after today."""
    if year:
        value = int(year.lstrip("'"))
        return _make(value + 2000 if value < 100 else value, month, day)
    for back in range(0, 9):  # 29 February can be up to 8 years back
        candidate = _make(today.year - back, month, day)
        if candidate is not None and candidate <= today:
            return candidate
    return None


def _make(year: int, month: int, day: int) -> Optional[dt.date]:
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]):
        return None
    return dt.date(year, month, day)


def _with_weekday(text: str, start: int, end: int, day: dt.date) -> FoundDate:
    """Return the date, taking in a weekday written just before it ("Thursday 22 October")."""
    before = _WEEKDAY_BEFORE.search(text[max(0, start - 16):start])
    if before is None or not _is_weekday_word(before.group(0)):
        return FoundDate(text[start:end], day, start)
    begin = start - len(text[max(0, start - 16):start]) + before.start()
    return FoundDate(text[begin:end], day, begin, _weekday_index(before.group(1)))


def _is_weekday_word(words: str) -> bool:
    word = re.sub(r"[^a-z]", " ", words.lower()).split()[0]
    return word in WEEKDAYS or word in _SHORT_WEEKDAYS


def _weekday_index(prefix: str) -> int:
    return next(i for i, name in enumerate(WEEKDAYS) if name.startswith(prefix.lower()[:3]))


def _plausible(day: dt.date, today: dt.date) -> bool:
    return _EARLIEST_YEAR <= day.year <= today.year + _LATEST_YEARS_AHEAD


def _overlaps(start: int, end: int, other: FoundDate) -> bool:
    return start < other.start + len(other.text) and other.start < end
