"""When a volunteer wants to be told about new questions: channel, on-duty days and hours, quiet hours.

Pure functions on UK local time. Notices are opt-in: a volunteer who has not
chosen a channel is told nothing. Times are minutes after midnight; a window
whose end is before its start runs past midnight (22:00-07:00).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import FrozenSet, Optional, Tuple

CHANNELS = ("none", "email", "telegram", "both")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS: FrozenSet[str] = frozenset(DAYS[:5])
MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class Preference:
    """One volunteer's notice settings (the defaults are what a volunteer sees before choosing)."""

    channel: str = "none"
    days: FrozenSet[str] = field(default=WEEKDAYS)
    on_from: int = 9 * 60  # on duty from 09:00 ...
    on_until: int = 17 * 60  # ... until 17:00
    quiet_from: Optional[int] = None  # no quiet hours unless set
    quiet_until: Optional[int] = None

    def wants(self, channel: str) -> bool:
        """Return True if this volunteer chose to be told on this channel ("email" or "telegram")."""
        return self.channel == channel or self.channel == "both"


def in_window(minute: int, start: int, end: int) -> bool:
    """Return True if a minute of the day falls in [start, end); a window past midnight wraps."""
    if start == end:
        return True  # 00:00-00:00 means the whole day
    if start < end:
        return start <= minute < end
    return minute >= start or minute < end


def on_duty(preference: Preference, local: dt.datetime) -> bool:
    """Return True if a volunteer is on duty and outside quiet hours at this UK local time."""
    if preference.channel == "none":
        return False
    minute = local.hour * 60 + local.minute
    # A shift past midnight belongs to the day it started on.
    started = local.date() - dt.timedelta(days=1) if (
        preference.on_from > preference.on_until and minute < preference.on_until) else local.date()
    if DAYS[started.weekday()] not in preference.days:
        return False
    if not in_window(minute, preference.on_from, preference.on_until):
        return False
    quiet = preference.quiet_from, preference.quiet_until
    return quiet[0] is None or quiet[1] is None or not in_window(minute, quiet[0], quiet[1])


def parse_time(text: str) -> int:
    """Return minutes after midnight for "HH:MM"; raise ValueError otherwise."""
    hours, _, minutes = text.strip().partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and len(hours) in (1, 2)):
        raise ValueError(f"not a time like 09:30: {text[:20]!r}")
    value = int(hours) * 60 + int(minutes)
    if int(hours) > 23 or int(minutes) > 59:
        raise ValueError(f"not a time of day: {text[:20]!r}")
    return value


def show_time(minutes: Optional[int]) -> str:
    """Return "HH:MM" for minutes after midnight ("" for none)."""
    return "" if minutes is None else f"{minutes // 60:02d}:{minutes % 60:02d}"


def days_text(days: FrozenSet[str]) -> str:
    """Return the stored form of a set of days: "mon,tue,...", in week order."""
    return ",".join(day for day in DAYS if day in days)


def days_from(text: str) -> FrozenSet[str]:
    """Return the days in a stored "mon,tue" string, ignoring anything unknown."""
    return frozenset(part for part in text.split(",") if part in DAYS)


def summary(preference: Preference) -> Tuple[str, str]:
    """Return (days, hours) in words, for the dashboard."""
    days = ", ".join(name for day, name in zip(DAYS, DAY_NAMES) if day in preference.days) or "no days"
    return days, f"{show_time(preference.on_from)}–{show_time(preference.on_until)}"
