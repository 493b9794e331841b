"""The registry of deadline rules, so the conversation can ask for what a rule still needs.

Each rule is keyed by the event a parent picks ("Assessment request sent").
It names its inputs and runs the matching function in `bot.deadlines.statutory`,
`bot.deadlines.appeals` or `bot.deadlines.complaints`, which may return several
deadlines (an assessment request starts three clocks). Each input says how to
ask for it, how to repeat it back, and whether it may be a date still to come.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable, Dict, Mapping, Tuple

from bot.deadlines import appeals as a
from bot.deadlines import complaints as c
from bot.deadlines import statutory as d

DATE, YEAR = "date", "year"
SAMPLE_DATE = dt.date(2030, 1, 7)


@dataclass(frozen=True)
class Input:
    """One fact a rule needs: the question that asks for it, and how a reply repeats it back."""

    name: str
    kind: str  # DATE or YEAR
    question: str
    said: str  # completes "You said ...", with {date}: "the decision letter is dated {date}"
    future_ok: bool = False  # True only for events that may still be to come (a planned meeting, a move)


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

    def clocks(self) -> Tuple[str, ...]:
        """Return the ids of the clocks this event starts, in order."""
        return tuple(x.rule for x in self.run({i.name: SAMPLE_DATE if i.kind == DATE else SAMPLE_DATE.year
                                                for i in self.inputs}))

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


def _date(name: str, question: str, said: str, future_ok: bool = False) -> Input:
    return Input(name, DATE, question, said, future_ok)


_LETTER = _date("letter_date", "What date is on the council's decision letter?", "the decision letter is dated {date}")
_ORDER = _date("order", "What date is on the tribunal's order?", "the tribunal's order is dated {date}")

_RULES = (
    Rule("assessment-request", "Assessment request sent",
         (_date("received", "What date did the council receive your request for an assessment?",
                "the council received the request on {date}"),), d.assessment_request),
    Rule("draft-plan", "Draft plan received",
         (_date("served", "What date was the draft plan sent to you?", "the draft plan was sent on {date}"),),
         d.draft_plan),
    Rule("annual-review", "Annual review meeting held",
         (_date("meeting", "What date was (or is) the annual review meeting?",
                "the annual review meeting date is {date}", future_ok=True),), d.annual_review),
    Rule("next-review", "Plan issued or last review finished",
         (_date("completed", "What date is on the council's decision letter after the last review? (For a new "
                "plan, the date it was first issued.)", "the last review was finished, or the plan issued, on "
                "{date}"),), d.next_review),
    Rule("phase-transfer-school", "Moving to a new school",
         (Input("year", YEAR, "In which year will your child start at the new school?",
                "your child moves school in {date}", future_ok=True),), d.phase_transfer_school),
    Rule("phase-transfer-post16", "Leaving school for post-16",
         (Input("year", YEAR, "In which year will your child leave school for post-16?",
                "your child starts post-16 in {date}", future_ok=True),), d.phase_transfer_post16),
    Rule("phase-transfer-post16-move", "Moving between colleges",
         (_date("move_date", "On what date will the move to the new college or setting happen?",
                "the move date is {date}", future_ok=True),), d.phase_transfer_post16_move),
    Rule("decision-letter", "Decision letter received", (_LETTER,), a.decision_letter),
    Rule("certificate-issued", "Mediation certificate issued",
         (_LETTER, _date("certificate_date", "What date was the mediation certificate issued?",
                         "the mediation certificate was issued on {date}")), a.certificate_issued),
    Rule("mediation-declined", "Mediation declined",
         (_date("declined", "What date did you tell the mediation adviser you did not want mediation?",
                "you told the mediation adviser on {date}"),), a.mediation_declined),
    Rule("mediation-requested", "Told the council I want mediation",
         (_date("told_council", "What date did you tell the council you want mediation?",
                "you told the council on {date}"),), a.mediation_requested),
    Rule("tribunal-order-assess", "Tribunal ordered an assessment", (_ORDER,), a.tribunal_order_assess),
    Rule("tribunal-order-make-plan", "Tribunal ordered a plan", (_ORDER,), a.tribunal_order_make_plan),
    Rule("tribunal-order-amend", "Tribunal ordered changes to the plan", (_ORDER,), a.tribunal_order_amend),
    Rule("tribunal-order-school", "Tribunal ordered a school to be named", (_ORDER,), a.tribunal_order_school),
    Rule("council-complaint", "Complaint about the council",
         (_date("known", "When did you first know about the problem with the council?",
                "you first knew about the problem on {date}"),), c.council_complaint),
    Rule("nhs-complaint", "Complaint about the NHS",
         (_date("known", "When did it happen, or when did you find out about it?",
                "it happened, or you found out, on {date}"),), c.nhs_complaint),
    Rule("discrimination-claim", "Discrimination by a school",
         (_date("act", "When did the act you are complaining about happen (the last one, if several)?",
                "it happened on {date}"),), c.discrimination_claim),
    Rule("judicial-review", "Council acted unlawfully",
         (_date("grounds", "When did the council's decision or failure happen?",
                "the council's decision or failure was on {date}"),), c.judicial_review),
)

RULES: Dict[str, Rule] = {rule.id: rule for rule in _RULES}
