"""The evidence report's figures: stages, suppression of small numbers, and a CSV that matches the page."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.deadlines.registry import RULES
from bot.evidence.report import FEWER, GONE_LABEL, NO_TOPIC_LABEL, build_report, month_title, report_csv_rows, shown
from bot.evidence.stages import STAGES, passed_stage, stage_of
from bot.knowledge.entries import KnowledgeBase, load_kb
from bot.settings import PROJECT_ROOT
from bot.store.evidence import ASKED, DEADLINE_PASSED, ESCALATED, NO_TOPIC, UNANSWERED, Cell, clean_item, month_of


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb(PROJECT_ROOT / "knowledge")


@pytest.mark.parametrize("count, text", [(0, FEWER), (1, FEWER), (4, FEWER), (5, "5"), (123, "123")])
def test_numbers_under_five_are_suppressed(count: int, text: str) -> None:
    assert shown(count) == text == ("fewer than 5" if count < 5 else str(count))


@pytest.mark.parametrize("rule, answers, stage", [
    ("assessment-request", {"received": dt.date(2025, 1, 6)}, "decision-6-weeks"),
    ("annual-review", {"meeting": dt.date(2025, 1, 6)}, "annual-review-decision"),
    ("phase-transfer-school", {"year": 2025}, "phase-transfer"),
    ("tribunal-order-amend", {"order": dt.date(2025, 1, 6)}, "tribunal-orders"),
    ("next-review", {"completed": dt.date(2024, 1, 6)}, "other"),
    ("decision-letter", {"letter_date": dt.date(2025, 1, 6)}, None),  # the parent's own appeal window
    ("draft-plan", {"served": dt.date(2025, 1, 6)}, None),
])
def test_each_passed_council_deadline_has_a_stage(rule: str, answers: dict, stage: str) -> None:
    main = RULES[rule].run(answers)[0]
    assert passed_stage(main, dt.date(2026, 11, 30)) == stage
    assert passed_stage(main, main.due) is None  # due today has not passed


def test_the_twenty_week_plan_is_its_own_stage() -> None:
    clocks = {d.rule: d for d in RULES["assessment-request"].run({"received": dt.date(2025, 1, 6)})}
    assert stage_of(clocks["assessment-final-plan"]) == "plan-20-weeks"


def test_month_is_uk_time() -> None:
    assert month_of(dt.datetime(2026, 10, 31, 23, 30)) == "2026-10"  # 23:30 GMT
    assert month_of(dt.datetime(2026, 6, 30, 23, 30)) == "2026-07"  # 00:30 BST
    assert month_title("2026-11") == "November 2026"


@pytest.mark.parametrize("item, stored", [
    ("tribunal-process", "tribunal-process"), ("", NO_TOPIC), (None, NO_TOPIC),
    ("my son Jo was refused", NO_TOPIC), ("x" * 65, NO_TOPIC),
])
def test_only_ids_can_be_counter_keys(item, stored) -> None:
    assert clean_item(item) == stored


def test_report_sums_channels_ranks_topics_and_lists_every_stage(kb: KnowledgeBase) -> None:
    cells = [
        Cell(ASKED, "tribunal-process", "telegram", 4), Cell(ASKED, "tribunal-process", "web", 3),
        Cell(ASKED, "mediation", "web", 2), Cell(ASKED, "an-old-entry", "web", 6),
        Cell(UNANSWERED, NO_TOPIC, "web", 9),
        Cell(ESCALATED, "mediation", "telegram", 1),
        Cell(DEADLINE_PASSED, "tribunal-orders", "web", 5), Cell(DEADLINE_PASSED, "decision-6-weeks", "web", 1),
    ]
    report = build_report(cells, "2026-11", kb)
    sections = {s.name: [(r.label, r.shown) for r in s.rows] for s in report.sections}
    assert sections["asked"] == [("How a tribunal appeal works", "7"), (GONE_LABEL, "6"), ("Mediation and the certificate", FEWER)]
    assert sections["unanswered"] == [(NO_TOPIC_LABEL, "9")]
    assert sections["escalated"] == [("Mediation and the certificate", FEWER)]
    assert [label for label, _ in sections["deadlines"]] == [label for _, label in STAGES]
    assert dict(sections["deadlines"])["Tribunal orders"] == "5"
    assert dict(sections["deadlines"])["6-week decision to assess"] == FEWER
    assert dict(sections["deadlines"])["Phase transfer"] == FEWER  # none at all looks the same as a few
    csv_rows = report_csv_rows(report)
    assert csv_rows[0] == ("month", "section", "item", "count")
    assert [r[3] for r in csv_rows[1:]] == [r.shown for s in report.sections for r in s.rows]
    assert not any(r[3] in {"1", "2", "3", "4", "0"} for r in csv_rows)
    assert report.method and report.limits and any("fewer than 5" in line for line in report.limits)


@pytest.mark.parametrize("month, today, still_going", [
    ("2026-11", dt.date(2026, 11, 30), True), ("2026-10", dt.date(2026, 11, 1), False),
    ("2027-01", dt.date(2026, 11, 30), True),
])
def test_report_says_when_it_was_made(kb: KnowledgeBase, month: str, today: dt.date, still_going: bool) -> None:
    made = build_report([], month, kb, today).made
    assert made.startswith(f"Made on {today.day} ") and ("not over yet" in made) is still_going


def test_recent_months_cross_the_year() -> None:
    from bot.review.report_routes import recent_months

    assert recent_months(dt.date(2026, 2, 17), 4) == ["2026-02", "2026-01", "2025-12", "2025-11"]
