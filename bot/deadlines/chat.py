"""Work out a deadline from what a parent said: which rule applies, and the dates it needs.

A knowledge answer can come with the parent's own date ("I asked for an
assessment on 5 January 2026, when must they decide?"). KB_RULES says which
rules in `bot.deadlines.registry.RULES` belong to each knowledge entry; the dates
come from `bot.deadlines.reading`. When a rule cannot be run (no date, or the phase
transfer type is unclear), nothing is guessed: the caller offers the form.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Tuple

from bot.deadlines.reading import find_dates, parse_year
from bot.deadlines.registry import DATE, RULES, Rule
from bot.deadlines.statutory import Deadline

# Knowledge entry -> the rules (events) that start its clocks, most common first.
KB_RULES: Dict[str, Tuple[str, ...]] = {
    "ehc-assessment-timescales": ("assessment-request",),
    "ehc-draft-plan": ("draft-plan",),
    "ehc-annual-review": ("annual-review",),
    "ehc-phase-transfer": ("phase-transfer-school", "phase-transfer-post16"),
    "tribunal-deadlines": ("decision-letter", "certificate-issued"),
    "mediation": ("mediation-declined",),
    "complaint-council": ("council-complaint",),
    "complaint-health": ("nhs-complaint",),
    "disability-discrimination-claim": ("discrimination-claim",),
}
_POST16 = re.compile(r"\b(college|post[- ]?16|sixth form|6th form|year 11|yr 11|leaving school|fe)\b", re.IGNORECASE)
_SCHOOL = re.compile(r"\b(secondary|primary|junior|infant|reception|nursery|school|year [0-9]|yr [0-9])\b",
                     re.IGNORECASE)
_CERTIFICATE = re.compile(r"certificate", re.IGNORECASE)
# One event starts several clocks; these words say which one the parent is asking about.
_FOCUS = (
    (re.compile(r"\bfinal\b|finished plan|plan (?:be |is )?(?:issued|sent|ready|done)|20 ?weeks|whole process", re.I),
     ("assessment-final-plan", "review-final-plan")),
    (re.compile(r"16 ?weeks|not to (?:issue|make) a plan|refuse to (?:issue|make)", re.I), ("assessment-no-plan",)),
    (re.compile(r"next (?:annual )?review", re.I), ("next-review",)),
)


@dataclass(frozen=True)
class Worked:
    """The deadlines that follow from one rule and the parent's answers, with the one that matters most."""

    rule: Rule
    deadlines: Tuple[Deadline, ...]
    focus: Tuple[str, ...] = ()

    @property
    def main(self) -> Deadline:
        """Return the deadline the parent most likely asked about (named in the message, else the first clock)."""
        return next((d for d in self.deadlines if d.rule in self.focus), self.deadlines[0])


def deadline_json(deadline: Deadline) -> Dict[str, str]:
    """Return the machine-readable `deadline` object for a payload."""
    return {"rule": deadline.rule, "from": deadline.starts.isoformat(), "due": deadline.due.isoformat()}


def work_out(rule_id: str, answers: Mapping[str, Any]) -> Worked:
    """Run one rule on the answers (ValueError if any is missing or wrong)."""
    rule = RULES[rule_id]
    return Worked(rule, rule.run(answers))


def first_input(rule_id: str) -> str:
    """Return the name of the first fact a rule needs."""
    return RULES[rule_id].inputs[0].name


def from_message(kb_id: str, text: str, today: dt.date) -> Optional[Worked]:
    """Return the deadlines a message's own dates give for a knowledge entry, or None if it lacks them."""
    rule_ids = KB_RULES.get(kb_id)
    if not rule_ids:
        return None
    if kb_id == "ehc-phase-transfer":
        return _phase_transfer(text, today)
    dates = [f for f in find_dates(text, today) if f.date <= today]
    if not dates:
        return None
    if kb_id == "tribunal-deadlines" and len(dates) >= 2 and _CERTIFICATE.search(text):
        where = _CERTIFICATE.search(text).start()  # type: ignore[union-attr]
        certificate = min(dates, key=lambda f: abs(f.start - where))
        letter = next(f for f in dates if f is not certificate)
        return work_out("certificate-issued", {"letter_date": letter.date, "certificate_date": certificate.date})
    rule = RULES[rule_ids[0]]
    worked = work_out(rule.id, {rule.inputs[0].name: dates[0].date})
    focus = tuple(r for pattern, rules in _FOCUS if pattern.search(text) for r in rules)
    return Worked(worked.rule, worked.deadlines, focus)


def _phase_transfer(text: str, today: dt.date) -> Optional[Worked]:
    year = parse_year(text, today)
    if year is None:
        return None
    if _POST16.search(text):
        return work_out("phase-transfer-post16", {"year": year})
    if _SCHOOL.search(text):
        return work_out("phase-transfer-school", {"year": year})
    return None


def rule_for_choice(text: str) -> Optional[str]:
    """Return the rule id a parent picked, by id or label ("Draft plan received"), or None."""
    wanted = " ".join(text.lower().replace("-", " ").split())
    for rule in RULES.values():
        if wanted in (rule.id.replace("-", " "), rule.label.lower()):
            return rule.id
    return None


def is_date_input(rule_id: str) -> bool:
    """Return True if the rule's first fact is a date (otherwise it is a year)."""
    return RULES[rule_id].inputs[0].kind == DATE


def second_input(rule_id: str) -> Optional[str]:
    """Return the name of a rule's second fact, if it needs one (the mediation certificate date)."""
    inputs = RULES[rule_id].inputs
    return inputs[1].name if len(inputs) > 1 else None


def answers_for(rule_id: str, first: Any, second: Any = None) -> Dict[str, Any]:
    """Return the answers mapping for a rule from the form's one or two values."""
    inputs = RULES[rule_id].inputs
    values: List[Any] = [first, second]
    return {item.name: values[i] for i, item in enumerate(inputs)}
