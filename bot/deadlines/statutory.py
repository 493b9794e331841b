"""Statutory deadlines for parents of children with SEND in England, as pure functions.

Each rule takes the date a clock started (and any facts it needs) and returns
the deadlines that follow. Figures and citations follow
shared/reference/send-facts.md. The SEND Regulations count calendar weeks and
days, not working days; only the mediation certificate counts working days.
Months follow `bot.deadlines.calendar.add_months`: same day of the month, or the last day
of a shorter month, so a date shown is never later than the law allows.
The registry the conversation uses is `bot.deadlines.registry.RULES`; advice for
a missed deadline is `bot.deadlines.overdue.what_now`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Container, Optional, Tuple

from bot.deadlines.calendar import add_months, add_working_days, england_holidays
from bot.text import long_date

COUNCIL, YOU = "council", "you"
SEND_REGS = "SEND Regulations 2014"
HESC_RULES = "Tribunal Procedure (First-tier Tribunal) (HESC) Rules 2008"
Deadlines = Tuple["Deadline", ...]


@dataclass(frozen=True)
class Deadline:
    """One statutory time limit, worked out for one family's dates."""

    rule: str
    due: dt.date
    starts: dt.date
    sentence: str
    legal_ref: str
    exceptions: Tuple[str, ...]
    kb_id: str
    who: str

    def days_left(self, today: dt.date) -> int:
        """Return days from today to the due date (negative once it has passed)."""
        return (self.due - _as_date(today)).days

    def is_past(self, today: dt.date) -> bool:
        """Return True once the due date is behind us."""
        return self.days_left(today) < 0

    def describe(self, today: dt.date) -> str:
        """Return a plain-English status line for the due date."""
        left = self.days_left(today)
        if left < 0:
            return f"This date passed {_days(-left)} ago ({long_date(self.due)})."
        when = "today" if left == 0 else f"{_days(left)} from today"
        return f"{long_date(self.due)} ({self.due:%A}) — {when}"


def _as_date(day: dt.date) -> dt.date:
    return day.date() if isinstance(day, dt.datetime) else day


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


_ASSESSMENT_EXCEPTIONS = (
    "A school or college closed for 4 weeks or more, such as the summer holidays, can allow more time.",
    "Exceptional personal circumstances affecting your child or family can allow more time.",
    "Your child or family being away from the area for 4 weeks or more can allow more time.",
    "Waiting lists and staff shortages are not exceptions.",
    "These are calendar weeks, not working weeks.",
)


def assessment_request(received: dt.date) -> Deadlines:
    """Return the 6-, 16- and 20-week deadlines after the council receives an assessment request."""
    def make(rule: str, weeks: int, sentence: str, ref: str) -> Deadline:
        due = received + dt.timedelta(weeks=weeks)
        return Deadline(rule, due, received, sentence, f"{SEND_REGS}, {ref}", _ASSESSMENT_EXCEPTIONS,
                        "ehc-assessment-timescales", COUNCIL)

    return (
        make("assessment-decision", 6, "The council must tell you whether it will assess within 6 weeks "
             "of receiving your request.", "reg 5(1)"),
        make("assessment-no-plan", 16, "If the council assesses and decides not to issue a plan, it must "
             "tell you within 16 weeks of receiving your request.", "reg 10(1)"),
        make("assessment-final-plan", 20, "The council must send you the final EHC plan within 20 weeks "
             "of receiving your request.", "reg 13(2)"),
    )


def draft_plan(served: dt.date) -> Deadlines:
    """Return the last day to respond to a draft plan (15 days, the day served being day 1)."""
    sentence = ("You have at least 15 days to comment on the draft plan, ask for a school or college and ask "
                "for a meeting; the day the draft was served counts as day 1, so the last day is 14 days later.")
    exceptions = (
        "These are calendar days, not working days.",
        "The council may give you longer, but not less.",
        "The draft must not name a school; the school you ask for goes in the final plan.",
    )
    return (Deadline("draft-plan-comments", served + dt.timedelta(days=14), served, sentence,
                     f"{SEND_REGS}, reg 13(1); Children and Families Act 2014, s38", exceptions,
                     "ehc-draft-plan", YOU),)


def annual_review(meeting: dt.date) -> Deadlines:
    """Return the 4-week decision, 12-week final plan and next-review dates after a review meeting."""
    return (
        Deadline("review-decision", meeting + dt.timedelta(weeks=4), meeting,
                 "Within 4 weeks of the review meeting the council must tell you whether it will keep, change "
                 "or end the plan, and send any proposed changes with that decision.",
                 f"{SEND_REGS}, reg 20(10); R (L) v Devon CC [2022] EWHC 493 (Admin)",
                 ("You then have at least 15 days to comment on any proposed changes.",
                  "A decision not to change the plan can be appealed to the tribunal."),
                 "ehc-annual-review", COUNCIL),
        Deadline("review-final-plan", meeting + dt.timedelta(weeks=12), meeting,
                 "If the council changes the plan, the final amended plan is due at the latest 12 weeks after "
                 "the review meeting (8 weeks after the proposed changes).",
                 f"{SEND_REGS}, reg 22; R (L) v Devon CC [2022] EWHC 493 (Admin)",
                 ("You can appeal sections B, F and I of the amended plan once it is final.",),
                 "ehc-annual-review", COUNCIL),
        Deadline("next-review", add_months(meeting, 12), meeting,
                 "The council must review the plan again within 12 months of this review.",
                 "Children and Families Act 2014, s44(1)",
                 ("You or the school can ask for an earlier review if needs change.",
                  "For children under 5, the Code says councils should consider reviewing every 3 to 6 months."),
                 "ehc-annual-review", COUNCIL),
    )


