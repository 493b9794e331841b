"""F7: the audit log records every view and refusal, hashes what strangers type, is append-only in the
database itself (SQLite and PostgreSQL), and can be paged and filtered."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
from typing import Dict, Iterator, List

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from bot.ops.purge import purge
from bot.review.context import ReviewContext
from bot.settings import Settings
from bot.store import make_engine, make_session_factory
from bot.store.audit import AuditLog, AuditRepository
from tests.helpers.dashboard import (  # noqa: F401  (fixtures)
    accounts, client_at, dashboard_app, dashboard_settings, hasher, project_kb, question, review, signed_in,
)
from tests.helpers.review import COORDINATOR, MOUNT, QUESTION_TEXT, SECOND, VOLUNTEER, AuthActions
from tests.helpers.scale import drop_database, throwaway_url, unreachable


def _rows(review: ReviewContext, after: int = 0) -> List[AuditLog]:
    return [r for r in reversed(review.audit.latest(1000)) if r.id > after]


def _last_id(review: ReviewContext) -> int:
    rows = review.audit.latest(1)
    return rows[0].id if rows else 0


@pytest.mark.parametrize("path,target", [("/?state=all", "queue"), ("/insights", "insights"), ("/volunteers", "volunteers")])
def test_f7_views_of_the_queue_insights_and_account_list_are_recorded(signed_in, review, question, path, target):
    cora = signed_in(COORDINATOR)
    before = _last_id(review)
    assert cora.get(path).status_code == 200
    rows = _rows(review, before)
    assert [(r.volunteer_id is not None, r.action, r.target_type) for r in rows] == [(True, "view", target)]


def test_f7_role_and_csrf_refusals_are_recorded(signed_in, client_at, review, question, accounts: Dict[str, int]):
    val = signed_in(VOLUNTEER)
    before = _last_id(review)
    assert val.get("/audit").status_code == 403
    assert val.post(f"/q/{question}/reassign", volunteer_id=str(accounts["Sam"])).status_code == 403
    assert val.client.post(f"{MOUNT}/q/{question}/claim", data={"csrf_token": "forged"}).status_code == 403
    stranger = client_at("203.0.113.8")
    stranger.get(f"{MOUNT}/login")
    assert stranger.post(f"{MOUNT}/login", data={"email": "x@example.org", "password": "y"}).status_code == 403
    rows = [(r.volunteer_id, r.action, r.target_id) for r in _rows(review, before) if r.action != "view"]
    assert rows == [
        (accounts["Val"], "forbidden", f"{MOUNT}/audit"),
        (accounts["Val"], "forbidden", f"{MOUNT}/q/{question}/reassign"),
        (accounts["Val"], "csrf_refused", f"{MOUNT}/q/{question}/claim"),
        (None, "csrf_refused", f"{MOUNT}/login"),
    ]


@pytest.mark.parametrize("address,network", [("203.0.113.77", "203.0.113.0/24"), ("2001:db8:1:2:3::9", "2001:db8:1:2::/64")])
def test_f7_failed_login_keeps_a_keyed_hash_of_the_typed_email_and_a_truncated_address(
    client_at, review, settings: Settings, accounts, address: str, network: str,
):
    before = _last_id(review)
    typed = " Val@Example.org "
    AuthActions(client_at(address)).login((typed, "", "", "wrong-password-123"))
    (row,) = _rows(review, before)
    expected = hmac.new(settings.secret_key.encode(), b"audit-email:val@example.org", hashlib.sha256).hexdigest()
    assert (row.volunteer_id, row.action, row.target_type, row.target_id) == (None, "login_failed", "account", expected)
    assert row.detail == {"network": network}
    assert "val@" not in json.dumps([row.target_id, row.detail]).lower() and address not in json.dumps(row.detail)


def test_f7_error_pages_that_show_the_handover_packet_are_recorded_as_views(signed_in, review, question):
    val, sam = signed_in(VOLUNTEER), signed_in(SECOND)
    val.post(f"/q/{question}/claim")
    before = _last_id(review)
    assert sam.post(f"/q/{question}/answer", answer="mine now").status_code == 409
    assert val.post(f"/q/{question}/return", note="").status_code == 400
    assert val.post(f"/q/{question}/answer", answer="a" * 100_000).status_code == 413
    views = [(r.action, r.target_id, r.detail) for r in _rows(review, before) if r.target_type == "escalation"]
    assert views == [("view", str(question), {"status": 409}), ("view", str(question), {"status": 400}),
                     ("view", str(question), {"status": 413})]


def test_f7_no_row_ever_holds_message_text(signed_in, client_at, review, question):
    val = signed_in(VOLUNTEER)
    val.get("/?topic=" + "my son Oliver")
    val.post(f"/q/{question}/claim")
    val.post(f"/q/{question}/return", note="a private note about Oliver")
    val.post(f"/q/{question}/claim")
    val.post(f"/q/{question}/answer", answer="A private answer about Oliver")
    AuthActions(client_at("203.0.113.5")).login(("Oliver's mum typed her password here", "", "", "x"))
    dumped = json.dumps([[r.action, r.target_type, r.target_id, r.detail] for r in review.audit.latest(1000)])
    for secret in ("Oliver", "private", QUESTION_TEXT, "password here"):
        assert secret not in dumped


def _refuses_changes(engine: Engine, statements: List[str]) -> None:
    AuditRepository(make_session_factory(engine)).record(1, "view", "queue")
    for statement in statements:
        with pytest.raises(DBAPIError, match="append-only"):
            with engine.begin() as connection:
                connection.execute(text(statement))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*), min(action) FROM review_audit_log")).one() == (1, "view")


APPEND_ONLY = ["UPDATE review_audit_log SET action = 'nothing'", "DELETE FROM review_audit_log",
               "DELETE FROM review_audit_log WHERE id = 1"]


def test_f7_sqlite_refuses_update_and_delete_of_the_audit_log(engine: Engine):
    _refuses_changes(engine, APPEND_ONLY)


@pytest.fixture
def postgres() -> Iterator[Engine]:
    """A throwaway PostgreSQL database with the project's tables."""
    why = unreachable()
    if why:
        pytest.skip(why)
    from bot.ops.scale import ensure_database

    url = throwaway_url("audit")
    ensure_database(url)
    engine = make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()
        drop_database(url)


