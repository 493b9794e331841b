"""The reply-time promise as a clock: working hours only (09:00-17:00 UK time, Monday to Friday, no bank holidays).

"Usually within 2 working days" is 16 working hours with the default
SEND_NAV_REPLY_PROMISE_HOURS. A question asked on Friday at 20:00 starts
counting on Monday at 09:00 (or Tuesday after a bank holiday Monday) and is
due on Tuesday at 17:00. England's bank holidays come from the deadlines
package (`holidays` library), never a hand-written list. Times in and out
are naive UTC, as the database stores them; the working day is in UK local
time, so summer time is handled.
"""

from __future__ import annotations

import datetime as dt
from typing import Container, Optional
from zoneinfo import ZoneInfo

from bot.deadlines.calendar import england_holidays, is_working_day

UK = ZoneInfo("Europe/London")
DAY_START, DAY_END = dt.time(9, 0), dt.time(17, 0)
LEVELS = 3  # reminders to coordinators: at the promise, half a promise later, a whole promise later


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.timezone.utc).astimezone(UK)


def _utc(local: dt.datetime) -> dt.datetime:
    return local.astimezone(dt.timezone.utc).replace(tzinfo=None)


def promise_words(hours: int) -> str:
    """Return the promise as parents are told it: "2 working days" (8 working hours a day), or in working hours."""
    if hours % 8 == 0:
        days = hours // 8
        return f"{days} working day{'s' if days != 1 else ''}"
    return f"{hours} working hour{'s' if hours != 1 else ''}"


def add_working_time(start: dt.datetime, span: dt.timedelta, holidays: Optional[Container[dt.date]] = None) -> dt.datetime:
    """Return the naive-UTC moment `span` of working time after `start` (naive UTC)."""
    holidays = england_holidays() if holidays is None else holidays
    local, left = _local(start), span
    while True:
        day = local.date()
        opens = dt.datetime.combine(day, DAY_START, tzinfo=UK)
        closes = dt.datetime.combine(day, DAY_END, tzinfo=UK)
        if is_working_day(day, holidays) and local < closes:
            begin = max(local, opens)
            if begin + left <= closes:
                return _utc(begin + left)
            left -= closes - begin
        local = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=UK)


def promise_due(created: dt.datetime, hours: int, holidays: Optional[Container[dt.date]] = None) -> dt.datetime:
    """Return when an answer is due for a question sent at `created` (naive UTC)."""
    return add_working_time(created, dt.timedelta(hours=hours), holidays)


def reminder_level(created: dt.datetime, hours: int, now: dt.datetime,
                   holidays: Optional[Container[dt.date]] = None) -> int:
    """Return 0 before the promise, then 1, 2, 3 as coordinators' reminders escalate (every half promise)."""
    level = 0
    for step in range(1, LEVELS + 1):
        span = dt.timedelta(hours=hours) * (1 + (step - 1) / 2)
        if add_working_time(created, span, holidays) <= now:
            level = step
        else:
            break
    return level
