"""Bad input and abuse sent to the volunteer dashboard (its own app, under /review) over real HTTP: never a 5xx.

One row per class of bad input (see cases.py for the design). The dashboard
may answer with a 4xx page that says what went wrong, a redirect to the login
page, or the form shown again with a clear error; it must never fail, leak a
parent's question to someone not logged in, or change a question when the
request was refused. After every row a volunteer can still log in and see
the queue, and nothing was logged at ERROR level.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional

import httpx
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from bot.store.models import utcnow
from bot.store.volunteers import ReviewSession
from tests.abuse.cases import NO_REPLY, Case, Dashboard, raw_request, run_case
from tests.helpers.review import COORDINATOR, MOUNT, QUESTION_TEXT, VOLUNTEER

SCRIPT = "<script>alert(1)</script><img src=x onerror=alert(1)>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
FORM = "application/x-www-form-urlencoded"
HUGE_ID = "99999999999999999999"  # more than SQLite's 64-bit integers hold
LOGIN_FAILED = "Email or password is not right"
EXPIRED_FORM = "The form had expired"
TOO_LONG_ANSWER = "Your answer was too long to send: answers can have at most 4000 characters."


# --- senders ----------------------------------------------------------------------------------------------

def login_with(fields: Optional[Dict[str, str]] = None, body: Optional[bytes] = None, content_type: str = FORM) -> Any:
    """Return a sender of the login form with these fields (or these exact bytes), and the form's own token."""
    def send(h: Dashboard) -> httpx.Response:
        client, token = h.login_form()
        if body is not None:
            return client.post(f"{MOUNT}/login", content=body + b"&csrf_token=" + token.encode(),
                               headers={"Content-Type": content_type})
        return client.post(f"{MOUNT}/login", data={**(fields or {}), "csrf_token": token})
    return send


def answer_with(answer: Optional[str] = None, body: Optional[bytes] = None, content_type: str = FORM,
                claim: bool = True) -> Any:
    """Return a sender of the answer form for the test's question (claimed first, unless told not to)."""
    def send(h: Dashboard) -> httpx.Response:
        client, token = h.claimed() if claim else h.session()
        url = f"{MOUNT}/q/{h.qid}/answer"
        if body is not None:
            return client.post(url, content=body.replace(b"TOKEN", token.encode()), headers={"Content-Type": content_type})
        return client.post(url, data={"csrf_token": token, "answer": answer or ""})
    return send


def get_as(path: str, who: tuple = VOLUNTEER) -> Any:
    """Return a sender of a GET by a logged-in volunteer (QID stands for the test's question)."""
    def send(h: Dashboard) -> httpx.Response:
        client, _ = h.session(who)
        return client.get(MOUNT + path.replace("QID", str(h.qid)))
    return send


def post_as(path: str, who: tuple = VOLUNTEER, **fields: str) -> Any:
    """Return a sender of a form POST with the session's token (QID stands for the test's question)."""
    def send(h: Dashboard) -> httpx.Response:
        client, token = h.session(who)
        return client.post(MOUNT + path.replace("QID", str(h.qid)), data={"csrf_token": token, **fields})
    return send


def claim_with_token(token_of: str) -> Any:
    """Return a sender of a claim whose token is missing, wrong, or another session's."""
    def send(h: Dashboard) -> httpx.Response:
        client, own = h.session()
        tokens = {"missing": None, "wrong": "x" * len(own), "other": h.session(COORDINATOR)[1], "non-ascii": "é" * len(own)}
        token = tokens[token_of]
        return client.post(f"{MOUNT}/q/{h.qid}/claim", data={} if token is None else {"csrf_token": token})
    return send


def with_session_cookie(change: str) -> Any:
    """Return a sender of a queue GET with an expired, tampered or oversized session cookie."""
    def send(h: Dashboard) -> httpx.Response:
        client, _ = h.login()
        token = client.cookies.get("snav_review")
        if change == "expired":
            with h.ctx.sessions.begin() as session:
                row = session.get(ReviewSession, h.ctx.review_sessions.key_hash(token))
                row.expires = utcnow() - dt.timedelta(minutes=1)
        value = {"expired": token, "tampered": token[:-1] + ("A" if token[-1] != "A" else "B"), "huge": "a" * 8000}[change]
        return h.client().get(f"{MOUNT}/", headers={"Cookie": f"snav_review={value}"})
    return send


def raw_get(target: bytes, headers: bytes = b"") -> Any:
    """Return a sender of a hand-written anonymous GET."""
    return lambda h: h.raw(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + b"Connection: close\r\n\r\n")


