"""The forum's monthly evidence report: a list of months, the printable page, its HTML download and its CSV (coordinators only).

The report page stands alone: its style is inline, so a downloaded copy
prints and reads the same with no dashboard to load it from, and its charts
are inline SVG. The dashboard's policy forbids inline style, so the page's
own Content-Security-Policy allows exactly that one style block, by its hash.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import io
from functools import lru_cache
from typing import Dict, List

from markupsafe import Markup
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from bot.evidence.report import FEWER, Report, build_report, report_csv_rows
from bot.review.admin_routes import csv_cell
from bot.review.charts import bar_chart
from bot.review.context import DASHBOARD_CSP, PAGE_HEADERS, TEMPLATES, ctx, path_for, render
from bot.review.security import coordinator_only, page
from bot.store.evidence import EvidenceRepository, is_month, uk_date
from bot.store.models import utcnow
from bot.store.volunteers import LiveSession

MONTHS_LISTED = 12


@lru_cache(maxsize=1)
def report_style() -> str:
    """Return the report's inline style sheet."""
    return (TEMPLATES / "report.css").read_text(encoding="utf-8")


def report_csp() -> str:
    """Return the dashboard's policy with the report's one inline style block allowed by its hash."""
    digest = base64.b64encode(hashlib.sha256(report_style().encode("utf-8")).digest()).decode("ascii")
    return DASHBOARD_CSP.replace("style-src 'self'", f"style-src 'self' 'sha256-{digest}'")


def recent_months(today: dt.date, count: int = MONTHS_LISTED) -> List[str]:
    """Return this month and the ones before it, newest first."""
    year, month, months = today.year, today.month, []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def _month(request: Request) -> str:
    month = request.path_params["month"]
    if not is_month(month):
        raise HTTPException(404, "There is no report for this month. Months are written like 2026-11.")
    return month


def _report(request: Request, live: LiveSession, what: str) -> Report:
    coordinator_only(live)
    context, month = ctx(request), _month(request)
    report = build_report(EvidenceRepository(context.sessions).month(month), month, context.kb, uk_date(utcnow()))
    context.audit.record(live.volunteer_id, "export" if what != "view" else "view", "evidence_report", month,
                         format=what)
    return report


@page
def reports(request: Request, live: LiveSession) -> Response:
    """List the months a coordinator can see the evidence report for."""
    coordinator_only(live)
    stored = EvidenceRepository(ctx(request).sessions).months()
    months = sorted(set(recent_months(uk_date(utcnow()))) | set(stored), reverse=True)
    return render(request, "reports.html", months=months, fewer=FEWER)


def _page(request: Request, report: Report, download: bool) -> str:
    charts: Dict[str, Markup] = {
        s.name: bar_chart(f"chart-{s.name}", s.title, [(r.label, r.value) for r in s.rows], missing=FEWER)
        for s in report.sections if s.rows
    }
    template = ctx(request).templates.get_template("report.html")
    return template.render(report=report, charts=charts, style=Markup(report_style()), download=download,
                           back=path_for(request, "reports"))


@page
def report_page(request: Request, live: LiveSession) -> Response:
    """Show one month's report as a printable page."""
    report = _report(request, live, "view")
    return HTMLResponse(_page(request, report, download=False),
                        headers={**PAGE_HEADERS, "Content-Security-Policy": report_csp()})


@page
def report_html(request: Request, live: LiveSession) -> Response:
    """Download one month's report as a self-contained HTML file."""
    report = _report(request, live, "html")
    return HTMLResponse(_page(request, report, download=True), headers={
        **PAGE_HEADERS, "Content-Security-Policy": report_csp(),
        "Content-Disposition": f'attachment; filename="send-navigator-evidence-{report.month}.html"',
    })


@page
def report_csv(request: Request, live: LiveSession) -> Response:
    """Download one month's report as CSV, suppressed exactly as the page is."""
    report = _report(request, live, "csv")
    out = io.StringIO()
    csv.writer(out).writerows([csv_cell(v) for v in row] for row in report_csv_rows(report))
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="send-navigator-evidence-{report.month}.csv"',
        "Cache-Control": "no-store",
    })
