"""Statutory deadlines of the EHC process (assessment, plans, reviews, phase transfer), as pure functions.

Each rule takes the date a clock started (and any facts it needs) and returns
the deadlines that follow. Figures and citations follow
shared/reference/send-facts.md. The SEND Regulations count calendar weeks and
days, not working days; only the mediation certificate counts working days.
Months follow `bot.deadlines.calendar`: "after" a day keeps the day of the
month (or the last day of a shorter month); "starting with" a day ends the
day before. Appeals, mediation and tribunal orders are in
`bot.deadlines.appeals`; complaints and claims in `bot.deadlines.complaints`.
The registry the conversation uses is `bot.deadlines.registry.RULES`; advice for
a missed deadline is `bot.deadlines.overdue.what_now`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional, Tuple

from bot.deadlines.calendar import add_months, months_beginning_with
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
    # Set when the law moves the last day on (tribunal rule 12): the day the period itself ends, why it
    # moved (`bot.deadlines.appeals.CHRISTMAS`, AUGUST or NOT_WORKING) and what was counted ("2 months
    # from the date of the decision letter").
    ends: Optional[dt.date] = None
    moved: str = ""
    counted: str = ""

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
    """Return the 4-week decision and 12-week final amended plan dates after an annual review meeting."""
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
    )


def next_review(completed: dt.date) -> Deadlines:
    """Return the last day for the next review: 12 months starting with the day the last one was completed."""
    # s44(1): "each subsequent period of 12 months starting with the date on which the plan was last
    # reviewed"; a review is completed when the council notifies its decision (audit P8, IPSEA).
    return (Deadline("next-review", months_beginning_with(completed, 12), completed,
                     "The council must complete the next review within 12 months, starting with the day the "
                     "last review was completed (usually the date of the council's decision letter after the "
                     "review) or, for a new plan, the day the plan was first issued.",
                     "Children and Families Act 2014, s44(1)",
                     ("You or the school can ask for an earlier review if needs change.",
                      "For children under 5, the Code says councils should consider reviewing every 3 to 6 "
                      "months."), "ehc-annual-review", COUNCIL),)


def phase_transfer_school(year: int) -> Deadlines:
    """Return 14 February of the year a child moves school: reg 18(1)(b) says "before 15 February"."""
    return (Deadline("phase-transfer-school", dt.date(year, 2, 14), dt.date(year, 1, 1),
                     "For a move between schools, the council must amend the plan to name the new school before "
                     "15 February in the year of the move, so 14 February is the last day.", f"{SEND_REGS}, reg 18",
                     ("Covers early years to school, infant to junior, primary to middle or secondary, "
                      "and middle to secondary.",
                      "Advice services think this can also apply if your child stays at the same all-through "
                      "school, but councils differ: ask IASK or IPSEA if that is your child's situation."),
                     "ehc-phase-transfer", COUNCIL),)


def phase_transfer_post16(year: int) -> Deadlines:
    """Return 30 March of the year a young person moves to post-16: reg 18(1)(a) says "before 31 March"."""
    return (Deadline("phase-transfer-post16", dt.date(year, 3, 30), dt.date(year, 1, 1),
                     "For a move from secondary school to a post-16 institution, the council must amend the plan "
                     "to name the school or college before 31 March in the year of the move, so 30 March is the "
                     "last day.", f"{SEND_REGS}, reg 18", (), "ehc-phase-transfer", COUNCIL),)


def phase_transfer_post16_move(move_date: dt.date) -> Deadlines:
    """Return the date 5 months before a move between post-16 institutions."""
    return (Deadline("phase-transfer-post16-move", add_months(move_date, -5), add_months(move_date, -12),
                     "For a move from one post-16 institution to another, the council must amend the plan to "
                     "name the new one at least 5 months before the move.", f"{SEND_REGS}, reg 18",
                     (), "ehc-phase-transfer", COUNCIL),)