def reassign_to(volunteer_id: str) -> Any:
    """Return a sender of a coordinator reassigning the test's (claimed) question to this volunteer id."""
    def send(h: Dashboard) -> httpx.Response:
        h.claimed(VOLUNTEER)
        client, token = h.session(COORDINATOR)
        return client.post(f"{MOUNT}/q/{h.qid}/reassign", data={"csrf_token": token, "volunteer_id": volunteer_id})
    return send


# --- checks -------------------------------------------------------------------------------------------------

def says(*phrases: str) -> Any:
    """Check the reply is an HTML page that says these things and leaks no question or raw markup."""
    def check(h: Dashboard, response: httpx.Response) -> None:
        assert response.headers["content-type"].startswith("text/html")
        for phrase in phrases:
            assert phrase in response.text, response.text[:500]
        assert SCRIPT not in response.text
    return check


def refused(*phrases: str) -> Any:
    """Check the page says why, and the question was left as it was."""
    def check(h: Dashboard, response: httpx.Response) -> None:
        says(*phrases)(h, response)
        row = h.ctx.escalations.get(h.qid)
        assert row is not None and row.answer_text is None
    return check


def says_not(*phrases: str, unsaid: str) -> Any:
    """Check the page says these things and not a misleading one."""
    def check(h: Dashboard, response: httpx.Response) -> None:
        says(*phrases)(h, response)
        assert unsaid not in response.text
    return check


def not_invited(email: str, *phrases: str) -> Any:
    """Check the invitation page says why, and no account was made for the address."""
    def check(h: Dashboard, response: httpx.Response) -> None:
        says(*phrases)(h, response)
        assert h.ctx.volunteers.by_email(email) is None and h.ctx.volunteers.by_email(email.replace("\x00", "")) is None
    return check


def to_login(h: Dashboard, response: httpx.Response) -> None:
    """Check the request was sent to the login page, showing nothing."""
    assert response.headers["location"] == f"{MOUNT}/login"
    assert QUESTION_TEXT not in response.text


def logged_out_refusal(h: Dashboard, response: httpx.Response) -> None:
    """Check a form post without a session is refused without showing the question."""
    says("Please log in again")(h, response)
    assert QUESTION_TEXT not in response.text
    assert h.ctx.escalations.get(h.qid).state == "open"


def stored(text: str) -> Any:
    """Check the answer was stored as sent, and the question page shows it safely."""
    def check(h: Dashboard, response: httpx.Response) -> None:
        assert h.ctx.escalations.get(h.qid).answer_text == text
        client, _ = h.session()
        page = client.get(f"{MOUNT}/q/{h.qid}")
        assert page.status_code == 200 and SCRIPT not in page.text
    return check


def escaped_on_the_page(h: Dashboard, response: httpx.Response) -> None:
    """Check markup in an answer is kept as written and rendered as text."""
    stored("Reply " + SCRIPT)(h, response)
    client, _ = h.session()
    assert ESCAPED in client.get(f"{MOUNT}/q/{h.qid}").text


BACK_TO_LOGIN = ((303,), to_login)
QUESTION_404 = ((404,), says("There is no question with this number."))

