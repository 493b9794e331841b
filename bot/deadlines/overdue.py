"""What a parent can do once a deadline has passed.

Missed council deadlines cannot be appealed. The routes are the council's
complaints procedure, then the Local Government and Social Care Ombudsman,
or a pre-action letter before judicial review (send-facts.md, section 5).
A council that misses a tribunal order's deadline can also be reported to the
Secretary of State under sections 496 and 497 of the Education Act 1996
(send-facts.md, section 4, "LA deadlines to comply with orders").
Each step names the letter template in `bot.letters.fill` that helps, with the
answers it can fill in already.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Mapping, Optional, Tuple

from bot.deadlines.statutory import COUNCIL, Deadline
from bot.text import long_date

MISSED_DEADLINE = "missed-deadline"

# Deadline rule -> the `deadline` choice in the missed-deadline letter.
MISSED_DEADLINE_CHOICES: Dict[str, str] = {
    "assessment-decision": "6-weeks",
    "assessment-final-plan": "20-weeks",
    "review-decision": "review-4-weeks",
    "review-final-plan": "review-12-weeks",
    "next-review": "review-12-months",
    "phase-transfer-school": "phase-transfer-15-february",
    "phase-transfer-post16": "phase-transfer-31-march",
    "phase-transfer-post16-move": "phase-transfer-5-months",
}

_COUNCIL_STEPS = (
    "Write to the council: say which deadline it missed and ask for the date it will be met.",
    "If it does not put things right, make a formal complaint through the council's complaints procedure, "
    "then go to the Local Government and Social Care Ombudsman (free).",
    "Ask IASK, IPSEA or SOS!SEN about a pre-action letter, the formal step before judicial review; "
    "SOS!SEN writes free ones for simple missed deadlines.",
)
_MISSED_ORDER = (
    "Write to the council: say which tribunal order it has not carried out, the date it was due, and ask when "
    "it will act.",
    "Make a formal complaint through the council's complaints procedure. You can also ask the Secretary of State "
    "for Education to direct the council to act (sections 496 and 497 of the Education Act 1996).",
    "Ask IASK, IPSEA or SOS!SEN about a pre-action letter, the formal step before judicial review of the "
    "council's failure to follow the order.",
)
_LATE_APPEAL = (
    "Get advice from IASK or IPSEA today.",
    "You can still send your appeal with your reasons for the delay; the tribunal decides whether to accept it.",
    "If you have not contacted the mediation adviser yet, do that now too.",
)

# Deadline rule -> (steps, letter template id, answers the letter can take from the deadline).
_OTHER: Dict[str, Tuple[Tuple[str, ...], Optional[str], Dict[str, str]]] = {
    # Week 16 is only a breach if the council then refuses a plan; the 20-week limit still applies.
    "assessment-no-plan": ((
        "Ask the council in writing whether it will issue a plan: if it decided not to, it should have "
        "told you by now.",
        "If the council refuses to issue a plan, you can appeal; its letter must explain how.",
        "If the 20 weeks also pass without a final plan, write to the council about the missed deadline.",
    ), None, {}),
    "mediation-certificate": ((
        "Chase the mediation adviser in writing, and copy in the council's SEND team.",
        "Keep track of your appeal deadline: 2 months from the decision letter, or 1 month from the "
        "certificate if that is later.",
        "If the appeal deadline is close, ask IASK or IPSEA for advice straight away.",
    ), "mediation", {"request": "certificate"}),
    "mediation-arranged": ((
        "Ask the council in writing when the mediation will take place.",
        "If it cannot arrange mediation within the 30 days, it must tell the mediation adviser, who must then "
        "issue your certificate within 3 working days; ask the adviser for it.",
        "Keep track of your appeal deadline: 2 months from the decision letter, or 1 month from the "
        "certificate if that is later. Ask IASK or IPSEA for advice if it is close.",
    ), None, {}),
    "draft-plan-comments": ((
        "Send your comments and the school you want now anyway, and ask the council to consider them "
        "before it finalises the plan.",
        "When the final plan arrives, you can appeal sections B, F and I if you disagree.",
    ), "draft-plan-response", {}),
    "appeal-deadline": (_LATE_APPEAL, None, {}),
    # As at week 16 of an assessment: week 10 is only missed if the council then refuses a plan.
    "tribunal-order-assess-no-plan": ((
        "Ask the council in writing whether it will issue a plan: if it decided not to, it should have told "
        "you by now.",
        "If the council refuses to issue a plan, you can appeal; its letter must explain how.",
        "If 14 weeks from the order pass without a final plan, the council has missed the tribunal's deadline.",
    ), None, {}),
    **{rule: (_MISSED_ORDER, "complaint-stage-1", {}) for rule in (
        "tribunal-order-assess", "tribunal-order-assess-plan",
        "tribunal-order-draft-plan", "tribunal-order-make-plan", "tribunal-order-amend", "tribunal-order-school")},
    "appeal-after-certificate": (_LATE_APPEAL, None, {}),
    "ombudsman-complaint": ((
        "You can still complain: explain why you could not complain sooner. The Ombudsman can accept a "
        "late complaint if there are good reasons.",
        "If you have not complained to the council yet, start there.",
    ), "complaint-stage-1", {}),
    "nhs-complaint": ((
        "You can still complain: explain why it is late. The 12 months can be extended for good reasons.",
        "Free NHS complaints advocacy can help you write it.",
    ), None, {}),
    "discrimination-claim": ((
        "Ask IPSEA or IASK straight away whether a late claim can still be made.",
        "You can still complain to the school through its complaints procedure.",
    ), None, {}),
    "judicial-review": ((
        "Get legal advice straight away about whether anything can still be done.",
        "You can still complain to the council, then the Local Government and Social Care Ombudsman.",
    ), "complaint-stage-1", {}),
}


@dataclass(frozen=True)
class WhatNow:
    """Next steps after a missed deadline, and the letter that helps with the first one."""

    steps: Tuple[str, ...]
    kb_id: str
    letter: Optional[str] = None
    letter_answers: Mapping[str, str] = field(default_factory=dict)


def what_now(deadline: Deadline) -> WhatNow:
    """Return plain next steps for when this deadline has passed."""
    choice = MISSED_DEADLINE_CHOICES.get(deadline.rule)
    if choice is not None:
        answers = {"deadline": choice, "due_date": long_date(deadline.due)}
        return WhatNow(_COUNCIL_STEPS, deadline.kb_id, MISSED_DEADLINE, answers)
    if deadline.rule in _OTHER:
        steps, letter, answers = _OTHER[deadline.rule]
        return WhatNow(steps, deadline.kb_id, letter, dict(answers))
    steps = _COUNCIL_STEPS[1:] if deadline.who == COUNCIL else ("Ask IASK or IPSEA for advice straight away.",)
    return WhatNow(steps, deadline.kb_id)
