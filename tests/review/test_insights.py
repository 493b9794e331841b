"""Insights: figures, inline SVG charts with tables, and CSVs without message text."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from bot.review.context import ReviewContext
from bot.review.insights import TABLES, in_office_hours, median_minutes, percent, week_start
from bot.store.models import utcnow
from bot.store.unanswered import UnansweredRecord
from tests.helpers.review import COORDINATOR, QUESTION_TEXT, VOLUNTEER, make_question

SECRET_QUESTION = "zebra unicorn xylophone placement at holly lodge school"
TEXT_COLUMNS = {"text", "text_redacted", "turns", "packet", "answer", "answer_text", "question", "message", "return_note"}


@pytest.fixture
def seeded(ctx: ReviewContext, people) -> None:
    for i in range(3):
        ctx.unanswered.add(UnansweredRecord("web", "fallback", SECRET_QUESTION, [{"name": "nlu_fallback"}], f"c{i}"))
    ctx.feedback.add("tribunal-deadlines", True, "web", "c1")
    ctx.feedback.add("tribunal-deadlines", False, "web", "c2")
    qid = make_question(ctx)
    ctx.escalations.claim(qid, people["Val"])
    ctx.escalations.answer(qid, people["Val"], "answer text that must not leak")


@pytest.mark.parametrize("moment,inside", [
    (dt.datetime(2026, 11, 30, 9, 0), True),     # Monday 09:00 GMT
    (dt.datetime(2026, 11, 30, 16, 59), True),
    (dt.datetime(2026, 11, 30, 17, 0), False),
    (dt.datetime(2026, 11, 28, 12, 0), False),   # Saturday
    (dt.datetime(2026, 7, 6, 8, 30), True),      # Monday 09:30 BST
    (dt.datetime(2026, 7, 6, 16, 30), False),    # 17:30 BST
])
def test_office_hours_are_uk_time(moment: dt.datetime, inside: bool):
    assert in_office_hours(moment) is inside


def test_small_helpers():
    assert week_start(dt.datetime(2026, 12, 3, 10)) == dt.date(2026, 11, 30)
    assert percent(1, 3) == 33.3 and percent(1, 0) is None
    assert median_minutes([dt.timedelta(minutes=m) for m in (1, 5, 30)]) == 5.0 and median_minutes([]) is None


def test_insights_page_has_charts_with_text_alternatives(make_auth, seeded):
    page = make_auth(VOLUNTEER).get("/insights")
    assert page.status_code == 200
    assert page.text.count('<svg class="chart"') >= 3 and 'role="img"' in page.text and "<title id=" in page.text
    assert page.text.count("<table>") == len(TABLES)
    topics = page.text.split('id="t-topics"')[1].split("</section>")[0]
    label = topics.split('<th scope="row">')[1].split("</th>")[0]
    assert len(label.split()) == 3 and set(label.split()) <= set(SECRET_QUESTION.split())  # three content words
    assert "<td>3</td>" in topics
    assert SECRET_QUESTION not in page.text and QUESTION_TEXT not in page.text
    assert "answer text that must not leak" not in page.text


@pytest.mark.parametrize("table", TABLES)
def test_csv_has_no_message_text(make_auth, seeded, table: str):
    response = make_auth(COORDINATOR).get(f"/insights/{table}.csv")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert not {c.lower().replace(" ", "_") for c in rows[0]} & TEXT_COLUMNS
    for needle in (SECRET_QUESTION, QUESTION_TEXT, "answer text that must not leak"):
        assert needle not in response.text


def test_csv_figures(make_auth, seeded):
    cora = make_auth(COORDINATOR)
    feedback = list(csv.reader(io.StringIO(cora.get("/insights/feedback.csv").text)))
    assert feedback[1] == ["tribunal-deadlines", "Appeal deadlines", "1", "1", "50.0"]
    weekly = list(csv.reader(io.StringIO(cora.get("/insights/weekly.csv").text)))
    this_week = week_start(utcnow()).isoformat()
    assert [r for r in weekly if r[0] == this_week] == [[this_week, "3", "1", "33.3"]]
    times = list(csv.reader(io.StringIO(cora.get("/insights/response-times.csv").text)))
    assert [r[0] for r in times[1:]] == ["claimed by a volunteer", "answer approved"] and times[1][2] == "1"


def test_unknown_table_is_404(make_auth):
    assert make_auth(VOLUNTEER).get("/insights/volunteers.csv").status_code == 404
