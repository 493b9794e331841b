"""Insights (charts and CSVs), the audit log, and inviting volunteers."""

from __future__ import annotations

import csv
import io
import secrets
from typing import Any, Dict, Tuple

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from bot.review import passwords
from bot.review.accounts import MAX_NAME, check_name
from bot.review.charts import bar_chart
from bot.review.context import ctx, render
from bot.review.inputs import check_email
from bot.review.insights import TABLES, Table, build_tables
from bot.review.security import Form, action, coordinator_only, page
from bot.store.models import utcnow
from bot.store.volunteers import ROLES, DuplicateEmail, LiveSession

AUDIT_ROWS = 200
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _tables(request: Request) -> Dict[str, Table]:
    context = ctx(request)
    return build_tables(context.unanswered, context.escalations, context.feedback, context.kb, utcnow())


@page
async def insights(request: Request, live: LiveSession) -> Response:
    """Show what parents ask that the assistant cannot answer, and how volunteers are keeping up."""
    tables = _tables(request)
    charts = {
        "topics": bar_chart("chart-topics", tables["topics"].caption, [(r[0], r[1]) for r in tables["topics"].rows]),
        "weekly": bar_chart("chart-weekly", "Unanswered questions per week", [(r[0], r[1]) for r in tables["weekly"].rows]),
        "feedback": bar_chart("chart-feedback", "Helpful votes per entry (%)",
                              [(r[0], r[4]) for r in tables["feedback"].rows], unit="%"),
        "office-hours": bar_chart("chart-office-hours", "Share of questions asked out of office hours (%)",
                                  [(r[0], r[3]) for r in tables["office-hours"].rows], unit="%"),
    }
    return render(request, "insights.html", tables=[tables[name] for name in TABLES], charts=charts)


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text  # stop spreadsheets running formulas


@page
async def insights_csv(request: Request, live: LiveSession) -> Response:
    """Download one insights table as CSV (figures only, no message text)."""
    name = request.path_params["table"]
    if name not in TABLES:
        raise HTTPException(404, "There is no table with this name.")
    table = _tables(request)[name]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.columns)
    writer.writerows([_cell(v) for v in row] for row in table.rows)
    ctx(request).audit.record(live.volunteer_id, "export", "insights", name)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="send-navigator-{name}.csv"', "Cache-Control": "no-store",
    })


@page
async def audit(request: Request, live: LiveSession) -> Response:
    """Show the audit log, newest first (coordinators only)."""
    coordinator_only(live)
    context = ctx(request)
    context.audit.record(live.volunteer_id, "view", "audit_log")
    return render(request, "audit.html", rows=context.audit.latest(AUDIT_ROWS), names=context.volunteers.names())


@page
async def volunteers(request: Request, live: LiveSession) -> Response:
    """List accounts and offer the invitation form (coordinators only)."""
    coordinator_only(live)
    return render(request, "volunteers.html", people=ctx(request).volunteers.all(), roles=ROLES, invited=None, error="")


def _invitation(form: Form) -> Tuple[str, str, str]:
    """Return (email, name, role) from the invite form, or raise ValueError with a message for the coordinator."""
    email = check_email(form.get("email", ""))  # InvalidEmail says what is wrong with the address
    try:
        name = check_name(form.get("display_name", ""))
    except ValueError:
        raise ValueError(f"Please give a name of at most {MAX_NAME} characters.") from None
    role = form.get("role", "")
    if role not in ROLES:
        raise ValueError("Please choose a role: volunteer or coordinator.")
    return email, name, role


@action(coordinator=True)
async def invite(request: Request, live: LiveSession, form: Form) -> Response:
    """Create an account with a one-time random password, shown on this page only."""
    context = ctx(request)
    try:
        email, name, role = _invitation(form)
    except ValueError as exc:
        error = str(exc)
    else:
        password = secrets.token_urlsafe(15)  # 20 characters, 120 bits
        try:
            new_id = context.volunteers.add(email, name, role, passwords.hash_password(password))
        except DuplicateEmail:
            error = "There is already an account with this email address."
        else:
            context.audit.record(live.volunteer_id, "invite", "volunteer", new_id, role=role)
            return render(request, "volunteers.html", 201, people=context.volunteers.all(), roles=ROLES, error="",
                          invited={"email": email, "name": name, "password": password})
    return render(request, "volunteers.html", 400, people=context.volunteers.all(), roles=ROLES, invited=None, error=error)
