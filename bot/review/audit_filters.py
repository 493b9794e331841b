"""Read the audit page's filters (action, person, dates) from a query string into an AuditQuery."""

from __future__ import annotations

import datetime as dt
from typing import Dict, List, Mapping, Tuple
from zoneinfo import ZoneInfo

from bot.review.auditing import email_hash
from bot.review.inputs import row_id
from bot.store.audit import AuditQuery
from bot.store.volunteers import Volunteer

LONDON = ZoneInfo("Europe/London")
BAD_DATE = "Please give dates as year-month-day, for example 2026-12-01."


def _utc_midnight(day: dt.date) -> dt.datetime:
    """Return the UK midnight starting `day` as a naive UTC time (as the log stores times)."""
    local = dt.datetime.combine(day, dt.time(), tzinfo=LONDON)
    return local.astimezone(dt.timezone.utc).replace(tzinfo=None)


def audit_query(params: Mapping[str, str], people: List[Volunteer], secret_key: str) -> Tuple[AuditQuery, Dict[str, str], str]:
    """Return the query, the filters to show again in the form, and an error message (empty if none)."""
    action = params.get("action", "").strip()[:32]
    chosen = row_id(params.get("volunteer", ""))
    person = next((p for p in people if p.id == chosen), None)
    filters = {"action": action, "volunteer": str(person.id) if person else "", "since": "", "until": ""}
    days: Dict[str, dt.date] = {}
    error = ""
    for name in ("since", "until"):
        raw = params.get(name, "").strip()[:10]
        if not raw:
            continue
        try:
            days[name] = dt.date.fromisoformat(raw)
            filters[name] = raw
        except ValueError:
            error = BAD_DATE
    query = AuditQuery(
        action=action,
        volunteer_id=person.id if person else None,
        volunteer_email_hash=email_hash(secret_key, person.email) if person else "",
        since=_utc_midnight(days["since"]) if "since" in days else None,
        until=_utc_midnight(days["until"] + dt.timedelta(days=1)) if "until" in days else None,
    )
    return query, filters, error
