"""The reply-time promise on the dashboard: time against it in the queue, sorted by it; the weekly share in insights."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from sqlalchemy import update

from bot.review.context import ReviewContext
from bot.review.promise_view import by_promise, promise_table, status
from bot.store.escalations import Escalation
from tests.helpers.review import COORDINATOR, VOLUNTEER, make_question

MONDAY = dt.datetime(2026, 11, 30, 10, 0)  # + 16 working hours -> Wednesday 2 December 10:00


def row(qid: int, created: dt.datetime, state: str = "open", answered: dt.datetime = None) -> Escalation:  # type: ignore[assignment]
    return Escalation(id=qid, created_at=created, state=state, answered_at=answered)


@pytest.mark.parametrize("now, words, overdue", [
    (dt.datetime(2026, 12, 2, 7, 30), "2 h 30 min left", False),
    (dt.datetime(2026, 12, 2, 9, 45), "15 min left", False),
    (dt.datetime(2026, 12, 2, 13, 5), "overdue by 3 h 5 min", True),
])
def test_time_against_the_promise(now: dt.datetime, words: str, overdue: bool) -> None:
    found = status(row(1, MONDAY), 16, now)
    assert found.due == dt.datetime(2026, 12, 2, 10, 0)
    assert (found.words, found.overdue) == (words, overdue)
    assert status(row(1, MONDAY, "answered"), 16, now).words == "–"


def test_the_queue_sorts_soonest_due_first_and_ended_questions_last() -> None:
    friday_night = row(1, dt.datetime(2026, 12, 4, 20, 0))  # due Tuesday 17:00
    monday = row(2, dt.datetime(2026, 12, 7, 9, 0))  # due Tuesday 17:00 as well: then by id
    earlier = row(3, dt.datetime(2026, 12, 3, 12, 0), "claimed")  # due Friday 12:00
    answered = row(4, dt.datetime(2026, 12, 1, 9, 0), "answered")
    ordered = by_promise([answered, monday, friday_night, earlier], 16, dt.datetime(2026, 12, 8, 9, 0))
    assert [r.id for r in ordered] == [3, 1, 2, 4]


def test_weekly_share_within_the_promise() -> None:
    now = dt.datetime(2026, 12, 9, 12, 0)
    rows = [
        row(1, MONDAY, "answered", dt.datetime(2026, 12, 1, 9, 0)),  # within
        row(2, MONDAY, "closed", dt.datetime(2026, 12, 2, 10, 0)),  # exactly at the promise: within
        row(3, MONDAY, "answered", dt.datetime(2026, 12, 2, 10, 1)),  # late
        row(4, MONDAY, "open"),  # still waiting, past it: missed
        row(5, MONDAY, "cancelled"),  # withdrawn before an answer: not counted
        row(6, dt.datetime(2026, 12, 9, 11, 0), "open"),  # this week, not due yet
    ]
    table = promise_table(rows, 16, now, "2 working days")
    weeks = {r[0]: r[1:] for r in table.rows}
    assert weeks["2026-11-30"] == (4, 2, 2, 0, 50.0)
    assert weeks["2026-12-07"] == (1, 0, 0, 1, None)
    assert len(table.rows) == 12


def test_the_queue_page_shows_the_promise(make_auth, ctx: ReviewContext) -> None:
    late, fresh = make_question(ctx, conversation="c1"), make_question(ctx, conversation="c2")
    with ctx.sessions.begin() as session:  # the first was asked a week ago
        session.execute(update(Escalation).where(Escalation.id == late)
                        .values(created_at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - dt.timedelta(days=7)))
    page = make_auth(VOLUNTEER).get("/").text
    assert "Reply promised by" in page and "the soonest due against the 2 working days promise first" in page
    assert page.index(f"Question {late}<") < page.index(f"Question {fresh}<")
    assert "overdue by" in page.split(f"Question {late}<")[1].split("</tr>")[0]


def test_insights_reports_the_promise_by_week(make_auth, ctx: ReviewContext) -> None:
    cora = make_auth(COORDINATOR)
    assert "Answered within the promise (2 working days)" in cora.get("/insights").text
    rows = list(csv.reader(io.StringIO(cora.get("/insights/promise.csv").text)))
    assert rows[0][-1] == "within the promise %" and len(rows) == 13
