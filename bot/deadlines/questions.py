"""Questions back about a date that cannot be right as read, instead of a deadline built on it.

Two things are asked, never guessed:

- a weekday that disagrees with the date ("Tuesday 22 October 2026", a
  Thursday): offer the date as written and the named weekday nearest to it;
- a date still to come for something that must already have happened (a
  letter dated, a request received, an order made): offer the same day and
  month on or before today, usually the year before.

Events that may lie ahead (a planned review meeting, a move between colleges)
are never asked about for being in the future (`Input.future_ok`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Dict, Mapping, Optional, Tuple

from bot.deadlines.reading import FoundDate
from bot.deadlines.registry import Input, Rule

WEEKDAY_MISMATCH, FUTURE_DATE = "weekday_mismatch", "future_date"


@dataclass(frozen=True)
class DateQuestion:
    """A question back about one date a rule needs, with the dates to offer as answers."""

    kind: str  # WEEKDAY_MISMATCH or FUTURE_DATE
    rule: Rule
    input: Input
    found: FoundDate
    choices: Tuple[dt.date, ...]
    answers: Mapping[str, dt.date]  # the rule's other inputs, read and needing no question
    focus: Tuple[str, ...] = ()


def question_about(rule: Rule, found: Mapping[str, FoundDate], today: dt.date,
                   focus: Tuple[str, ...] = ()) -> Optional[DateQuestion]:
    """Return the first question the dates read for a rule raise, or None if they can be used."""
    doubts = {i.name: _ask(i, found[i.name], today) for i in rule.inputs if i.name in found}
    for item in rule.inputs:
        asked = doubts.get(item.name)
        if asked is not None:
            # Only dates that need no question of their own are kept for the form to fill in.
            fine = {name: found[name].date for name, doubt in doubts.items() if doubt is None}
            return DateQuestion(asked[0], rule, item, found[item.name], asked[1], fine, focus)
    return None


def _ask(item: Input, found: FoundDate, today: dt.date) -> Optional[Tuple[str, Tuple[dt.date, ...]]]:
    """Return what to ask about a date and the dates to offer, or None if it can be used as read."""
    allowed = [day for day in _weekday_choices(found) if item.future_ok or day <= today]
    if found.weekday_clash and allowed:
        return WEEKDAY_MISMATCH, tuple(allowed)
    if not item.future_ok and found.date > today:
        return FUTURE_DATE, (same_day_before(found.date, today),)
    return None


def _weekday_choices(found: FoundDate) -> Tuple[dt.date, ...]:
    """Return the date as written and, if the weekday named disagrees, that weekday's nearest date."""
    if not found.weekday_clash or found.weekday is None:
        return (found.date,)
    shift = (found.weekday - found.date.weekday()) % 7
    nearest = found.date + dt.timedelta(days=shift if shift <= 3 else shift - 7)
    return found.date, nearest


def same_day_before(day: dt.date, today: dt.date) -> dt.date:
    """Return the latest date on or before today with the same day and month (29 February: the 28th)."""
    for year in range(today.year, today.year - 9, -1):
        try:
            candidate = day.replace(year=year)
        except ValueError:
            candidate = dt.date(year, 2, 28)
        if candidate <= today:
            return candidate
    return today


def as_slot(question: DateQuestion) -> Dict[str, object]:
    """Return the question as plain data for a conversation slot."""
    return {"kind": question.kind, "rule": question.rule.id, "input": question.input.name,
            "date": question.found.date.isoformat(), "weekday": question.found.weekday,
            "choices": [d.isoformat() for d in question.choices]}
