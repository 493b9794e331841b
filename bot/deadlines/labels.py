"""Names for each statutory deadline, shared by Telegram reminders and the widget's calendar file.

The set of deadline ids (`assessment-final-plan`, `appeal-deadline`, ...) is
not listed anywhere by hand: `known_deadlines` runs every rule in
`bot.deadlines.registry.RULES` once on a sample date and keeps what comes out, so
a new rule cannot be missed. knowledge/deadline_labels.yml must name each one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional

from bot.deadlines.registry import DATE, RULES
from bot.deadlines.statutory import COUNCIL, Deadline
from bot.knowledge.reading import validate_file
from bot.knowledge.schema import Map, Report, Str

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


def _label_spec(rule: str) -> Map:
    council = known_deadlines()[rule].who == COUNCIL
    return Map({"label": Str()}, {"check": Str()}, checks=[
        lambda raw: None if ("check" in raw) == council else "must have a check exactly when the council must act"])


def load_deadline_labels(knowledge_dir: Path) -> DeadlineLabels:
    """Load and check knowledge/deadline_labels.yml; raise KnowledgeBaseError (a ValueError) listing every fault."""
    spec = Map({  # built per load: the deadline ids come from running the rules, never at import
        "deadlines": Map({rule: _label_spec(rule) for rule in sorted(known_deadlines())}),
        "calendar": Map({key: Str(fields=fields) for key, fields in CALENDAR.items()}),
    })
    report = Report()
    clean = validate_file(knowledge_dir / "deadline_labels.yml", spec, report)
    report.raise_if_any()
    labels = {rule: DeadlineLabel(raw["label"], raw.get("check"), known_deadlines()[rule].who == COUNCIL)
              for rule, raw in clean["deadlines"].items()}
    return DeadlineLabels(labels, clean["calendar"])
