"""Insights (charts and CSVs) and the audit log (accounts are in account_routes.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any, Dict
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from bot.notify.promise_clock import promise_words
from bot.review import promise_view
from bot.review.audit_filters import audit_query
from bot.review.charts import bar_chart
from bot.review.context import ctx, render
from bot.review.insights import TABLES, WINDOW_DAYS, Table, build_tables
from bot.review.inputs import row_id
from bot.review.security import coordinator_only, page
from bot.store.escalations import STATES
from bot.store.models import utcnow
from bot.store.unanswered_groups import UnansweredGroupRepository
from bot.store.volunteers import LiveSession

AUDIT_PAGE = 50
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _tables(request: Request) -> Dict[str, Table]:
    context = ctx(request)
    now, hours = utcnow(), context.settings.reply_promise_hours
    decisions = UnansweredGroupRepository(context.sessions).all()
    tables = build_tables(context.unanswered, context.escalations, context.feedback, context.kb, now, decisions)
    tables["promise"] = promise_view.promise_table(
        [e for e in context.escalations.queue(states=STATES) if e.created_at >= now - dt.timedelta(days=WINDOW_DAYS)],
        hours, now, promise_words(hours))
    return tables


@page
def insights(request: Request, live: LiveSession) -> Response:
    """Show what parents ask that the assistant cannot answer, and how volunteers are keeping up."""
    tables = _tables(request)
    ctx(request).audit.record(live.volunteer_id, "view", "insights")
    charts = {
        "topics": bar_chart("chart-topics", tables["topics"].caption, [(r[0], r[1]) for r in tables["topics"].rows]),
        "weekly": bar_chart("chart-weekly", "Unanswered questions per week", [(r[0], r[1]) for r in tables["weekly"].rows]),
        "feedback": bar_chart("chart-feedback", "Helpful votes per entry (%)",
                              [(r[0], r[4]) for r in tables["feedback"].rows], unit="%"),
        "promise": bar_chart("chart-promise", "Share answered within the promise, by week (%)",
                             [(r[0], r[5]) for r in tables["promise"].rows], unit="%"),
        "office-hours": bar_chart("chart-office-hours", "Share of questions asked out of office hours (%)",
                                  [(r[0], r[3]) for r in tables["office-hours"].rows], unit="%"),
    }
    return render(request, "insights.html", tables=[tables[name] for name in TABLES], charts=charts)


def csv_cell(value: Any) -> str:
    """Return a CSV cell's text, with a quote before anything a spreadsheet would run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text  # stop spreadsheets running formulas


@page
def insights_csv(request: Request, live: LiveSession) -> Response:
    """Download one insights table as CSV (figures only, no message text)."""
    name = request.path_params["table"]
    if name not in TABLES:
        raise HTTPException(404, "There is no table with this name.")
    table = _tables(request)[name]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.columns)
    writer.writerows([csv_cell(v) for v in row] for row in table.rows)
    ctx(request).audit.record(live.volunteer_id, "export", "insights", name)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="send-navigator-{name}.csv"', "Cache-Control": "no-store",
    })


@page
def audit(request: Request, live: LiveSession) -> Response:
    """Show the audit log, newest first, a page at a time, filtered by action, person and date (coordinators only)."""
    coordinator_only(live)
    context = ctx(request)
    people = context.volunteers.all()
    query, filters, error = audit_query(request.query_params, people, context.settings.secret_key)
    before = row_id(request.query_params.get("before", ""))
    rows = context.audit.search(query, before=before, limit=AUDIT_PAGE + 1)
    context.audit.record(live.volunteer_id, "view", "audit_log", None, page=before or "newest")
    older = rows[AUDIT_PAGE - 1].id if len(rows) > AUDIT_PAGE else None
    return render(request, "audit.html", 400 if error else 200, rows=rows[:AUDIT_PAGE], names=context.volunteers.names(),
                  people=people, actions=context.audit.actions(), filters=filters, error=error,
                  total=context.audit.count(query), older=older, newest=before is not None,
                  query_string=lambda **extra: urlencode({**filters, **extra}))
