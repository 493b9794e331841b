"""Which stage of the EHC process a council's statutory deadline belongs to, for the evidence report.

Only the council's own deadlines are counted: the report is evidence about
the council, and a parent's missed appeal or complaint window is not. The
five stages are the ones the forum takes to the council; every other
council deadline (the 16-week notice of no plan, the final amended plan
after a review, the next review, mediation) is counted as "other".
"""

from __future__ import annotations

import datetime as dt
from typing import Dict, Optional, Tuple

from bot.deadlines.statutory import COUNCIL, Deadline

STAGES: Tuple[Tuple[str, str], ...] = (
    ("decision-6-weeks", "6-week decision to assess"),
    ("plan-20-weeks", "20-week final plan"),
    ("annual-review-decision", "Annual review decision"),
    ("phase-transfer", "Phase transfer"),
    ("tribunal-orders", "Tribunal orders"),
    ("other", "Other council deadlines"),
)
STAGE_LABELS: Dict[str, str] = dict(STAGES)
_BY_RULE: Dict[str, str] = {
    "assessment-decision": "decision-6-weeks",
    "assessment-final-plan": "plan-20-weeks",
    "review-decision": "annual-review-decision",
    "phase-transfer-school": "phase-transfer",
    "phase-transfer-post16": "phase-transfer",
    "phase-transfer-post16-move": "phase-transfer",
    "tribunal-order-assess": "tribunal-orders",
    "tribunal-order-assess-no-plan": "tribunal-orders",
    "tribunal-order-assess-plan": "tribunal-orders",
    "tribunal-order-draft-plan": "tribunal-orders",
    "tribunal-order-make-plan": "tribunal-orders",
    "tribunal-order-amend": "tribunal-orders",
    "tribunal-order-school": "tribunal-orders",
}


def stage_of(deadline: Deadline) -> Optional[str]:
    """Return the report stage of a council deadline, or None for a deadline of the parent's own."""
    if deadline.who != COUNCIL:
        return None
    return _BY_RULE.get(deadline.rule, "other")


def passed_stage(deadline: Deadline, today: dt.date) -> Optional[str]:
    """Return the stage to count when a council deadline had already passed on the day it was worked out."""
    return stage_of(deadline) if deadline.is_past(today) else None
