"""The registry of deadline rules, so the conversation can ask for what a rule still needs.

Each rule is keyed by the event a parent picks ("Assessment request sent").
It names its inputs and runs the matching function in `bot.deadlines.statutory`, which
may return several deadlines (an assessment request starts three clocks).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable, Dict, Mapping, Tuple

from bot.deadlines import statutory as d

DATE, YEAR = "date", "year"


@dataclass(frozen=True)
class Input:
    """One fact a rule needs, with the question that asks for it."""

    name: str
    kind: str  # DATE or YEAR
    question: str


@dataclass(frozen=True)
class Rule:
    """An event that starts one or more statutory clocks."""

    id: str
    label: str
    inputs: Tuple[Input, ...]
    compute: Callable[..., d.Deadlines]

    def missing(self, answers: Mapping[str, Any]) -> Tuple[Input, ...]:
        """Return the inputs not yet given, in the order to ask for them."""
        return tuple(i for i in self.inputs if answers.get(i.name) is None)

    def run(self, answers: Mapping[str, Any]) -> d.Deadlines:
        """Return the deadlines for these answers; raise ValueError if any input is missing or wrong."""
        if self.missing(answers):
            raise ValueError(f"{self.id} still needs: {', '.join(i.name for i in self.missing(answers))}")
        values = {i.name: _check(i, answers[i.name]) for i in self.inputs}
        return self.compute(**values)


def _check(item: Input, value: Any) -> Any:
    if item.kind == YEAR:
        if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2200:
            raise ValueError(f"{item.name} must be a year such as 2027")
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    if not isinstance(value, dt.date):
        raise ValueError(f"{item.name} must be a date")
    return value


def _date(name: str, question: str) -> Input:
    return Input(name, DATE, question)


_LETTER = _date("letter_date", "What date is on the council's decision letter?")

_RULES = (
    Rule("assessment-request", "Assessment request sent",
         (_date("received", "What date did the council receive your request for an assessment?"),),
         d.assessment_request),
    Rule("draft-plan", "Draft plan received",
         (_date("served", "What date was the draft plan sent to you?"),), d.draft_plan),
    Rule("annual-review", "Annual review meeting held",
         (_date("meeting", "What date was the annual review meeting?"),), d.annual_review),
    Rule("phase-transfer-school", "Moving to a new school",
         (Input("year", YEAR, "In which year will your child start at the new school?"),),
         d.phase_transfer_school),
    Rule("phase-transfer-post16", "Leaving school for post-16",
         (Input("year", YEAR, "In which year will your child leave school for post-16?"),),
         d.phase_transfer_post16),
    Rule("phase-transfer-post16-move", "Moving between colleges",
         (_date("move_date", "On what date will the move to the new college or setting happen?"),),
         d.phase_transfer_post16_move),
    Rule("decision-letter", "Decision letter received", (_LETTER,), d.decision_letter),
    Rule("certificate-issued", "Mediation certificate issued",
         (_LETTER, _date("certificate_date", "What date was the mediation certificate issued?")),
         d.certificate_issued),
    Rule("mediation-declined", "Mediation declined",
         (_date("declined", "What date did you tell the mediation adviser you did not want mediation?"),),
         d.mediation_declined),
    Rule("council-complaint", "Complaint about the council",
         (_date("known", "When did you first know about the problem with the council?"),), d.council_complaint),
    Rule("nhs-complaint", "Complaint about the NHS",
         (_date("known", "When did it happen, or when did you find out about it?"),), d.nhs_complaint),
    Rule("discrimination-claim", "Discrimination by a school",
         (_date("act", "When did the act you are complaining about happen (the last one, if several)?"),),
         d.discrimination_claim),
    Rule("judicial-review", "Council acted unlawfully",
         (_date("grounds", "When did the council's decision or failure happen?"),), d.judicial_review),
)

RULES: Dict[str, Rule] = {rule.id: rule for rule in _RULES}