_PHASE_EXCEPTIONS = ("This applies even if your child stays at the same all-through school.",)


def phase_transfer_school(year: int) -> Deadlines:
    """Return 15 February of the year a child moves school (e.g. primary to secondary)."""
    return (Deadline("phase-transfer-school", dt.date(year, 2, 15), dt.date(year, 1, 1),
                     "For a move between schools, the council must amend the plan to name the new school by "
                     "15 February in the year of the move.", f"{SEND_REGS}, reg 18",
                     ("Covers early years to school, infant to junior, primary to middle or secondary, "
                      "and middle to secondary.",) + _PHASE_EXCEPTIONS, "ehc-phase-transfer", COUNCIL),)


def phase_transfer_post16(year: int) -> Deadlines:
    """Return 31 March of the year a young person moves from secondary school to post-16."""
    return (Deadline("phase-transfer-post16", dt.date(year, 3, 31), dt.date(year, 1, 1),
                     "For a move from secondary school to post-16, the council must amend the plan to name the "
                     "school or college by 31 March in the year of the move.", f"{SEND_REGS}, reg 18",
                     _PHASE_EXCEPTIONS, "ehc-phase-transfer", COUNCIL),)


def phase_transfer_post16_move(move_date: dt.date) -> Deadlines:
    """Return the date 5 months before a move between post-16 institutions."""
    return (Deadline("phase-transfer-post16-move", add_months(move_date, -5), add_months(move_date, -12),
                     "For a move from one post-16 institution to another, the council must amend the plan to "
                     "name the new one at least 5 months before the move.", f"{SEND_REGS}, reg 18",
                     (), "ehc-phase-transfer", COUNCIL),)


_APPEAL_EXCEPTIONS = (
    "Count from the date on the letter, not the day it arrived, to be safe.",
    "An appeal only about the school named (section I) needs no mediation certificate.",
    "A late appeal is accepted only if the tribunal agrees, so do not rely on it.",
)


def decision_letter(letter_date: dt.date) -> Deadlines:
    """Return the appeal deadline, 2 calendar months after the council's decision letter."""
    return (Deadline("appeal-deadline", add_months(letter_date, 2), letter_date,
                     "Contact the mediation adviser named in the letter, and get your appeal to the tribunal, "
                     "within 2 months of the date of the decision letter.",
                     f"{HESC_RULES}, r20(1)(c); Children and Families Act 2014, s55",
                     ("If you get a mediation certificate, you have at least 1 month from the date it is "
                      "issued.",) + _APPEAL_EXCEPTIONS, "tribunal-deadlines", YOU),)


def certificate_issued(letter_date: dt.date, certificate_date: dt.date) -> Deadlines:
    """Return the appeal deadline: 2 months from the letter or 1 month from the certificate, if later."""
    due = max(add_months(letter_date, 2), add_months(certificate_date, 1))
    return (Deadline("appeal-after-certificate", due, letter_date,
                     "Your appeal must reach the tribunal within 2 months of the decision letter or 1 month "
                     "from the date the mediation certificate was issued, whichever is later.",
                     f"{HESC_RULES}, r20(1)(c)", _APPEAL_EXCEPTIONS[1:], "tribunal-deadlines", YOU),)


def mediation_declined(declined: dt.date, holidays: Optional[Container[dt.date]] = None) -> Deadlines:
    """Return the date the certificate is due: 3 working days after telling the adviser you will not mediate."""
    due = add_working_days(declined, 3, england_holidays() if holidays is None else holidays)
    return (Deadline("mediation-certificate", due, declined,
                     "Once you tell the mediation adviser you do not want mediation, the adviser must issue "
                     "your mediation certificate within 3 working days.",
                     f"Children and Families Act 2014, s55; {SEND_REGS}, reg 33",
                     ("Working days leave out weekends and bank holidays in England.",
                      "You do not have to take part in mediation to get a certificate."), "mediation", COUNCIL),)


def council_complaint(known: dt.date) -> Deadlines:
    """Return the usual last day to complain to the Local Government and Social Care Ombudsman."""
    return (Deadline("ombudsman-complaint", add_months(known, 12), known,
                     "Complain to the Local Government and Social Care Ombudsman within 12 months of when you "
                     "knew about the problem.", "Local Government Act 1974, s26B",
                     ("Complain to the council first; the Ombudsman expects it to have had a chance to reply.",
                      "The Ombudsman can accept a later complaint if there are good reasons.",
                      "It cannot look at anything you have appealed to the SEND tribunal."),
                     "complaint-council", YOU),)


def nhs_complaint(known: dt.date) -> Deadlines:
    """Return the usual last day to make an NHS complaint (12 months)."""
    return (Deadline("nhs-complaint", add_months(known, 12), known,
                     "Make an NHS complaint within 12 months of what happened, or of when you found out about it.",
                     "Local Authority Social Services and NHS Complaints (England) Regulations 2009, reg 12",
                     ("The time limit can be extended if there are good reasons.",
                      "Complain to the service itself or to the Integrated Care Board, then to the Parliamentary "
                      "and Health Service Ombudsman."), "complaint-health", YOU),)


def discrimination_claim(act: dt.date) -> Deadlines:
    """Return the last safe day for a disability discrimination claim (6 months beginning with the act)."""
    due = add_months(act, 6) - dt.timedelta(days=1)
    return (Deadline("discrimination-claim", due, act,
                     "Your disability discrimination claim against a school must reach the tribunal within 6 "
                     "months of the act; the 6 months begin on the day of the act, so send it at the latest by "
                     "the date shown.", "Equality Act 2010, Schedule 17",
                     ("For a series of connected acts, the 6 months run from the last one.",
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
