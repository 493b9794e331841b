"""Build the forum's monthly evidence report from the counters, with small numbers suppressed.

Threat: a report that leaves the forum can identify a family when a number
is small ("2 parents asked about a tribunal order in November"). Design:
every count under SUPPRESS_BELOW, zero included, is shown as "fewer than 5",
in the page and in the CSV alike; the deadline table always lists every
stage, so a stage's absence says nothing; and no totals or breakdowns by
channel are shown, so that a hidden number cannot be worked out by taking
one figure from another.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, List, Optional, Tuple

from bot.evidence.stages import STAGES
from bot.knowledge.entries import KnowledgeBase
from bot.store.evidence import ASKED, DEADLINE_PASSED, ESCALATED, NO_TOPIC, UNANSWERED, Cell
from bot.text import long_date

SUPPRESS_BELOW = 5
FEWER = f"fewer than {SUPPRESS_BELOW}"
TOP = 10
NO_TOPIC_LABEL = "No topic recognised"
GONE_LABEL = "A topic no longer in the knowledge base"

METHOD = (
    "Each number is how many times something happened in the month (UK time), counted at the moment it happened. "
    "Only the count is kept: not what a parent wrote, not who they are, not the day or time, and nothing that "
    "leads back to a conversation.",
    "Topics asked about: each time the assistant answered a question from its knowledge base, one is added to "
    "that topic.",
    "Topics the assistant could not answer: each time it said it could not answer, one is added to the topic it "
    "thought closest, or to \"No topic recognised\".",
    "Escalation themes: each question a parent agreed to send to a volunteer, under the topic the assistant "
    "detected in it.",
    "Deadlines already passed: each time the assistant worked out one of the council's statutory deadlines from "
    "the dates a parent gave, and that date was already behind them on the day they asked, one is added to the "
    "deadline's stage. The same applies to each overdue step of the assessment timeline.",
)
LIMITS = (
    "These are counts of questions, not of families. One parent asking twice is counted twice, and most parents "
    "never use the assistant.",
    f"Any number under {SUPPRESS_BELOW}, including none at all, is shown as \"{FEWER}\", so that no family can "
    "be recognised. For the same reason there are no totals and no figures by channel.",
    "The dates are the ones parents gave; nobody checked them. A deadline that had passed is not proof that the "
    "council failed: the parent may already have had the decision, or the law may have allowed more time.",
    "Topics are the assistant's understanding of a question, which can be wrong, especially for questions it "
    "could not answer.",
    "A count can be missed if the database was unavailable at that moment.",
)


def shown(count: int) -> str:
    """Return a count as the report shows it: the number, or "fewer than 5"."""
    return FEWER if count < SUPPRESS_BELOW else str(count)


@dataclass(frozen=True)
class Row:
    """One line of a section: a label and its count."""

    label: str
    count: int

    @property
    def shown(self) -> str:
        """Return the count as published."""
        return shown(self.count)

    @property
    def value(self) -> Optional[int]:
        """Return the count if it may be published, else None."""
        return None if self.count < SUPPRESS_BELOW else self.count


@dataclass(frozen=True)
class Section:
    """One table of the report."""

    name: str
    title: str
    heading: str  # what the label column holds
    rows: Tuple[Row, ...]
    empty: str = "Nothing was counted this month."


@dataclass(frozen=True)
class Report:
    """The whole report for one month."""

    month: str
    title: str
    sections: Tuple[Section, ...]
    made: str = ""  # "Made on 30 November 2026", and whether the month was still going on
    method: Tuple[str, ...] = METHOD
    limits: Tuple[str, ...] = LIMITS


def month_title(month: str) -> str:
    """Return "November 2026" for "2026-11"."""
    return dt.date(int(month[:4]), int(month[5:7]), 1).strftime("%B %Y")


def _totals(cells: Iterable[Cell], measure: str) -> Counter:
    totals: Counter = Counter()
    for cell in cells:
        if cell.measure == measure:
            totals[cell.item] += cell.count
    return totals


def _topic_label(kb: KnowledgeBase, item: str) -> str:
    if item == NO_TOPIC:
        return NO_TOPIC_LABEL
    entry = kb.get(item)
    return entry.title if entry else GONE_LABEL


def topic_rows(totals: Counter, kb: KnowledgeBase) -> Tuple[Row, ...]:
    """Return the TOP largest topics, labelled with their knowledge-entry titles, largest first."""
    merged: Counter = Counter()
    for item, count in totals.items():  # entries since removed share one label, and one row
        merged[_topic_label(kb, item)] += count
    ranked = sorted(merged.items(), key=lambda pair: (-pair[1], pair[0]))
    return tuple(Row(label, count) for label, count in ranked[:TOP] if count > 0)


def stage_rows(totals: Counter) -> Tuple[Row, ...]:
    """Return every stage in order, with its count (zero included)."""
    return tuple(Row(label, totals.get(stage, 0)) for stage, label in STAGES)


def made_on(month: str, today: dt.date) -> str:
    """Return when the report was made, saying so if its month is not over yet."""
    made = f"Made on {long_date(today)}."
    return made + " The month is not over yet, so its figures will still change." if today.strftime("%Y-%m") <= month \
        else made


def build_report(cells: List[Cell], month: str, kb: KnowledgeBase, today: Optional[dt.date] = None) -> Report:
    """Return the report for one month from its counters."""
    return Report(month, f"Evidence report for {month_title(month)}", made=made_on(month, today) if today else "",
                  sections=(
        Section("asked", "Topics parents asked about most", "Topic",
                topic_rows(_totals(cells, ASKED), kb)),
        Section("unanswered", "Topics the assistant could not answer", "Closest topic",
                topic_rows(_totals(cells, UNANSWERED), kb)),
        Section("escalated", "Questions sent to volunteers, by theme", "Theme",
                topic_rows(_totals(cells, ESCALATED), kb)),
        Section("deadlines", "Parents asking about a council deadline that had already passed for them, by stage",
                "Stage", stage_rows(_totals(cells, DEADLINE_PASSED))),
    ))


def report_csv_rows(report: Report) -> List[Tuple[str, str, str, str]]:
    """Return the report as CSV rows (month, section, item, count), suppressed exactly as the page is."""
    rows = [("month", "section", "item", "count")]
    for section in report.sections:
        rows.extend((report.month, section.title, row.label, row.shown) for row in section.rows)
    return rows
