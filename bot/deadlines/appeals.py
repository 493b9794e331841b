"""Appeals to the SEND tribunal, mediation, and the council's deadlines after a tribunal order.

The appeal itself must reach the tribunal within 2 months of the decision
letter, or 1 month from the mediation certificate if later (HESC Rules r20).
The tribunal's own time rules then move the last day (HESC Rules r12, as
amended from 21 July 2020, send-facts.md section 4), in this order:

- r12(3)(a): a period ending on 25 December to 1 January inclusive runs to the
  first working day after 1 January; one ending on any day in August runs to
  the first working day after 31 August;
- r12(2): a period ending on any other day that is not a working day runs to
  the next working day.

A working day (HESC Rules r1) is any day but a Saturday, a Sunday, Christmas
Day, Good Friday or a bank holiday. Since the 2020 amendment these moves apply
to special educational needs appeals only: a disability discrimination claim
keeps its 6 months (Equality Act 2010 Sch 17), see `bot.deadlines.complaints`.
Mediation and tribunal-order clocks are plain days and weeks (SEND Regs), with
no moves.
"""

from __future__ import annotations

import datetime as dt
from typing import Container, Optional, Tuple

from bot.deadlines.calendar import add_months, add_working_days, england_holidays, is_working_day, next_working_day
from bot.deadlines.statutory import COUNCIL, HESC_RULES, SEND_REGS, YOU, Deadline, Deadlines

CHRISTMAS, AUGUST, NOT_WORKING = "christmas", "august", "not-working-day"
_R12 = f"{HESC_RULES}, r12(2) and r12(3)(a)"


def tribunal_last_day(end: dt.date, holidays: Container[dt.date]) -> Tuple[dt.date, str]:
    """Return the last day an SEN appeal is in time when its period ends on `end`, and why it moved ("" if not)."""
    if (end.month, end.day) >= (12, 25) or (end.month, end.day) == (1, 1):
        new_year = dt.date(end.year + (end.month == 12), 1, 1)
        return next_working_day(new_year, holidays), CHRISTMAS
    if end.month == 8:
        return next_working_day(dt.date(end.year, 8, 31), holidays), AUGUST
    if not is_working_day(end, holidays):
        return next_working_day(end, holidays), NOT_WORKING
    return end, ""


def _appeal(rule: str, end: dt.date, start: dt.date, counted: str, sentence: str, ref: str,
            exceptions: Tuple[str, ...], holidays: Optional[Container[dt.date]]) -> Deadline:
    due, moved = tribunal_last_day(end, england_holidays() if holidays is None else holidays)
    return Deadline(rule, due, start, sentence, f"{ref}; {_R12}" if moved else ref, exceptions,
                    "tribunal-deadlines", YOU, ends=end if moved else None, moved=moved,
                    counted=counted if moved else "")


_APPEAL_EXCEPTIONS = (
    "Count from the date on the letter, not the day it arrived, to be safe.",
    "An appeal only about the school named (section I) needs no mediation certificate.",
    "A late appeal is accepted only if the tribunal agrees, so do not rely on it.",
)


def decision_letter(letter_date: dt.date, holidays: Optional[Container[dt.date]] = None) -> Deadlines:
    """Return the appeal deadline: 2 calendar months after the decision letter, moved by tribunal rule 12."""
    return (_appeal("appeal-deadline", add_months(letter_date, 2), letter_date,
                    "2 months from the date of the decision letter",
                    "Contact the mediation adviser named in the letter, and get your appeal to the tribunal, "
                    "within 2 months of the date of the decision letter.",
                    f"{HESC_RULES}, r20(1)(c); Children and Families Act 2014, s55; {SEND_REGS}, reg 33",
                    ("If you get a mediation certificate, you have at least 1 month from the date it is "
                     "issued.",) + _APPEAL_EXCEPTIONS, holidays),)


def certificate_issued(letter_date: dt.date, certificate_date: dt.date,
                       holidays: Optional[Container[dt.date]] = None) -> Deadlines:
    """Return the appeal deadline: 2 months from the letter or 1 month from the certificate, if later, then rule 12."""
    by_letter, by_certificate = add_months(letter_date, 2), add_months(certificate_date, 1)
    counted = ("2 months from the date of the decision letter" if by_letter >= by_certificate
               else "1 month from the date the mediation certificate was issued")
    return (_appeal("appeal-after-certificate", max(by_letter, by_certificate), letter_date, counted,
                    "Your appeal must reach the tribunal within 2 months of the decision letter or 1 month "
                    "from the date the mediation certificate was issued, whichever is later.",
                    f"{HESC_RULES}, r20(1)(c)", _APPEAL_EXCEPTIONS[1:], holidays),)


