"""Time limits a parent must meet: complaints to the Ombudsmen, discrimination claims, judicial review.

None of these moves for weekends, bank holidays, Christmas or August: the
tribunal's rule 12 covers special educational needs appeals only (see
`bot.deadlines.appeals`), and the Ombudsman, NHS and court limits are set in
statute with no such rule. "Within 12 months beginning with" a day ends the
day before its anniversary (`bot.deadlines.calendar.months_beginning_with`);
"after" a day ends on the anniversary.
"""

from __future__ import annotations

import datetime as dt

from bot.deadlines.calendar import add_months, months_beginning_with
from bot.deadlines.statutory import YOU, Deadline, Deadlines


def council_complaint(known: dt.date) -> Deadlines:
    """Return the usual last day to complain to the Ombudsman: 12 months beginning with the day of notice."""
    return (Deadline("ombudsman-complaint", months_beginning_with(known, 12), known,
                     "Complain to the Local Government and Social Care Ombudsman within 12 months, starting with "
                     "the day you first knew about the problem.", "Local Government Act 1974, s26B(2)",
                     ("Complain to the council first; the Ombudsman expects it to have had a chance to reply.",
                      "The Ombudsman can accept a later complaint if there are good reasons.",
                      "It cannot look at anything you have appealed to the SEND tribunal."),
                     "complaint-council", YOU),)


def nhs_complaint(known: dt.date) -> Deadlines:
    """Return the usual last day to make an NHS complaint (12 months after the event or finding out)."""
    return (Deadline("nhs-complaint", add_months(known, 12), known,
                     "Make an NHS complaint within 12 months of what happened, or of when you found out about it.",
                     "Local Authority Social Services and NHS Complaints (England) Regulations 2009, reg 12",
                     ("The time limit can be extended if there are good reasons.",
                      "Complain to the service itself or to the Integrated Care Board, then to the Parliamentary "
                      "and Health Service Ombudsman."), "complaint-health", YOU),)


def discrimination_claim(act: dt.date) -> Deadlines:
    """Return the last day for a disability discrimination claim: 6 months starting with the act, never moved."""
    return (Deadline("discrimination-claim", months_beginning_with(act, 6), act,
                     "Your disability discrimination claim against a school must reach the tribunal within 6 "
                     "months of the act; the 6 months begin on the day of the act, so send it at the latest by "
                     "the date shown.", "Equality Act 2010, Schedule 17, para 4",
                     ("For a series of connected acts, the 6 months run from the last one.",
                      "Unlike appeals, this date does not move for weekends, Christmas or August.",
                      "No mediation certificate is needed.",
                      "Claims against councils, colleges and private nurseries go to the County Court instead."),
                     "disability-discrimination-claim", YOU),)


def judicial_review(grounds: dt.date) -> Deadlines:
    """Return the outside limit for a judicial review claim (promptly, and within 3 months)."""
    return (Deadline("judicial-review", add_months(grounds, 3), grounds,
                     "A judicial review claim must be made promptly, and in any event within 3 months of the "
                     "grounds arising.", "Civil Procedure Rules, r54.5(1)",
                     ("A claim can fail for delay even inside the 3 months, so act quickly.",
                      "A pre-action letter must come first, and often solves the problem.",
                      "Get legal advice; legal aid may be available in your child's name."),
                     "complaint-council", YOU),)