CASES: List[Case] = [
    # --- no session, or a broken one ---
    Case("anonymous GET of the queue", lambda h: h.client().get(f"{MOUNT}/"), *BACK_TO_LOGIN),
    Case("anonymous GET of a question", lambda h: h.client().get(f"{MOUNT}/q/{h.qid}"), *BACK_TO_LOGIN),
    Case("anonymous POST of an answer", lambda h: h.client().post(f"{MOUNT}/q/{h.qid}/answer", data={
        "csrf_token": "x", "answer": "hi"}), (401,), logged_out_refusal),
    Case("expired session cookie", with_session_cookie("expired"), *BACK_TO_LOGIN),
    Case("tampered session cookie", with_session_cookie("tampered"), *BACK_TO_LOGIN),
    Case("8 KB session cookie", with_session_cookie("huge"), *BACK_TO_LOGIN),
    Case("invalid UTF-8 in the cookie", raw_get(b"/review/", b"Cookie: snav_review=\xff\xfe\x80; other=\xc3\r\n"),
         *BACK_TO_LOGIN),
    # --- CSRF ---
    Case("missing CSRF token", claim_with_token("missing"), (403,), refused(EXPIRED_FORM)),
    Case("wrong CSRF token", claim_with_token("wrong"), (403,), refused(EXPIRED_FORM)),
    Case("another session's CSRF token", claim_with_token("other"), (403,), refused(EXPIRED_FORM)),
    Case("non-ASCII CSRF token", claim_with_token("non-ascii"), (403,), refused(EXPIRED_FORM)),
    Case("login without the login form's cookie", lambda h: h.client().post(f"{MOUNT}/login", data={
        "email": VOLUNTEER[0], "password": VOLUNTEER[3], "csrf_token": "x"}), (403,), says(EXPIRED_FORM)),
    # --- the login form ---
    Case("login with empty fields", login_with({"email": "", "password": ""}), (400,), says(LOGIN_FAILED)),
    Case("login with whitespace-only fields", login_with({"email": "  \t ", "password": " \n "}), (400,), says(LOGIN_FAILED)),
    Case("login with a 30 KB email and password", login_with({"email": "a" * 30_000, "password": "b" * 30_000}), (400,),
         says(LOGIN_FAILED, 'value="' + "a" * 254 + '"')),  # the email is shown again, cut to 254 characters
    Case("login form over 64 KB", login_with({"email": VOLUNTEER[0], "password": "b" * 70_000}), (413,),
         says_not("too long to send", unsaid=EXPIRED_FORM)),
    Case("login with binary bytes", login_with(body=b"email=\x00\x01\x02\xff&password=\x80\x81\x00"), (400,),
         says(LOGIN_FAILED)),
    Case("login with invalid UTF-8", login_with(body=b"email=%ff%fe%c3%28&password=%ed%a0%80"), (400,), says(LOGIN_FAILED)),
    Case("login with HTML and script as the email", login_with({"email": SCRIPT, "password": "x"}), (400,),
         says(LOGIN_FAILED, "&lt;script&gt;")),
    Case("login with NUL bytes", login_with({"email": VOLUNTEER[0] + "\x00", "password": VOLUNTEER[3] + "\x00"}), (400,),
         says(LOGIN_FAILED)),
    Case("login body cut short, client hangs up", lambda h: raw_request(h.port, (
        b"POST /review/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 500\r\nConnection: close\r\n\r\nemail=val%40example.org&pass"), hang_up=True), (NO_REPLY, 403)),
    Case("login sent as JSON", login_with(body=b'{"email": "val@example.org"}', content_type="application/json"), (403,),
         says(EXPIRED_FORM)),
    Case("login sent as multipart", login_with(body=b"--b\r\n", content_type="multipart/form-data; boundary=b"), (403,),
         says(EXPIRED_FORM)),
    # --- the answer form ---
    Case("answer sent as JSON", answer_with(body=b'{"csrf_token": "TOKEN", "answer": "hi"}', content_type="application/json"),
         (403,), refused(EXPIRED_FORM)),
    Case("answer sent as text/plain", answer_with(body=b"csrf_token=TOKEN&answer=hi", content_type="text/plain"), (403,),
         refused(EXPIRED_FORM)),
    Case("empty answer", answer_with(""), (400,), refused("Please write an answer of at most 4000 characters.")),
    Case("whitespace-only answer", answer_with(" \n\t "), (400,), refused("Please write an answer of at most 4000 characters.")),
    Case("answer over 4,000 characters", answer_with("a" * 4001), (400,),
         refused("Please write an answer of at most 4000 characters.")),
    Case("answer of 100 KB", answer_with("a" * 100_000), (413,), refused(TOO_LONG_ANSWER, 'name="answer"')),
    Case("any form over 64 KB", post_as("/q/QID/claim", pad="x" * 70_000), (413,),
         says_not("too long to send", unsaid=EXPIRED_FORM)),
    Case("answer with HTML and script", answer_with("Reply " + SCRIPT), (303,), escaped_on_the_page),
    Case("answer with NUL and control characters", answer_with("Reply a\x00b\x07c\r\nd\x1b\x7f"), (303,),
         stored("Reply abc\nd")),
    Case("answer with control characters and markup", answer_with("Reply\x00 " + SCRIPT + "\x08"), (303,),
         escaped_on_the_page),
    Case("repeated answer fields: the last one counts", answer_with(body=b"csrf_token=TOKEN&answer=first&answer=second"),
         (303,), stored("second")),
    Case("answer to a question not claimed", answer_with("hello", claim=False), (409,),
         refused("You can only answer a question you have claimed.")),
    Case("reassign to a volunteer id beyond SQLite's integers", reassign_to("9" * 30), (400,),
         says("Please choose a volunteer to reassign to.")),
    Case("reassign to a superscript digit", reassign_to("\u00b2"), (400,), says("Please choose a volunteer to reassign to.")),
    Case("invite with an address that is not one", post_as("/volunteers", COORDINATOR, email=SCRIPT, display_name="",
                                                          role="admin"), (400,),
         says("The email address cannot contain spaces or control characters.")),
    Case("invite with a NUL byte in the email", post_as("/volunteers", COORDINATOR, email="nul@example.org\x00",
                                                        display_name="Nul", role="volunteer"), (400,),
         not_invited("nul@example.org", "The email address cannot contain spaces or control characters.")),
    Case("invite with a 60 KB email", post_as("/volunteers", COORDINATOR, email="h" * 60_000 + "@example.org",
                                              display_name="Huge", role="volunteer"), (400,),
         not_invited("h" * 60_000 + "@example.org", "The email address is too long")),
    Case("invite with two @ signs", post_as("/volunteers", COORDINATOR, email="two@example.org@evil.org",
                                            display_name="Two", role="volunteer"), (400,),
         not_invited("two@example.org@evil.org", "exactly one @")),
    # --- ids and paths in URLs ---
    Case("question id that is not a number", get_as("/q/abc"), *QUESTION_404),
    Case("negative question id", get_as("/q/-1"), *QUESTION_404),
    Case("question id beyond SQLite's integers", get_as(f"/q/{HUGE_ID}"), *QUESTION_404),
    Case("5,000-digit question id", get_as("/q/" + "9" * 5000), *QUESTION_404),
    Case("claim of a question id beyond SQLite's integers", post_as(f"/q/{HUGE_ID}/claim"), *QUESTION_404),
    Case("question id in Unicode digits", get_as("/q/%C2%B2%D9%A1"), *QUESTION_404),
    Case("unknown question id", get_as("/q/987654321"), *QUESTION_404),
    Case("path traversal in a CSV download", get_as("/insights/..%2f..%2f..%2fetc%2fpasswd.csv"), (404,), says("Not Found")),
    Case("unknown CSV table", get_as("/insights/..passwd.csv"), (404,), says("There is no table with this name.")),
    Case("path traversal in static files", raw_get(b"/review/static/../../../bot/settings.py"), (404,)),
    Case("encoded path traversal in static files", raw_get(b"/review/static/..%2f..%2fapp.py"), (404,)),
    Case("draft download of an unanswered question", get_as("/q/QID/kb-draft.yml", COORDINATOR), (404,),
         says("This question has no answer marked for the knowledge base.")),
    Case("junk query parameters on the queue", get_as("/?state=%3Cscript%3E&age=%00&topic=" + "t" * 5000 + "&channel=%ff"),
         (200,), says("Questions from parents")),
    Case("wrong method", lambda h: h.session()[0].put(f"{MOUNT}/q/{h.qid}"), (405,), says("Method Not Allowed")),
    Case("unknown dashboard path", get_as("/admin"), (404,), says("Not Found")),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_gets_a_clear_refusal_never_a_5xx(dashboard: Dashboard, case: Case) -> None:
    run_case(case, dashboard)


def test_the_table_names_at_least_twenty_distinct_classes() -> None:
    assert len({c.name for c in CASES}) == len(CASES) >= 20


# Bounded fuzzing of the forms: any fields and bytes, to any form, with or without the right token -------------

POSTS = ["/login", "/q/QID/claim", "/q/QID/return", "/q/QID/reassign", "/q/QID/answer", "/q/QID/close",
         "/q/QID/kb-candidate", "/q/QID/kb-draft.yml", "/volunteers", "/password", "/set-password"]
FORM_FIELDS = ["csrf_token", "email", "password", "answer", "note", "volunteer_id", "display_name", "role",
               "token", "current_password", "new_password", "confirm_password"]
FORM_FUZZ = settings(
    max_examples=40, deadline=dt.timedelta(seconds=5), derandomize=True, database=None, print_blob=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FORM_FUZZ
@given(
    path=st.sampled_from(POSTS),
    fields=st.dictionaries(st.sampled_from(FORM_FIELDS), st.text(max_size=60), max_size=5),
    with_token=st.booleans(),
    junk=st.none() | st.binary(max_size=200),
)
def test_fuzzed_forms_get_no_5xx(dashboard: Dashboard, path: str, fields: Dict[str, str], with_token: bool,
                                 junk: Optional[bytes]) -> None:
    client, token = dashboard.session(COORDINATOR)  # one session for every example: logging in is the slow part
    if with_token:
        fields["csrf_token"] = token
    url = MOUNT + path.replace("QID", str(dashboard.qid))
    if junk is not None:
        response = client.post(url, content=junk, headers={"Content-Type": FORM})
    else:
        response = client.post(url, data=fields)
    assert response.status_code in (200, 201, 303, 400, 403, 404, 409, 410, 429), response.text[:300]
    assert dashboard.served.errors.take() == []


def test_after_the_fuzzing_volunteers_can_still_work(dashboard: Dashboard) -> None:
    dashboard.assert_healthy()
