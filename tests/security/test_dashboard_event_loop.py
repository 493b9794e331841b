"""F5: no dashboard request runs a database call or password hashing on the event loop, and a login storm
runs only a few password checks at once.

Each route is driven through the dashboard app as served; a SQLAlchemy
listener and a watching hasher record any call made from a thread that is
running the event loop. One blocked loop stalls every other request of the
process, which is how ten failed logins once stalled the parents' widget.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Dict, Iterator, List, Tuple

import httpx
import pytest
from sqlalchemy import event
from starlette.routing import Route

from bot.review import passwords
from bot.review.app import routes
from bot.review.context import ReviewContext
from tests.helpers.dashboard import (  # noqa: F401  (fixtures)
    accounts, client_at, dashboard_app, dashboard_settings, hasher, project_kb, review, signed_in,
)
from tests.helpers.review import COORDINATOR, MOUNT, VOLUNTEER, AuthActions, CountingHasher, choose_password, link_on, make_question
from tests.helpers.servers import ServerThread


def _on_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class WatchingHasher(CountingHasher):
    """A cheap hasher that notes every hash or verification made on the event loop."""

    def __init__(self, blocked: List[str]) -> None:
        super().__init__()
        self.blocked = blocked

    def hash(self, password: Any, *, salt: Any = None) -> str:
        if _on_event_loop():
            self.blocked.append("argon2 hash")
        return super().hash(password, salt=salt)

    def verify(self, hash: Any, password: Any) -> bool:  # noqa: A002
        if _on_event_loop():
            self.blocked.append("argon2 verify")
        return super().verify(hash, password)


@pytest.fixture
def blocked(review: ReviewContext, monkeypatch: pytest.MonkeyPatch) -> Iterator[List[str]]:
    """Collect what ran on the event loop: SQL statements and argon2 calls."""
    found: List[str] = []

    def before_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if _on_event_loop():
            found.append(" ".join(statement.split()[:4]))

    monkeypatch.setattr(passwords, "HASHER", WatchingHasher(found))
    passwords.reset_dummy()
    event.listen(review.engine, "before_cursor_execute", before_execute)
    yield found
    event.remove(review.engine, "before_cursor_execute", before_execute)


def _answered(review: ReviewContext, cora: AuthActions) -> int:
    """Return a question Cora claimed, answered and marked for the knowledge base."""
    qid = make_question(review, conversation="answered")
    cora.post(f"/q/{qid}/claim")
    cora.post(f"/q/{qid}/answer", answer="Ask IASK.")
    cora.post(f"/q/{qid}/kb-candidate")
    return qid


Request = Tuple[str, str, Dict[str, str]]
# Every route, as (method, path, form); QID is an answered question, OPEN a waiting one, VID Val's account.
REQUESTS: Dict[str, Request] = {
    "login": ("GET", "/login", {}),
    "queue": ("GET", "/?state=all", {}),
    "question": ("GET", "/q/QID", {}),
    "claim": ("POST", "/q/OPEN/claim", {}),
    "give_back": ("POST", "/q/OPEN/return", {"note": "over to you"}),
    "reassign": ("POST", "/q/OPEN/reassign", {"volunteer_id": "VID"}),
    "answer": ("POST", "/q/OPEN/answer", {"answer": "hello"}),
    "close": ("POST", "/q/QID/close", {}),
    "kb_candidate": ("POST", "/q/QID/kb-candidate", {}),
    "kb_draft": ("GET", "/q/QID/kb-draft.yml", {}),
    "kb_draft_write": ("POST", "/q/QID/kb-draft.yml", {}),
    "insights": ("GET", "/insights", {}),
    "insights_csv": ("GET", "/insights/weekly.csv", {}),
    "audit": ("GET", "/audit?action=login", {}),
    "volunteers": ("GET", "/volunteers", {}),
    "invite": ("POST", "/volunteers", {"email": "nia@example.org", "display_name": "Nia", "role": "volunteer"}),
    "deactivate": ("POST", "/volunteers/VID/deactivate", {}),
    "reactivate": ("POST", "/volunteers/VID/reactivate", {}),
    "reset": ("POST", "/volunteers/VID/reset", {}),
    "password": ("GET", "/password", {}),
    "password_change": ("POST", "/password", {"current_password": "wrong", "new_password": "x", "confirm_password": "x"}),
    "notifications": ("GET", "/notifications", {}),
    "notifications_save": ("POST", "/notifications", {"channel": "email", "day_mon": "on", "on_from": "09:00",
                                                      "on_until": "17:00"}),
    "groups": ("GET", "/groups", {}),
    "group": ("GET", "/groups/0123456789abcdef", {}),  # no such group: a 404 page, still off the loop
    "group_draft": ("POST", "/groups/0123456789abcdef/draft", {"title": "t"}),
    "group_out_of_scope": ("POST", "/groups/0123456789abcdef/out-of-scope", {"reply": "Sorry, not this one."}),
    "group_reopen": ("POST", "/groups/0123456789abcdef/reopen", {}),
    "reports": ("GET", "/reports", {}),
    "report": ("GET", "/reports/2026-11", {}),
    "report_html": ("GET", "/reports/2026-11.html", {}),
    "report_csv": ("GET", "/reports/2026-11.csv", {}),
    "logout": ("POST", "/logout", {}),
}
SPECIAL = {"login_submit", "set_password", "set_password_submit"}  # driven by the tests below


def test_every_route_is_driven_here():
    names = {r.name for r in routes() if isinstance(r, Route)}
    assert names == set(REQUESTS) | SPECIAL


@pytest.mark.parametrize("name", list(REQUESTS))
def test_f5_no_route_blocks_the_event_loop(name: str, signed_in, review, accounts, blocked: List[str]):
    cora = signed_in(COORDINATOR)
    open_qid, qid = make_question(review), _answered(review, cora)
    if name in ("give_back", "answer"):
        cora.post(f"/q/{open_qid}/claim")
    blocked.clear()
    method, path, form = REQUESTS[name]
    path = path.replace("QID", str(qid)).replace("OPEN", str(open_qid)).replace("VID", str(accounts["Val"]))
    data = {k: v.replace("VID", str(accounts["Val"])) for k, v in form.items()}
    response = cora.post(path, **data) if method == "POST" else cora.get(path)
    assert response.status_code < 500
    assert blocked == [], f"{name} ran on the event loop: {blocked}"


@pytest.mark.parametrize("password", [VOLUNTEER[3], "wrong-password-123"], ids=["right", "wrong"])
def test_f5_login_hashes_and_queries_off_the_event_loop(client_at, accounts, blocked: List[str], password: str):
    response = AuthActions(client_at()).login(VOLUNTEER, password=password)
    assert response.status_code in (303, 400)
    assert blocked == []


def test_f5_errors_refusals_and_links_stay_off_the_event_loop(signed_in, client_at, accounts, blocked: List[str]):
    val = signed_in(VOLUNTEER)
    cora = signed_in(COORDINATOR)
    link = link_on(cora.post(f"/volunteers/{accounts['Sam']}/reset").text)
    blocked.clear()
    sent: List[Callable[[], Any]] = [
        lambda: val.get("/audit"),  # 403, recorded in the audit log
        lambda: val.client.post(f"{MOUNT}/q/1/claim", data={"csrf_token": "forged"}),  # CSRF refusal
        lambda: val.get("/q/999"),  # 404 page
        lambda: choose_password(client_at(), link, "sam-chose-this-one"),  # the link page and its form
    ]
    for send in sent:
        assert send().status_code < 500
    assert blocked == []


class SlowHasher(CountingHasher):
    """A hasher whose verifications take a while and note how many ran at once."""

    def __init__(self) -> None:
        super().__init__()
        self.running, self.most = 0, 0
        self._lock = threading.Lock()

    def verify(self, hash: Any, password: Any) -> bool:  # noqa: A002
        with self._lock:
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            time.sleep(0.1)
            return super().verify(hash, password)
        finally:
            with self._lock:
                self.running -= 1


def test_f5_a_login_storm_runs_at_most_the_allowed_password_checks_at_once(dashboard_app, accounts, monkeypatch):
    slow = SlowHasher()
    monkeypatch.setattr(passwords, "HASHER", slow)
    passwords.reset_dummy()
    passwords.dummy_hash()
    server = ServerThread(dashboard_app).start()

    def failed_login(n: int) -> int:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            token = re.search(r'name="csrf_token" value="([^"]+)"', http.get(f"{MOUNT}/login").text).group(1)
            return http.post(f"{MOUNT}/login", data={"email": f"storm{n}@example.org", "password": "x",
                                                     "csrf_token": token}).status_code
    try:
        with ThreadPoolExecutor(max_workers=12) as pool:
            statuses = list(pool.map(failed_login, range(12)))
    finally:
        server.stop()
    assert statuses == [400] * 12 and slow.verifications == 12
    assert slow.most <= passwords.SLOTS < 12