def test_f7_postgresql_refuses_update_delete_and_truncate_of_the_audit_log(postgres: Engine):
    _refuses_changes(postgres, APPEND_ONLY + ["TRUNCATE review_audit_log"])


def test_f7_the_purge_still_runs_and_keeps_the_audit_log_as_the_retention_policy_says(settings: Settings, review):
    review.audit.record(None, "login_failed", "account", "ab" * 32, network="203.0.113.0/24")
    counts = purge(settings, now=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) + dt.timedelta(days=settings.retention_days + 30))
    assert "review_audit_log" not in counts and review.audit.latest()[0].action == "login_failed"


def _page_rows(page: str) -> int:
    return len(re.findall(r"<tr>\s*<td>", page))


def test_f7_audit_page_pages_through_everything(signed_in, review, accounts):
    for n in range(130):
        review.audit.record(accounts["Sam"], "export", "insights", f"t{n}")
    cora = signed_in(COORDINATOR)
    first = cora.get("/audit")
    assert first.status_code == 200 and _page_rows(first.text) == 50 and "Older entries" in first.text
    seen, pages, page = 50, 1, first.text
    while "Older entries" in page:
        older = re.search(r'href="(/review/audit\?[^"]*before=\d+[^"]*)">Older entries', page).group(1)
        page = cora.client.get(older.replace("&amp;", "&")).text
        seen, pages = seen + _page_rows(page), pages + 1
        assert "Newest entries" in page
    # Every row once: the 130 exports and Cora's login; each page's own view row is newer than it shows.
    assert (seen, pages) == (131, 3) and len(review.audit.latest(1000)) == 131 + pages


def test_f7_audit_page_filters_by_action_person_and_date(signed_in, client_at, review, accounts):
    AuthActions(client_at("203.0.113.5")).login((SECOND[0], "", "", "wrong-password-1"))  # a failed login on Sam
    cora = signed_in(COORDINATOR)
    cora.post(f"/volunteers/{accounts['Sam']}/deactivate")  # done to Sam
    by_action = cora.get("/audit?action=login_failed").text
    assert _page_rows(by_action) == 1 and "email typed" in by_action
    about_sam = cora.get(f"/audit?volunteer={accounts['Sam']}").text
    assert {"login_failed", "deactivate"} <= set(re.findall(r"<td>(login_failed|deactivate|login)</td>", about_sam))
    assert "<td>login</td>" not in about_sam  # Cora's own login is not about Sam
    today = dt.date.today()
    assert _page_rows(cora.get(f"/audit?since={today + dt.timedelta(days=2)}").text) == 0
    assert _page_rows(cora.get(f"/audit?since={today - dt.timedelta(days=1)}&until={today + dt.timedelta(days=1)}").text) > 0
    bad = cora.get("/audit?since=yesterday")
    assert bad.status_code == 400 and "year-month-day" in bad.text
