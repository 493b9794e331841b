"""Calendar arithmetic for statutory time limits: calendar months and working days.

Month rule: adding n calendar months keeps the day of the month, and when the
target month is too short the date moves back to that month's last day
(31 December + 2 months = 28 February, or 29 February in a leap year;
31 August + 6 months = 28/29 February). Moving back rather than forward means
a parent is never told a date later than the law allows. This is the
"corresponding date" rule for periods running *after* a day (Dodds v Walker
[1981] 1 WLR 1027).

A period of months *beginning with* (or "starting with") a day counts that day,
so it ends the day before the corresponding date; when the last month has no
corresponding date it ends on that month's last day (the common-law rule in
Halsbury's Laws, written out in SI 2018/1082, r1.4(2)(a)): 6 months starting
with 1 October end on 31 March, 12 months starting with 1 March 2027 end on
29 February 2028, and 6 months starting with 31 August end on the last day of
February.

Working days exclude Saturdays, Sundays and bank holidays in England. The
bank holidays come from the `holidays` library, never a hand-written list, so
substitute days (Boxing Day observed on a Monday) and one-off holidays are
included.
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache
from typing import Container

from holidays import HolidayBase, country_holidays


def add_months(day: dt.date, months: int) -> dt.date:
    """Add calendar months (negative to go back), clamping to the target month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def months_beginning_with(day: dt.date, months: int) -> dt.date:
    """Return the last day of a period of `months` calendar months beginning with `day`."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    if day.day > last:
        return dt.date(year, month + 1, last)  # no corresponding date: the month's last day
    return dt.date(year, month + 1, day.day) - dt.timedelta(days=1)


@lru_cache(maxsize=1)
def england_holidays() -> HolidayBase:
    """Return England's bank holidays (years are filled in as dates are looked up)."""
    return country_holidays("GB", subdiv="ENG")


def is_working_day(day: dt.date, holidays: Container[dt.date]) -> bool:
    """Return True if the day is neither a weekend nor a bank holiday."""
    return day.weekday() < 5 and day not in holidays


def next_working_day(day: dt.date, holidays: Container[dt.date]) -> dt.date:
    """Return the first working day after `day`."""
    day += dt.timedelta(days=1)
    while not is_working_day(day, holidays):
        day += dt.timedelta(days=1)
    return day


def add_working_days(day: dt.date, days: int, holidays: Container[dt.date]) -> dt.date:
    """Return the date `days` working days after `day` (the start day itself is not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current, counted = day, 0
    while counted < days:
        current += dt.timedelta(days=1)
        if is_working_day(current, holidays):
            counted += 1
    return current
