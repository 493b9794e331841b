"""Security behaviour of the dashboard, asserted: tables of routes and of cases (after datasette's CSRF table)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable, Dict, List, Tuple

import pytest
from sqlalchemy import inspect as sa_inspect
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from bot.review.app import routes
from bot.review.context import ReviewContext
from bot.store.escalations import Escalation
from bot.store.audit import AuditLog
from bot.store.volunteers import ReviewSession, Volunteer
from tests.helpers.review import COORDINATOR, MOUNT, QUESTION_TEXT, VOLUNTEER, AuthActions, CountingHasher, make_question

XSS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
XSS_ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;")
PARAMS = {"qid": "1", "table": "weekly", "vid": "1"}


def every_route(method: str) -> List[Tuple[str, str]]:
    """Return (name, path) of every dashboard route answering `method`, with sample parameters."""
    found = []
    for route in routes():
        if isinstance(route, Route) and method in (route.methods or ()):
            path = route.path
            for key, value in PARAMS.items():
                path = path.replace("{%s:int}" % key, value).replace("{%s}" % key, value)
            found.append((route.name, path))
    return found


PUBLIC = {"login", "login_submit", "set_password", "set_password_submit"}  # the link pages: tests/security
GET_ROUTES = [r for r in every_route("GET") if r[0] not in PUBLIC]
POST_ROUTES = [r for r in every_route("POST") if r[0] not in PUBLIC]


def test_route_tables_cover_every_route():
    names = {r.name for r in routes() if isinstance(r, Route)}
    assert names == PUBLIC | {n for n, _ in GET_ROUTES} | {n for n, _ in POST_ROUTES}
    assert any(isinstance(r, Mount) and r.name == "static" for r in routes())


@pytest.mark.parametrize("name,path", GET_ROUTES, ids=[n for n, _ in GET_ROUTES])
def test_anonymous_get_is_sent_to_login(client: TestClient, qid: int, name: str, path: str):
    response = client.get(MOUNT + path)
    assert response.status_code == 303
    assert response.headers["location"] == f"{MOUNT}/login"


@pytest.mark.parametrize("name,path", POST_ROUTES, ids=[n for n, _ in POST_ROUTES])
def test_anonymous_post_is_refused(client: TestClient, qid: int, name: str, path: str):
    response = client.post(MOUNT + path, data={"csrf_token": "x", "answer": "hi", "note": "n", "volunteer_id": "1"})
    assert response.status_code == 401
    assert QUESTION_TEXT not in response.text


@pytest.mark.parametrize("token", ["", "wrong-token"], ids=["missing", "wrong"])
@pytest.mark.parametrize("name,path", POST_ROUTES, ids=[n for n, _ in POST_ROUTES])
def test_post_without_the_right_csrf_token_is_forbidden(
    make_auth, ctx: ReviewContext, qid: int, name: str, path: str, token: str,
):
    coordinator = make_auth(COORDINATOR)  # the coordinator may do everything, so only the token can be wrong
    data = {"answer": "hi", "note": "n", "volunteer_id": "1", "email": "x@example.org", "display_name": "X", "role": "volunteer"}
    if token:
        data["csrf_token"] = token
    response = coordinator.client.post(MOUNT + path, data=data)
    assert response.status_code == 403
    assert ctx.escalations.get(qid).state == "open"


@pytest.mark.parametrize("token", ["", "wrong-token"], ids=["missing", "wrong"])
def test_login_without_the_right_csrf_token_is_forbidden(client: TestClient, people, token: str):
    client.get(f"{MOUNT}/login")  # sets the pre-login cookie
    data = {"email": VOLUNTEER[0], "password": VOLUNTEER[3]}
    if token:
        data["csrf_token"] = token
    response = client.post(f"{MOUNT}/login", data=data)
    assert response.status_code == 403
    assert "snav_review" not in response.cookies


def test_static_css_needs_no_login(client: TestClient):
    response = client.get(f"{MOUNT}/static/review.css")
    assert response.status_code == 200
    assert "focus-visible" in response.text


# --- the table of cases: one row each --------------------------------------------------------------


@dataclass
class Harness:
    """Everything a security case needs."""

    client: TestClient
    auth: AuthActions
    make_client: Callable[..., TestClient]
    ctx: ReviewContext
    hasher: CountingHasher
    qid: int


def wrong_password_reads_like_unknown_user(h: Harness) -> None:
    wrong = h.auth.login(VOLUNTEER, password="not-the-password")
    unknown = h.auth.login(("nobody@example.org", "", "", "whatever-password"))
    assert wrong.status_code == unknown.status_code == 400
    for response in (wrong, unknown):
        assert "Email or password is not right" in response.text
    strip = lambda text: "\n".join(l for l in text.splitlines() if "csrf_token" not in l and "value=" not in l)  # noqa: E731
    assert strip(wrong.text) == strip(unknown.text)


def unknown_user_costs_one_verification(h: Harness) -> None:
    before = h.hasher.verifications
    h.auth.login(("nobody@example.org", "", "", "whatever-password"))
    assert h.hasher.verifications == before + 1  # checked against the dummy hash
    h.auth.login(VOLUNTEER, password="not-the-password")
    assert h.hasher.verifications == before + 2


def sixth_login_attempt_is_rate_limited(h: Harness) -> None:
    for _ in range(5):
        assert h.auth.login(VOLUNTEER, password="guess-guess-guess").status_code == 400
    sixth = h.auth.login(VOLUNTEER)  # even the right password waits
    assert sixth.status_code == 429
    assert int(sixth.headers["retry-after"]) > 0
    assert "snav_review" not in sixth.cookies


def session_id_changes_at_login(h: Harness) -> None:
    h.auth.login(VOLUNTEER)
    first = h.client.cookies.get("snav_review")
    h.auth.login(COORDINATOR)
    second = h.client.cookies.get("snav_review")
    assert first and second and first != second
    assert h.ctx.review_sessions.lookup(first) is None
    assert h.ctx.review_sessions.lookup(second) is not None


def session_token_is_stored_only_as_a_keyed_hash(h: Harness) -> None:
    h.auth.login(VOLUNTEER)
    token = h.client.cookies.get("snav_review")
    with h.ctx.sessions() as session:
        ids = [row.id for row in session.query(ReviewSession)]
    assert token not in ids and h.ctx.review_sessions.key_hash(token) in ids


def cookie_flags_over_http(h: Harness) -> None:
    cookies = h.auth.login(VOLUNTEER).headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith("snav_review="))
    assert "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie and f"Path={MOUNT}" in session_cookie
    assert "Secure" not in session_cookie


def cookie_is_secure_under_https(h: Harness) -> None:
    actions = AuthActions(h.make_client("https://localhost"))
    response = actions.login(VOLUNTEER)
    assert response.status_code == 303
    cookies = response.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith("snav_review="))
    assert "Secure" in session_cookie and "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie


def logout_ends_the_session(h: Harness) -> None:
    h.auth.login(VOLUNTEER)
    token = h.client.cookies.get("snav_review")
    assert h.auth.logout().status_code == 303
    assert h.ctx.review_sessions.lookup(token) is None
    h.client.cookies.set("snav_review", token)
    assert h.client.get(f"{MOUNT}/").status_code == 303


def markup_in_question_and_answer_renders_as_text(h: Harness) -> None:
    qid = make_question(h.ctx, text=" ".join(XSS), conversation="conv-xss")
    h.auth.login(VOLUNTEER)
    h.auth.post(f"/q/{qid}/claim")
    assert h.auth.post(f"/q/{qid}/answer", answer="Reply " + " ".join(XSS)).status_code == 303
    for page in (h.auth.get("/"), h.auth.get(f"/q/{qid}")):
        for raw in XSS:
            assert raw not in page.text
    question = h.auth.get(f"/q/{qid}").text
    assert all(escaped in question for escaped in XSS_ESCAPED)
    assert h.ctx.escalations.get(qid).answer_text == "Reply " + " ".join(XSS)  # stored as written, escaped on output


def pages_forbid_script_framing_and_caching(h: Harness) -> None:
    h.auth.login(VOLUNTEER)
    response = h.auth.get("/")
    assert "script-src 'none'" in response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"


def volunteer_cannot_see_audit(h: Harness) -> None:
    h.auth.login(VOLUNTEER)
    assert h.auth.get("/audit").status_code == 403
    assert h.auth.get("/volunteers").status_code == 403


def volunteer_cannot_reassign(h: Harness) -> None:
    h.auth.login(VOLUNTEER)
    h.auth.post(f"/q/{h.qid}/claim")
    other = h.ctx.volunteers.by_email(COORDINATOR[0]).id
    assert h.auth.post(f"/q/{h.qid}/reassign", volunteer_id=str(other)).status_code == 403
    assert h.ctx.escalations.get(h.qid).claimed_by == h.ctx.volunteers.by_email(VOLUNTEER[0]).id


def volunteer_cannot_invite_or_export_drafts(h: Harness) -> None:
    h.auth.login(VOLUNTEER)
    assert h.auth.post("/volunteers", email="new@example.org", display_name="New", role="coordinator").status_code == 403
    assert h.ctx.volunteers.by_email("new@example.org") is None
    assert h.auth.get(f"/q/{h.qid}/kb-draft.yml").status_code == 403


def audit_rows_hold_no_message_text(h: Harness) -> None:
    h.auth.login(VOLUNTEER)
    h.auth.get(f"/q/{h.qid}")
    h.auth.post(f"/q/{h.qid}/claim")
    answer = "Here is a private answer about the refusal"
    h.auth.post(f"/q/{h.qid}/answer", answer=answer)
    h.auth.get("/insights/topics.csv")
    rows = h.ctx.audit.latest()
    assert {"view", "claim", "answer", "export"} <= {r.action for r in rows}
    dumped = json.dumps([[r.action, r.target_type, r.target_id, r.detail] for r in rows])
    assert QUESTION_TEXT not in dumped and answer not in dumped and "refusal" not in dumped
    assert {c.name for c in sa_inspect(AuditLog).columns} == {"id", "at", "volunteer_id", "action", "target_type", "target_id", "detail"}


def audit_page_shows_no_message_text(h: Harness) -> None:
    h.auth.login(COORDINATOR)
    h.auth.get(f"/q/{h.qid}")
    page = h.auth.get("/audit")
    assert page.status_code == 200 and "escalation" in page.text
    assert QUESTION_TEXT not in page.text


def password_is_stored_as_argon2id(h: Harness) -> None:
    with h.ctx.sessions() as session:
        hashes = [v.password_hash for v in session.query(Volunteer)]
    assert hashes and all(p.startswith("$argon2id$") for p in hashes)
    assert not any(VOLUNTEER[3] in p for p in hashes)


def inactive_account_cannot_log_in(h: Harness) -> None:
    with h.ctx.sessions.begin() as session:
        session.query(Volunteer).filter(Volunteer.email == VOLUNTEER[0]).update({"active": False})
    response = h.auth.login(VOLUNTEER)
    assert response.status_code == 400 and "Email or password is not right" in response.text


def unknown_question_is_404_not_an_error(h: Harness) -> None:
    h.auth.login(VOLUNTEER)
    assert h.auth.get("/q/999").status_code == 404
    assert h.auth.post("/q/999/claim").status_code == 404


def control_characters_are_stripped_and_markup_still_escaped(h: Harness) -> None:
    h.auth.login(VOLUNTEER)
    h.auth.post(f"/q/{h.qid}/claim")
    assert h.auth.post(f"/q/{h.qid}/return", note="Over\x00 to you\r\n" + XSS[0] + "\x1b[2J").status_code == 303
    assert h.ctx.escalations.get(h.qid).return_note == "Over to you\n" + XSS[0] + "[2J"
    assert XSS_ESCAPED[0] in h.auth.get(f"/q/{h.qid}").text and XSS[0] not in h.auth.get(f"/q/{h.qid}").text
    h.auth.post(f"/q/{h.qid}/claim")
    assert h.auth.post(f"/q/{h.qid}/answer", answer="Reply\x00\x07\r\n" + XSS[1] + "\x7f").status_code == 303
    assert h.ctx.escalations.get(h.qid).answer_text == "Reply\n" + XSS[1]
    page = h.auth.get(f"/q/{h.qid}").text
    assert XSS_ESCAPED[1] in page and XSS[1] not in page and "\x00" not in page and "\x07" not in page


def oversized_form_is_refused_as_too_long_not_expired(h: Harness) -> None:
    h.auth.login(VOLUNTEER)
    token = h.auth.csrf()
    response = h.client.post(f"{MOUNT}/q/{h.qid}/claim", data={"csrf_token": token, "pad": "x" * 70_000})
    assert response.status_code == 413
    assert "too long to send" in response.text and "expired" not in response.text
    assert h.ctx.escalations.get(h.qid).state == "open"


def hundred_kb_answer_gets_its_page_back_saying_too_long(h: Harness) -> None:
    h.auth.login(VOLUNTEER)
    h.auth.post(f"/q/{h.qid}/claim")
    response = h.auth.post(f"/q/{h.qid}/answer", answer="a" * 100_000)
    assert response.status_code == 413
    assert "Your answer was too long to send: answers can have at most 4000 characters." in response.text
    assert 'name="answer"' in response.text and "expired" not in response.text  # the question page, answer form and all
    row = h.ctx.escalations.get(h.qid)
    assert row.state == "claimed" and row.answer_text is None


def hundred_kb_note_gets_its_page_back_saying_too_long(h: Harness) -> None:
    h.auth.login(VOLUNTEER)
    h.auth.post(f"/q/{h.qid}/claim")
    response = h.auth.post(f"/q/{h.qid}/return", note="n" * 100_000)
    assert response.status_code == 413 and "Your note was too long to send" in response.text
    assert h.ctx.escalations.get(h.qid).state == "claimed"


def oversized_login_form_says_too_long(h: Harness) -> None:
    response = h.auth.login(VOLUNTEER, password="p" * 70_000)
    assert response.status_code == 413 and "too long to send" in response.text and "expired" not in response.text
    assert 'name="password"' in response.text and "snav_review=" not in response.headers.get("set-cookie", "")


def oversized_coordinator_form_from_a_volunteer_is_still_forbidden(h: Harness) -> None:
    h.auth.login(VOLUNTEER)
    response = h.auth.post("/volunteers", email="x@example.org", display_name="X", role="volunteer", pad="x" * 70_000)
    assert response.status_code == 403 and "Only coordinators" in response.text


CASES: Dict[str, Callable[[Harness], None]] = {f.__name__: f for f in (
    wrong_password_reads_like_unknown_user,
    unknown_user_costs_one_verification,
    sixth_login_attempt_is_rate_limited,
    session_id_changes_at_login,
    session_token_is_stored_only_as_a_keyed_hash,
    cookie_flags_over_http,
    cookie_is_secure_under_https,
    logout_ends_the_session,
    markup_in_question_and_answer_renders_as_text,
    pages_forbid_script_framing_and_caching,
    volunteer_cannot_see_audit,
    volunteer_cannot_reassign,
    volunteer_cannot_invite_or_export_drafts,
    audit_rows_hold_no_message_text,
    audit_page_shows_no_message_text,
    password_is_stored_as_argon2id,
    inactive_account_cannot_log_in,
    unknown_question_is_404_not_an_error,
    control_characters_are_stripped_and_markup_still_escaped,
    oversized_form_is_refused_as_too_long_not_expired,
    hundred_kb_answer_gets_its_page_back_saying_too_long,
    hundred_kb_note_gets_its_page_back_saying_too_long,
    oversized_login_form_says_too_long,
    oversized_coordinator_form_from_a_volunteer_is_still_forbidden,
)}


@pytest.mark.parametrize("case", list(CASES))
def test_security_case(case: str, client, auth, make_client, ctx, hasher, qid):
    CASES[case](Harness(client, auth, make_client, ctx, hasher, qid))


def test_secure_cookie_when_public_url_is_https(review_settings, people):
    from dataclasses import replace

    from bot.review.app import create_review_app

    app = create_review_app(replace(review_settings, public_url="https://send-navigator.example"))
    try:
        client = TestClient(app, base_url="http://send-navigator.example", follow_redirects=False)
        response = client.get(f"{MOUNT}/login")  # even behind a proxy that speaks http to us
        login_cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("snav_review_login="))
        assert "Secure" in login_cookie and "HttpOnly" in login_cookie
    finally:
        app.state.review.engine.dispose()


def test_no_default_accounts(ctx: ReviewContext):
    assert ctx.volunteers.all() == []


def test_escalation_rows_are_untouched_by_failed_actions(make_auth, ctx: ReviewContext, qid: int):
    make_auth(VOLUNTEER).post(f"/q/{qid}/answer", answer="not claimed yet")
    row: Escalation = ctx.escalations.get(qid)
    assert row.state == "open" and row.answer_text is None
