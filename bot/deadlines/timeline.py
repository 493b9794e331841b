"""Where a family is in the EHC needs assessment: done, next and overdue, from the dates they know.

The clocks all run from the day the council received the request
(`bot.deadlines.statutory.assessment_request`): a decision on assessing by week 6 and
the final plan by week 20. The draft plan has no date of its own in the
Regulations, but once it arrives the parent's 15 days to comment start.
Any date the parent does not know is simply left out; nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping, Optional, Tuple

from bot.deadlines.statutory import Deadline, assessment_request, draft_plan

DONE, NEXT, OVERDUE, WAITING, UNKNOWN = "done", "next", "overdue", "waiting", "unknown"
STEPS = (
    ("request", "Request for an assessment sent"),
    ("decision", "Decision on whether to assess (or assessment agreed)"),
    ("draft", "Draft plan sent to you"),
    ("final", "Final EHC plan"),
)


@dataclass(frozen=True)
class Step:
    """One step of the process and where it stands."""

    key: str
    label: str
    status: str
    date: Optional[dt.date] = None  # when it happened, or when it is due
    deadline: Optional[Deadline] = None

    def days_overdue(self, today: dt.date) -> int:
        """Return how many days the step is past its due date (0 if not overdue)."""
        return max(0, -self.deadline.days_left(today)) if self.deadline else 0


def build_timeline(known: Mapping[str, Optional[dt.date]], today: dt.date) -> Tuple[Step, ...]:
    """Return every step with its status, given the dates the parent knows (missing keys are unknown)."""
    request = known.get("request")
    clocks = {d.rule: d for d in assessment_request(request)} if request else {}
    due = {"decision": clocks.get("assessment-decision"), "final": clocks.get("assessment-final-plan")}
    draft = known.get("draft")
    if draft and not known.get("final"):
        due["draft"] = draft_plan(draft)[0]
    steps = []
    for key, label in STEPS:
        happened, deadline = known.get(key), due.get(key)
        if happened and key != "draft":
            steps.append(Step(key, label, DONE, happened))
        elif happened:
            steps.append(Step(key, label, DONE, happened, deadline))
        elif deadline is None:
            steps.append(Step(key, label, UNKNOWN))
        else:
            status = OVERDUE if deadline.is_past(today) else WAITING
            steps.append(Step(key, label, status, deadline.due, deadline))
    return _mark_next(tuple(steps))


def _mark_next(steps: Tuple[Step, ...]) -> Tuple[Step, ...]:
    """Mark the first step still waiting as the next one."""
    for i, step in enumerate(steps):
        if step.status == WAITING:
            return steps[:i] + (Step(step.key, step.label, NEXT, step.date, step.deadline),) + steps[i + 1:]
    return steps
