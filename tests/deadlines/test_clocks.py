"""Every statutory clock, worked by hand from the primary text: at least 6 cases each.

Each row runs the event through `bot.deadlines.registry.RULES` (the path the
conversation takes) and names the clock it checks. The comment on each row
says which rule gives the answer. Weekdays and England bank holidays were
checked against gov.uk's published dates (2026: Good Friday 3 April, Easter
Monday 6 April, 25 May, 31 August, Boxing Day substitute Monday 28 December;
2027: 26 and 29 March, 31 May, 30 August, Christmas substitutes Monday 27 and
Tuesday 28 December; 2028: New Year substitute Monday 3 January).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any, Tuple

import pytest

from bot.deadlines.appeals import AUGUST, CHRISTMAS, NOT_WORKING
from bot.deadlines.registry import RULES

D = dt.date
Case = Tuple[str, Tuple[Any, ...], str, dt.date]

CASES: Tuple[Case, ...] = (
    # ---- SEND Regs reg 5(1): decision whether to assess, 6 calendar weeks (42 days) from receipt ----
    ("assessment-request", (D(2026, 1, 5),), "assessment-decision", D(2026, 2, 16)),  # reg 5(1): Mon + 42 days
    ("assessment-request", (D(2028, 1, 20),), "assessment-decision", D(2028, 3, 2)),  # reg 5(1): over 29 Feb 2028
    ("assessment-request", (D(2027, 1, 20),), "assessment-decision", D(2027, 3, 3)),  # reg 5(1): 28-day February
    ("assessment-request", (D(2026, 11, 13),), "assessment-decision", D(2026, 12, 25)),  # reg 5(1): weeks, no move
    ("assessment-request", (D(2026, 7, 21),), "assessment-decision", D(2026, 9, 1)),  # reg 5(1): over August
    ("assessment-request", (D(2026, 12, 31),), "assessment-decision", D(2027, 2, 11)),  # reg 5(1): over year end
    ("assessment-request", (D(2026, 11, 9),), "assessment-decision", D(2026, 12, 21)),  # reg 5(1): 3 weeks ago
    # ---- SEND Regs reg 10(1): no-plan decision, 16 weeks (112 days) from receipt ----
    ("assessment-request", (D(2026, 1, 5),), "assessment-no-plan", D(2026, 4, 27)),  # reg 10(1)
    ("assessment-request", (D(2026, 2, 3),), "assessment-no-plan", D(2026, 5, 26)),  # reg 10(1): 25 May BH irrelevant
    ("assessment-request", (D(2026, 9, 7),), "assessment-no-plan", D(2026, 12, 28)),  # reg 10(1): ends on a BH, no move
    ("assessment-request", (D(2027, 11, 10),), "assessment-no-plan", D(2028, 3, 1)),  # reg 10(1): over 29 Feb 2028
    ("assessment-request", (D(2026, 11, 10),), "assessment-no-plan", D(2027, 3, 2)),  # reg 10(1): 28-day February
    ("assessment-request", (D(2026, 11, 5),), "assessment-no-plan", D(2027, 2, 25)),  # reg 10(1)
    # ---- SEND Regs reg 13(2): final plan, 20 weeks (140 days) from receipt ----
    ("assessment-request", (D(2026, 1, 5),), "assessment-final-plan", D(2026, 5, 25)),  # reg 13(2): lands on a BH
    ("assessment-request", (D(2026, 9, 14),), "assessment-final-plan", D(2027, 2, 1)),  # reg 13(2)
    ("assessment-request", (D(2026, 9, 30),), "assessment-final-plan", D(2027, 2, 17)),  # reg 13(2): 2 months ago
    ("assessment-request", (D(2026, 3, 5),), "assessment-final-plan", D(2026, 7, 23)),  # reg 13(2)
    ("assessment-request", (D(2027, 10, 12),), "assessment-final-plan", D(2028, 2, 29)),  # reg 13(2): lands 29 Feb
    ("assessment-request", (D(2025, 9, 9),), "assessment-final-plan", D(2026, 1, 27)),  # reg 13(2): over new year
    # ---- reg 13(1): at least 15 days beginning with the day served, so served + 14 ----
    ("draft-plan", (D(2026, 3, 2),), "draft-plan-comments", D(2026, 3, 16)),  # reg 13(1): day served is day 1
    ("draft-plan", (D(2028, 2, 20),), "draft-plan-comments", D(2028, 3, 5)),  # reg 13(1): over 29 Feb 2028
    ("draft-plan", (D(2027, 2, 20),), "draft-plan-comments", D(2027, 3, 6)),  # reg 13(1): 28-day February
    ("draft-plan", (D(2026, 11, 17),), "draft-plan-comments", D(2026, 12, 1)),  # reg 13(1): calendar days
    ("draft-plan", (D(2026, 12, 18),), "draft-plan-comments", D(2027, 1, 1)),  # reg 13(1): ends on a BH, no move
    ("draft-plan", (D(2026, 11, 27),), "draft-plan-comments", D(2026, 12, 11)),  # reg 13(1): "last Friday"
    # ---- reg 20(10) and R (L) v Devon: decision within 4 weeks of the review meeting ----
    ("annual-review", (D(2026, 6, 10),), "review-decision", D(2026, 7, 8)),  # reg 20(10): + 28 days
    ("annual-review", (D(2026, 11, 23),), "review-decision", D(2026, 12, 21)),  # reg 20(10)
    ("annual-review", (D(2026, 10, 8),), "review-decision", D(2026, 11, 5)),  # reg 20(10)
    ("annual-review", (D(2028, 2, 1),), "review-decision", D(2028, 2, 29)),  # reg 20(10): lands 29 Feb 2028
    ("annual-review", (D(2027, 2, 1),), "review-decision", D(2027, 3, 1)),  # reg 20(10): 28-day February
    ("annual-review", (D(2026, 11, 28),), "review-decision", D(2026, 12, 26)),  # reg 20(10): weeks, no move
    # ---- reg 22 and Devon: final amended plan at the latest 12 weeks (84 days) after the meeting ----
    ("annual-review", (D(2026, 6, 10),), "review-final-plan", D(2026, 9, 2)),  # reg 22(3): 4 + 8 weeks
    ("annual-review", (D(2026, 10, 19),), "review-final-plan", D(2027, 1, 11)),  # reg 22(3)
    ("annual-review", (D(2026, 9, 16),), "review-final-plan", D(2026, 12, 9)),  # reg 22(3)
    ("annual-review", (D(2026, 11, 12),), "review-final-plan", D(2027, 2, 4)),  # reg 22(3)
    ("annual-review", (D(2027, 12, 7),), "review-final-plan", D(2028, 2, 29)),  # reg 22(3): lands 29 Feb 2028
    ("annual-review", (D(2026, 10, 2),), "review-final-plan", D(2026, 12, 25)),  # reg 22(3): weeks, no move
    # ---- CFA 2014 s44(1): 12 months STARTING WITH the day the last review was completed (or plan made) ----
    ("next-review", (D(2026, 1, 14),), "next-review", D(2027, 1, 13)),  # s44(1)(a): "starting with": day before
    ("next-review", (D(2026, 3, 1),), "next-review", D(2027, 2, 28)),  # s44(1)(b): day before 1 Mar 2027
    ("next-review", (D(2027, 3, 1),), "next-review", D(2028, 2, 29)),  # s44(1)(b): day before 1 Mar 2028 (leap)
    ("next-review", (D(2028, 2, 29),), "next-review", D(2029, 2, 28)),  # s44(1)(b): no 29 Feb 2029, month's end
    ("next-review", (D(2026, 11, 9),), "next-review", D(2027, 11, 8)),  # s44(1)(b): decision letter 3 weeks back
    ("next-review", (D(2027, 1, 1),), "next-review", D(2027, 12, 31)),  # s44(1)(b): a calendar year
    # ---- reg 18(1)(b): amended BEFORE 15 February of the year of the move, so 14 February ----
    ("phase-transfer-school", (2027,), "phase-transfer-school", D(2027, 2, 14)),  # reg 18(1)(b): a Sunday, no move
    ("phase-transfer-school", (2028,), "phase-transfer-school", D(2028, 2, 14)),  # reg 18(1)(b)
    ("phase-transfer-school", (2026,), "phase-transfer-school", D(2026, 2, 14)),  # reg 18(1)(b)
    ("phase-transfer-school", (2029,), "phase-transfer-school", D(2029, 2, 14)),  # reg 18(1)(b)
    ("phase-transfer-school", (2030,), "phase-transfer-school", D(2030, 2, 14)),  # reg 18(1)(b)
    ("phase-transfer-school", (2032,), "phase-transfer-school", D(2032, 2, 14)),  # reg 18(1)(b): leap year too
    # ---- reg 18(1)(a): secondary school to post-16, amended BEFORE 31 March, so 30 March ----
    ("phase-transfer-post16", (2027,), "phase-transfer-post16", D(2027, 3, 30)),  # reg 18(1)(a)
    ("phase-transfer-post16", (2028,), "phase-transfer-post16", D(2028, 3, 30)),  # reg 18(1)(a)
    ("phase-transfer-post16", (2026,), "phase-transfer-post16", D(2026, 3, 30)),  # reg 18(1)(a)
    ("phase-transfer-post16", (2029,), "phase-transfer-post16", D(2029, 3, 30)),  # reg 18(1)(a)
    ("phase-transfer-post16", (2030,), "phase-transfer-post16", D(2030, 3, 30)),  # reg 18(1)(a)
    ("phase-transfer-post16", (2031,), "phase-transfer-post16", D(2031, 3, 30)),  # reg 18(1)(a)
    # ---- reg 18(2): one post-16 institution to another, at least 5 months before the move ----
    ("phase-transfer-post16-move", (D(2027, 9, 1),), "phase-transfer-post16-move", D(2027, 4, 1)),  # reg 18(2)
    ("phase-transfer-post16-move", (D(2027, 7, 31),), "phase-transfer-post16-move", D(2027, 2, 28)),  # no 31 Feb
    ("phase-transfer-post16-move", (D(2028, 7, 31),), "phase-transfer-post16-move", D(2028, 2, 29)),  # leap year
    ("phase-transfer-post16-move", (D(2028, 1, 4),), "phase-transfer-post16-move", D(2027, 8, 4)),  # reg 18(2)
    ("phase-transfer-post16-move", (D(2027, 4, 12),), "phase-transfer-post16-move", D(2026, 11, 12)),  # reg 18(2)
    ("phase-transfer-post16-move", (D(2027, 10, 31),), "phase-transfer-post16-move", D(2027, 5, 31)),  # reg 18(2)
    # ---- HESC r20(1)(c): 2 months after the letter, then r12(2) and r12(3)(a) ----
    ("decision-letter", (D(2026, 3, 25),), "appeal-deadline", D(2026, 5, 26)),  # r12(2): ends Mon 25 May BH -> Tue
    ("decision-letter", (D(2026, 10, 26),), "appeal-deadline", D(2027, 1, 4)),  # r12(3)(a): Sat 26 Dec -> Mon 4 Jan
    ("decision-letter", (D(2026, 11, 3),), "appeal-deadline", D(2027, 1, 4)),  # r12(2): ends Sun 3 Jan -> Mon 4 Jan
    ("decision-letter", (D(2026, 6, 10),), "appeal-deadline", D(2026, 9, 1)),  # r12(3)(a): August; 31 Aug is a BH
    ("decision-letter", (D(2026, 10, 29),), "appeal-deadline", D(2027, 1, 4)),  # r12(3)(a): Tue 29 Dec -> 4 Jan
    ("decision-letter", (D(2027, 10, 28),), "appeal-deadline", D(2028, 1, 4)),  # r12(3)(a): 3 Jan 2028 substitute BH
    ("decision-letter", (D(2027, 6, 30),), "appeal-deadline", D(2027, 9, 1)),  # r12(3)(a): ends Mon 30 Aug 2027
    ("decision-letter", (D(2026, 2, 3),), "appeal-deadline", D(2026, 4, 7)),  # r12(2): Good Friday to Easter Monday
    ("decision-letter", (D(2027, 1, 29),), "appeal-deadline", D(2027, 3, 30)),  # r12(2): ends Easter Monday 2027
    ("decision-letter", (D(2026, 12, 31),), "appeal-deadline", D(2027, 3, 1)),  # 28 Feb (no 31st), a Sunday -> Mon
    ("decision-letter", (D(2027, 12, 31),), "appeal-deadline", D(2028, 2, 29)),  # no 31 Feb; Tue 29 Feb stays
    ("decision-letter", (D(2026, 10, 24),), "appeal-deadline", D(2026, 12, 24)),  # Thu 24 Dec: before the window
    ("decision-letter", (D(2026, 11, 1),), "appeal-deadline", D(2027, 1, 4)),  # r12(3)(a): 1 Jan is in the window
    ("decision-letter", (D(2026, 11, 2),), "appeal-deadline", D(2027, 1, 4)),  # r12(2): Sat 2 Jan -> Mon 4 Jan
    ("decision-letter", (D(2026, 5, 31),), "appeal-deadline", D(2026, 7, 31)),  # Fri 31 Jul: not August, stays
    ("decision-letter", (D(2027, 11, 3),), "appeal-deadline", D(2028, 1, 4)),  # r12(2): Mon 3 Jan 2028 is a BH
    # ---- r20(1)(c): the later of letter + 2 months and certificate + 1 month, then r12 ----
    ("certificate-issued", (D(2026, 3, 10), D(2026, 4, 20)), "appeal-after-certificate", D(2026, 5, 20)),  # cert later
    ("certificate-issued", (D(2026, 3, 10), D(2026, 3, 20)), "appeal-after-certificate", D(2026, 5, 11)),  # Sun->Mon
    ("certificate-issued", (D(2026, 10, 1), D(2026, 11, 29)), "appeal-after-certificate", D(2027, 1, 4)),  # IPSEA FAQ
    ("certificate-issued", (D(2026, 10, 12), D(2026, 10, 20)), "appeal-after-certificate", D(2026, 12, 14)),  # Sat
    ("certificate-issued", (D(2026, 9, 3), D(2026, 10, 29)), "appeal-after-certificate", D(2026, 11, 30)),  # Sun
    ("certificate-issued", (D(2026, 9, 30), D(2026, 11, 16)), "appeal-after-certificate", D(2026, 12, 16)),  # Wed
    ("certificate-issued", (D(2026, 6, 1), D(2026, 7, 15)), "appeal-after-certificate", D(2026, 9, 1)),  # August
    ("certificate-issued", (D(2026, 12, 31), D(2027, 1, 31)), "appeal-after-certificate", D(2027, 3, 1)),  # both 28 Feb
    # ---- reg 34(1): certificate 3 working days after telling the adviser (England bank holidays) ----
    ("mediation-declined", (D(2026, 12, 24),), "mediation-certificate", D(2026, 12, 31)),  # 25, 28 Dec 2026 BHs
    ("mediation-declined", (D(2026, 4, 2),), "mediation-certificate", D(2026, 4, 9)),  # Good Friday, Easter Monday
    ("mediation-declined", (D(2026, 3, 6),), "mediation-certificate", D(2026, 3, 11)),  # over a weekend
    ("mediation-declined", (D(2026, 8, 27),), "mediation-certificate", D(2026, 9, 2)),  # 31 Aug 2026 BH
    ("mediation-declined", (D(2026, 5, 22),), "mediation-certificate", D(2026, 5, 28)),  # 25 May 2026 BH
    ("mediation-declined", (D(2027, 12, 23),), "mediation-certificate", D(2027, 12, 30)),  # 27, 28 Dec 2027 substitutes
    ("mediation-declined", (D(2027, 12, 30),), "mediation-certificate", D(2028, 1, 5)),  # 3 Jan 2028 substitute
    # ---- s53, reg 32(e): mediation arranged within 30 days of telling the council ----
    ("mediation-requested", (D(2026, 11, 16),), "mediation-arranged", D(2026, 12, 16)),  # + 30 calendar days
    ("mediation-requested", (D(2026, 11, 2),), "mediation-arranged", D(2026, 12, 2)),  # + 30 days
    ("mediation-requested", (D(2026, 11, 10),), "mediation-arranged", D(2026, 12, 10)),  # + 30 days
    ("mediation-requested", (D(2028, 1, 30),), "mediation-arranged", D(2028, 2, 29)),  # lands 29 Feb 2028
    ("mediation-requested", (D(2027, 1, 30),), "mediation-arranged", D(2027, 3, 1)),  # 28-day February
    ("mediation-requested", (D(2026, 11, 26),), "mediation-arranged", D(2026, 12, 26)),  # days, no move
    # ---- reg 44(2)(b): order to assess, notify within 2 weeks ----
    ("tribunal-order-assess", (D(2026, 11, 20),), "tribunal-order-assess", D(2026, 12, 4)),  # 2 weeks, not the old 4
    ("tribunal-order-assess", (D(2026, 11, 26),), "tribunal-order-assess", D(2026, 12, 10)),  # reg 44(2)(b)
    ("tribunal-order-assess", (D(2028, 2, 15),), "tribunal-order-assess", D(2028, 2, 29)),  # lands 29 Feb 2028
    ("tribunal-order-assess", (D(2027, 2, 15),), "tribunal-order-assess", D(2027, 3, 1)),  # 28-day February
    ("tribunal-order-assess", (D(2026, 12, 11),), "tribunal-order-assess", D(2026, 12, 25)),  # weeks, no move
    ("tribunal-order-assess", (D(2026, 8, 18),), "tribunal-order-assess", D(2026, 9, 1)),  # no August rule here
    # ---- reg 44(2)(b)(i): decision not to issue within 10 weeks of the order ----
    ("tribunal-order-assess", (D(2026, 11, 20),), "tribunal-order-assess-no-plan", D(2027, 1, 29)),  # + 70 days
    ("tribunal-order-assess", (D(2027, 1, 1),), "tribunal-order-assess-no-plan", D(2027, 3, 12)),  # 28-day Feb
    ("tribunal-order-assess", (D(2028, 1, 1),), "tribunal-order-assess-no-plan", D(2028, 3, 11)),  # 29-day Feb
    ("tribunal-order-assess", (D(2026, 10, 16),), "tribunal-order-assess-no-plan", D(2026, 12, 25)),  # no move
    ("tribunal-order-assess", (D(2026, 10, 2),), "tribunal-order-assess-no-plan", D(2026, 12, 11)),  # + 70 days
    ("tribunal-order-assess", (D(2026, 11, 9),), "tribunal-order-assess-no-plan", D(2027, 1, 18)),  # + 70 days
    # ---- reg 44(2)(b)(ii): final plan within 14 weeks of the order ----
    ("tribunal-order-assess", (D(2026, 11, 20),), "tribunal-order-assess-plan", D(2027, 2, 26)),  # + 98 days
    ("tribunal-order-assess", (D(2027, 11, 23),), "tribunal-order-assess-plan", D(2028, 2, 29)),  # lands 29 Feb
    ("tribunal-order-assess", (D(2027, 1, 1),), "tribunal-order-assess-plan", D(2027, 4, 9)),  # + 98 days
    ("tribunal-order-assess", (D(2026, 10, 2),), "tribunal-order-assess-plan", D(2027, 1, 8)),  # + 98 days
    ("tribunal-order-assess", (D(2026, 9, 18),), "tribunal-order-assess-plan", D(2026, 12, 25)),  # no move
    ("tribunal-order-assess", (D(2026, 5, 5),), "tribunal-order-assess-plan", D(2026, 8, 11)),  # no August rule
    # ---- reg 44(2)(c)(i): order to make and maintain a plan, draft within 5 weeks ----
    ("tribunal-order-make-plan", (D(2026, 10, 2),), "tribunal-order-draft-plan", D(2026, 11, 6)),  # + 35 days
    ("tribunal-order-make-plan", (D(2026, 11, 9),), "tribunal-order-draft-plan", D(2026, 12, 14)),  # + 35 days
    ("tribunal-order-make-plan", (D(2028, 1, 25),), "tribunal-order-draft-plan", D(2028, 2, 29)),  # lands 29 Feb
    ("tribunal-order-make-plan", (D(2027, 1, 25),), "tribunal-order-draft-plan", D(2027, 3, 1)),  # 28-day Feb
    ("tribunal-order-make-plan", (D(2026, 11, 20),), "tribunal-order-draft-plan", D(2026, 12, 25)),  # no move
    ("tribunal-order-make-plan", (D(2026, 7, 27),), "tribunal-order-draft-plan", D(2026, 8, 31)),  # BH, no move
    # ---- reg 44(2)(c)(ii): final plan within 11 weeks of the order ----
    ("tribunal-order-make-plan", (D(2026, 10, 2),), "tribunal-order-make-plan", D(2026, 12, 18)),  # + 77 days
    ("tribunal-order-make-plan", (D(2026, 11, 9),), "tribunal-order-make-plan", D(2027, 1, 25)),  # + 77 days
    ("tribunal-order-make-plan", (D(2027, 12, 14),), "tribunal-order-make-plan", D(2028, 2, 29)),  # lands 29 Feb
    ("tribunal-order-make-plan", (D(2026, 12, 14),), "tribunal-order-make-plan", D(2027, 3, 1)),  # 28-day Feb
    ("tribunal-order-make-plan", (D(2026, 10, 9),), "tribunal-order-make-plan", D(2026, 12, 25)),  # no move
    ("tribunal-order-make-plan", (D(2027, 1, 1),), "tribunal-order-make-plan", D(2027, 3, 19)),  # + 77 days
    # ---- reg 44(2): order to amend sections B/F, amended plan within 5 weeks ----
    ("tribunal-order-amend", (D(2026, 10, 28),), "tribunal-order-amend", D(2026, 12, 2)),  # + 35 days
    ("tribunal-order-amend", (D(2026, 11, 9),), "tribunal-order-amend", D(2026, 12, 14)),  # 21 days ago
    ("tribunal-order-amend", (D(2028, 1, 25),), "tribunal-order-amend", D(2028, 2, 29)),  # lands 29 Feb
    ("tribunal-order-amend", (D(2027, 1, 25),), "tribunal-order-amend", D(2027, 3, 1)),  # 28-day Feb
    ("tribunal-order-amend", (D(2026, 11, 20),), "tribunal-order-amend", D(2026, 12, 25)),  # no move
    ("tribunal-order-amend", (D(2026, 11, 4),), "tribunal-order-amend", D(2026, 12, 9)),  # + 35 days
    # ---- reg 44(2): order to name the parent's school, within 2 weeks ----
    ("tribunal-order-school", (D(2026, 11, 20),), "tribunal-order-school", D(2026, 12, 4)),  # + 14 days
    ("tribunal-order-school", (D(2026, 12, 11),), "tribunal-order-school", D(2026, 12, 25)),  # no move
    ("tribunal-order-school", (D(2028, 2, 15),), "tribunal-order-school", D(2028, 2, 29)),  # lands 29 Feb
    ("tribunal-order-school", (D(2027, 2, 15),), "tribunal-order-school", D(2027, 3, 1)),  # 28-day Feb
    ("tribunal-order-school", (D(2026, 8, 18),), "tribunal-order-school", D(2026, 9, 1)),  # no August rule
    ("tribunal-order-school", (D(2027, 12, 17),), "tribunal-order-school", D(2027, 12, 31)),  # + 14 days
    # ---- LGA 1974 s26B(2): 12 months BEGINNING WITH the day of notice ----
    ("council-complaint", (D(2026, 9, 30),), "ombudsman-complaint", D(2027, 9, 29)),  # day before the anniversary
    ("council-complaint", (D(2026, 3, 15),), "ombudsman-complaint", D(2027, 3, 14)),  # a Sunday: no move
    ("council-complaint", (D(2026, 1, 12),), "ombudsman-complaint", D(2027, 1, 11)),  # s26B(2)
    ("council-complaint", (D(2027, 3, 1),), "ombudsman-complaint", D(2028, 2, 29)),  # day before 1 Mar 2028
    ("council-complaint", (D(2028, 2, 29),), "ombudsman-complaint", D(2029, 2, 28)),  # no 29 Feb 2029: month's end
    ("council-complaint", (D(2026, 1, 31),), "ombudsman-complaint", D(2027, 1, 30)),  # audit P13: not 31 Jan
    ("council-complaint", (D(2026, 3, 10),), "ombudsman-complaint", D(2027, 3, 9)),  # s26B(2)
    # ---- NHS Complaints Regs 2009 reg 12: not later than 12 months AFTER ----
    ("nhs-complaint", (D(2026, 3, 31),), "nhs-complaint", D(2027, 3, 31)),  # reg 12: the anniversary
    ("nhs-complaint", (D(2026, 11, 29),), "nhs-complaint", D(2027, 11, 29)),  # reg 12(1)(b): found out yesterday
    ("nhs-complaint", (D(2025, 11, 30),), "nhs-complaint", D(2026, 11, 30)),  # reg 12
    ("nhs-complaint", (D(2028, 2, 29),), "nhs-complaint", D(2029, 2, 28)),  # no 29 Feb 2029: month's end
    ("nhs-complaint", (D(2026, 8, 14),), "nhs-complaint", D(2027, 8, 14)),  # reg 12
    ("nhs-complaint", (D(2026, 12, 25),), "nhs-complaint", D(2027, 12, 25)),  # no holiday move in reg 12
    # ---- Equality Act 2010 Sch 17 para 4: 6 months STARTING WITH the act; never moved (UT; 2020 r12) ----
    ("discrimination-claim", (D(2026, 10, 1),), "discrimination-claim", D(2027, 3, 31)),  # day before 1 Apr
    ("discrimination-claim", (D(2026, 11, 27),), "discrimination-claim", D(2027, 5, 26)),  # para 4
    ("discrimination-claim", (D(2026, 6, 30),), "discrimination-claim", D(2026, 12, 29)),  # no Christmas rule
    ("discrimination-claim", (D(2026, 7, 3),), "discrimination-claim", D(2027, 1, 2)),  # Saturday: no move
    ("discrimination-claim", (D(2026, 3, 15),), "discrimination-claim", D(2026, 9, 14)),  # para 4
    ("discrimination-claim", (D(2026, 8, 31),), "discrimination-claim", D(2027, 2, 28)),  # no 31 Feb: month's end
    ("discrimination-claim", (D(2027, 8, 31),), "discrimination-claim", D(2028, 2, 29)),  # leap February's end
    ("discrimination-claim", (D(2026, 2, 28),), "discrimination-claim", D(2026, 8, 27)),  # no August rule
    # ---- CPR r54.5(1): promptly and in any event not later than 3 months AFTER the grounds ----
    ("judicial-review", (D(2026, 11, 30),), "judicial-review", D(2027, 2, 28)),  # no 30 Feb: month's end
    ("judicial-review", (D(2026, 9, 14),), "judicial-review", D(2026, 12, 14)),  # r54.5(1)
    ("judicial-review", (D(2026, 9, 30),), "judicial-review", D(2026, 12, 30)),  # no Christmas rule
    ("judicial-review", (D(2027, 11, 30),), "judicial-review", D(2028, 2, 29)),  # leap February's end
    ("judicial-review", (D(2026, 5, 15),), "judicial-review", D(2026, 8, 15)),  # r54.5(1)
    ("judicial-review", (D(2026, 10, 31),), "judicial-review", D(2027, 1, 31)),  # a Sunday: no move
)


def _run(event: str, inputs: Tuple[Any, ...]) -> dict:
    rule = RULES[event]
    return {d.rule: d for d in rule.run(dict(zip((i.name for i in rule.inputs), inputs)))}


@pytest.mark.parametrize("event, inputs, clock, due", CASES, ids=[f"{c[2]}-{c[1][-1]}" for c in CASES])
def test_clock(event: str, inputs: Tuple[Any, ...], clock: str, due: dt.date) -> None:
    assert _run(event, inputs)[clock].due == due


def test_every_clock_has_at_least_six_worked_cases() -> None:
    every_clock = {clock for rule in RULES.values() for clock in rule.clocks()}
    counts = Counter(case[2] for case in CASES)
    assert {clock: counts[clock] for clock in every_clock if counts[clock] < 6} == {}
    assert set(counts) <= every_clock


# How the appeal dates were moved: (event, inputs, the day the period itself ends, why it moved).
MOVES = (
    ("decision-letter", (D(2026, 10, 26),), D(2026, 12, 26), CHRISTMAS),  # r12(3)(a): Sat 26 Dec
    ("decision-letter", (D(2026, 10, 29),), D(2026, 12, 29), CHRISTMAS),  # r12(3)(a): a working Tuesday, still moved
    ("decision-letter", (D(2026, 6, 10),), D(2026, 8, 10), AUGUST),  # r12(3)(a): a working Monday in August
    ("decision-letter", (D(2026, 11, 3),), D(2027, 1, 3), NOT_WORKING),  # r12(2): a Sunday after the window
    ("decision-letter", (D(2026, 2, 3),), D(2026, 4, 3), NOT_WORKING),  # r12(2): Good Friday
    ("certificate-issued", (D(2026, 10, 12), D(2026, 10, 20)), D(2026, 12, 12), NOT_WORKING),  # r12(2): the later
    ("certificate-issued", (D(2026, 6, 1), D(2026, 7, 15)), D(2026, 8, 15), AUGUST),  # r12(3)(a): cert + 1 month
)


@pytest.mark.parametrize("event, inputs, ends, moved", MOVES)
def test_moved_appeals_say_where_the_period_ended_and_why(event: str, inputs: Tuple[Any, ...], ends: dt.date,
                                                          moved: str) -> None:
    (deadline,) = _run(event, inputs).values()
    assert (deadline.ends, deadline.moved) == (ends, moved)
    assert deadline.counted and "r12" in deadline.legal_ref


@pytest.mark.parametrize("event, inputs", [
    ("decision-letter", (D(2026, 10, 24),)),  # Thu 24 Dec: a working day before the window
    ("decision-letter", (D(2026, 5, 31),)),  # Fri 31 Jul
    ("certificate-issued", (D(2026, 9, 30), D(2026, 11, 16))),  # Wed 16 Dec
])
def test_appeals_on_a_working_day_are_not_moved(event: str, inputs: Tuple[Any, ...]) -> None:
    (deadline,) = _run(event, inputs).values()
    assert (deadline.ends, deadline.moved, deadline.counted) == (None, "", "")
    assert "r12" not in deadline.legal_ref


@pytest.mark.parametrize("event, inputs", [
    ("discrimination-claim", (D(2026, 6, 30),)), ("judicial-review", (D(2026, 9, 30),)),
    ("council-complaint", (D(2026, 8, 15),)), ("nhs-complaint", (D(2026, 12, 25),)),
])
def test_only_sen_appeals_are_moved(event: str, inputs: Tuple[Any, ...]) -> None:
    (deadline,) = _run(event, inputs).values()
    assert deadline.moved == "" and deadline.ends is None