def mediation_declined(declined: dt.date, holidays: Optional[Container[dt.date]] = None) -> Deadlines:
    """Return the date the certificate is due: 3 working days after telling the adviser you will not mediate."""
    due = add_working_days(declined, 3, england_holidays() if holidays is None else holidays)
    return (Deadline("mediation-certificate", due, declined,
                     "Once you tell the mediation adviser you do not want mediation, the adviser must issue "
                     "your mediation certificate within 3 working days.",
                     f"Children and Families Act 2014, s55; {SEND_REGS}, reg 34(1)",
                     ("Working days leave out weekends and bank holidays in England.",
                      "You do not have to take part in mediation to get a certificate."), "mediation", COUNCIL),)


def mediation_requested(told_council: dt.date) -> Deadlines:
    """Return the date mediation must be arranged by: 30 days after telling the council you want it."""
    return (Deadline("mediation-arranged", told_council + dt.timedelta(days=30), told_council,
                     "Once you tell the council you want mediation, it must arrange the mediation within 30 days.",
                     f"Children and Families Act 2014, s53; {SEND_REGS}, regs 32(e) and 35-39",
                     ("These are calendar days, not working days.",
                      "The 30 days run from telling the council, not only the mediation adviser.",
                      "If the council cannot arrange it in time, it must tell the mediation adviser, who must then "
                      "issue your certificate within 3 working days.",
                      "Your appeal deadline keeps running: 2 months from the decision letter, or 1 month from "
                      "the certificate if later."), "mediation", COUNCIL),)


# Regulation 44's own exceptions could not be checked against its text, so none is stated.
_ORDER_EXCEPTIONS = ("These are calendar weeks, not working weeks.",)


def _order(rule: str, order: dt.date, weeks: int, sentence: str, ref: str) -> Deadline:
    return Deadline(rule, order + dt.timedelta(weeks=weeks), order, sentence, f"{SEND_REGS}, {ref}",
                    _ORDER_EXCEPTIONS, "tribunal-process", COUNCIL)


def tribunal_order_assess(order: dt.date) -> Deadlines:
    """Return the 2-, 10- and 14-week deadlines after a tribunal order to assess or re-assess."""
    return (
        _order("tribunal-order-assess", order, 2, "After a tribunal order to assess, the council must tell you "
               "within 2 weeks of the order that it will carry out the assessment.", "reg 44(2)(b)"),
        _order("tribunal-order-assess-no-plan", order, 10, "If, after assessing, the council decides not to issue "
               "a plan, it must tell you within 10 weeks of the order.", "reg 44(2)(b)(i)"),
        _order("tribunal-order-assess-plan", order, 14, "If the council decides to issue a plan, the final plan is "
               "due within 14 weeks of the order.", "reg 44(2)(b)(ii)"),
    )


def tribunal_order_make_plan(order: dt.date) -> Deadlines:
    """Return the 5-week draft and 11-week final plan deadlines after an order to make and maintain a plan."""
    return (
        _order("tribunal-order-draft-plan", order, 5, "After a tribunal order to make a plan, the council must "
               "send you the draft plan within 5 weeks of the order.", "reg 44(2)(c)(i)"),
        _order("tribunal-order-make-plan", order, 11, "After a tribunal order to make a plan, the council must "
               "send you the final plan within 11 weeks of the order.", "reg 44(2)(c)(ii)"),
    )


def tribunal_order_amend(order: dt.date) -> Deadlines:
    """Return the 5-week deadline for the amended plan after an order to change its contents."""
    return (_order("tribunal-order-amend", order, 5, "After a tribunal order to change the plan, the council must "
                   "send you the amended plan within 5 weeks of the order.", "reg 44(2)"),)


def tribunal_order_school(order: dt.date) -> Deadlines:
    """Return the 2-week deadline for naming the school the tribunal ordered."""
    return (_order("tribunal-order-school", order, 2, "After a tribunal order about the school or college named "
                   "in the plan, the council must amend the plan to name it within 2 weeks of the order.", "reg 44(2)"),)
