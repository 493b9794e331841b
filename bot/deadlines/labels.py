"""Names for each statutory deadline, shared by Telegram reminders and the widget's calendar file.

The set of deadline ids (`assessment-final-plan`, `appeal-deadline`, ...) is
not listed anywhere by hand: `known_deadlines` runs every rule in
`bot.deadlines.registry.RULES` once on a sample date and keeps what comes out, so
a new rule cannot be missed. knowledge/deadline_labels.yml must name each one.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional, Tuple

import yaml

from bot.deadlines.registry import DATE, RULES
from bot.deadlines.statutory import COUNCIL, Deadline

SAMPLE_DATE, SAMPLE_YEAR = dt.date(2030, 1, 7), 2030
CALENDAR = {"summary": ("label",), "description": ("sentence",), "alarm": ("label",)}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@lru_cache(maxsize=1)
def known_deadlines() -> Dict[str, Deadline]:
    """Return one sample Deadline per deadline id (for its `who`, `sentence` and `kb_id`)."""
    found: Dict[str, Deadline] = {}
    for rule in RULES.values():
        answers = {i.name: SAMPLE_DATE if i.kind == DATE else SAMPLE_YEAR for i in rule.inputs}
        for deadline in rule.run(answers):
            found.setdefault(deadline.rule, deadline)
    return found


def parse_due(value: object) -> Optional[dt.date]:
    """Return a YYYY-MM-DD date, or None if the value is not exactly one."""
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


@dataclass(frozen=True)
class DeadlineLabel:
    """How one deadline is named, and for the council's deadlines what to ask on the day."""

    label: str
    check: Optional[str]
    council: bool


@dataclass(frozen=True)
class DeadlineLabels:
    """Every deadline's label, and the calendar file's wording."""

    labels: Dict[str, DeadlineLabel]
    calendar: Dict[str, str]

    def get(self, rule: str) -> Optional[DeadlineLabel]:
        """Return the label of a known deadline id, or None."""
        return self.labels.get(rule)

    def calendar_text(self, key: str, rule: str) -> str:
        """Return one calendar text filled in for a deadline."""
        return self.calendar[key].format(label=self.labels[rule].label, sentence=known_deadlines()[rule].sentence)


def _fields(template: str) -> Tuple[str, ...]:
    return tuple(sorted({f for _, f, _, _ in string.Formatter().parse(template) if f}))


def _label(rule: str, raw: object) -> DeadlineLabel:
    council = known_deadlines()[rule].who == COUNCIL
    if not isinstance(raw, dict) or not isinstance(raw.get("label"), str) or not raw["label"].strip():
        raise ValueError(f"deadline_labels.yml: '{rule}' needs a label")
    if set(raw) - {"label", "check"} or council != isinstance(raw.get("check"), str):
        raise ValueError(f"deadline_labels.yml: '{rule}' must have a check exactly when the council must act")
    check = str(raw["check"]).strip() if council else None
    return DeadlineLabel(str(raw["label"]).strip(), check, council)


def load_deadline_labels(knowledge_dir: Path) -> DeadlineLabels:
    """Load and check knowledge/deadline_labels.yml; raise ValueError on any fault."""
    data = yaml.safe_load((knowledge_dir / "deadline_labels.yml").read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("deadlines"), dict):
        raise ValueError("deadline_labels.yml: 'deadlines' must be a mapping")
    if set(data["deadlines"]) != set(known_deadlines()):
        raise ValueError(f"deadline_labels.yml must name exactly: {', '.join(sorted(known_deadlines()))}")
    calendar = data.get("calendar")
    if not isinstance(calendar, dict) or set(calendar) != set(CALENDAR):
        raise ValueError(f"deadline_labels.yml: 'calendar' must define exactly: {', '.join(CALENDAR)}")
    for key, fields in CALENDAR.items():
        if not isinstance(calendar[key], str) or _fields(calendar[key]) != fields:
            raise ValueError(f"deadline_labels.yml: calendar '{key}' must use exactly {{{', '.join(fields)}}}")
    labels = {str(rule): _label(str(rule), raw) for rule, raw in data["deadlines"].items()}
    return DeadlineLabels(labels, {k: str(v).strip() for k, v in calendar.items()})
