"""Shared parts of the bad-input and abuse suite: its row type, two harnesses, and byte-for-byte requests.

Threat: anyone on the internet can send the widget proxy and the dashboard
anything at all. A 5xx, an exception that escapes a handler, or a server left
broken afterwards would turn one odd request into an outage for parents.

Design: each class of bad input is one named `Case` row (the tables are in
test_proxy.py and test_dashboard.py). A row sends its request through the real
HTTP stack (uvicorn on a loopback port; `raw_request` when httpx would refuse
or tidy up the bytes) and names the statuses it may get. After every row the
harness checks the server is still healthy and that nothing was logged at
ERROR level, which is how an exception shows itself when no client is left to
see the 500.
"""

from __future__ import annotations

import json
import logging
import re
import socket
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Tuple

import httpx

from bot.review.context import ReviewContext
from bot.settings import Settings
from bot.web.api import WidgetApi
from bot.web.errors import MESSAGES
from tests.helpers.review import MOUNT, VOLUNTEER
from tests.helpers.web import FakeRasa, answer_replies

NO_REPLY = 0  # the server closed the connection without answering (the client had hung up)
NORMAL_TEXT = answer_replies("x")[0]["text"]  # what the fake Rasa answers to any message
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Case:
    """One class of bad input: how to send it, the statuses it may get, and any further check."""

    name: str
    send: Callable[[Any], httpx.Response]
    status: Tuple[int, ...]
    check: Optional[Callable[[Any, httpx.Response], None]] = None


def run_case(case: Case, harness: Any) -> None:
    """Send one case, check its reply, then check the server is still healthy."""
    response = case.send(harness)
    assert response.status_code < 500, response.text[:300]
    assert response.status_code in case.status, (response.status_code, response.text[:300])
    if case.check is not None:
        case.check(harness, response)
    harness.assert_healthy()


class ErrorLog(logging.Handler):
    """Collect ERROR records from every logger the server writes to."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: List[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the record."""
        self.records.append(record)

    def take(self) -> List[str]:
        """Return and forget the messages collected so far."""
        messages = [r.getMessage() for r in self.records]
        self.records.clear()
        return messages


def raw_request(port: int, data: bytes, hang_up: bool = False, timeout: float = 5.0) -> httpx.Response:
    """Send bytes exactly as given and return the server's reply (status NO_REPLY if there is none)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        if hang_up:
            sock.shutdown(socket.SHUT_WR)
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except (socket.timeout, ConnectionResetError):
            pass
    if hang_up:
        time.sleep(0.2)  # let the server notice the hang-up, and log anything it is going to
    if not received:
        return httpx.Response(NO_REPLY)
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = [tuple(part.strip() for part in line.split(":", 1)) for line in header_lines if ":" in line]
    return httpx.Response(int(status_line.split()[1]), headers=headers, content=body)


def assert_kind_error(response: httpx.Response, code: Optional[str] = None) -> None:
    """Assert an API refusal is JSON with a stable code and the calm wording the widget shows."""
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["message"] == MESSAGES[body["error"]]
    if code is not None:
        assert body["error"] == code, body


def assert_normal_reply(response: httpx.Response) -> None:
    """Assert a chat reply is the assistant's ordinary answer, not an error or the fallback."""
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert "fallback" not in body and "error" not in body
    assert body["messages"][0]["text"].startswith(NORMAL_TEXT)


@dataclass
class Served:
    """The widget server and the dashboard running on loopback ports, with what the tests need to reach into."""

    url: str
    port: int
    settings: Settings
    api: WidgetApi
    review: ReviewContext
    rasa: FakeRasa
    errors: ErrorLog
    review_url: str = ""  # the dashboard, served by its own app on its own port
    review_port: int = 0


class Proxy:
    """Talk to the widget API over HTTP, as a parent's browser (or an attacker) would."""

    def __init__(self, served: Served) -> None:
        self.served = served
        self.http = httpx.Client(base_url=served.url, timeout=10)
        self.last_conversation = ""

    def start(self) -> str:
        """Start a conversation and return its id (also kept as `last_conversation`)."""
        response = self.http.post("/api/session", json={})
        assert response.status_code == 201, response.text
        self.last_conversation = str(response.json()["conversation_id"])
        return self.last_conversation

    def post(self, path: str, body: bytes, content_type: Optional[str] = "application/json",
             **headers: str) -> httpx.Response:
        """POST these exact bytes with this content type (None sends no Content-Type)."""
        if content_type is not None:
            headers["Content-Type"] = content_type
        return self.http.post(path, content=body, headers=headers)

    def post_json(self, path: str, value: Any) -> httpx.Response:
        """POST a value as JSON."""
        return self.post(path, json.dumps(value).encode())

    def chat(self, **fields: Any) -> httpx.Response:
        """Send a chat body; a new conversation's id is added unless one is given."""
        fields.setdefault("conversation_id", self.start())
        return self.post_json("/api/chat", fields)

    def chat_bytes(self, template: bytes) -> httpx.Response:
        """Send raw chat bytes in which CID stands for a new conversation's id."""
        return self.post("/api/chat", template.replace(b"CID", self.start().encode()))

    def raw(self, data: bytes, hang_up: bool = False) -> httpx.Response:
        """Send bytes exactly as given."""
        return raw_request(self.served.port, data, hang_up=hang_up)

    def received(self) -> List[Dict[str, Any]]:
        """Return the bodies the fake Rasa was sent."""
        return self.served.rasa.received

    def assert_healthy(self) -> None:
        """Assert /healthz answers and a fresh conversation still gets its normal reply."""
        with httpx.Client(base_url=self.served.url, timeout=10) as fresh:
            health = fresh.get("/healthz")
            assert health.status_code == 200 and health.json() == {"ok": True}
            started = fresh.post("/api/session", json={})
            assert started.status_code == 201
            assert_normal_reply(fresh.post("/api/chat", json={
                "conversation_id": started.json()["conversation_id"], "text": "what is an ehc plan"}))
        assert self.served.errors.take() == []

    def close(self) -> None:
        """Close the HTTP client."""
        self.http.close()


class Dashboard:
    """Use the volunteer dashboard over HTTP: anonymous, logging in, and posting forms."""

    def __init__(self, served: Served, qid: int) -> None:
        self.served = served
        self.qid = qid  # a waiting question of this test's own
        self.port = served.review_port
        self.clients: List[httpx.Client] = []
        self._sessions: Dict[tuple, Tuple[httpx.Client, str]] = {}

    @property
    def ctx(self) -> ReviewContext:
        """Return the dashboard's context (repositories, settings)."""
        return self.served.review

    def client(self) -> httpx.Client:
        """Return a new client with its own cookie jar, not following redirects."""
        made = httpx.Client(base_url=self.served.review_url, timeout=10, follow_redirects=False)
        self.clients.append(made)
        return made

    def login_form(self) -> Tuple[httpx.Client, str]:
        """Return a client holding the pre-login cookie, and the login form's CSRF token."""
        client = self.client()
        found = _CSRF.search(client.get(f"{MOUNT}/login").text)
        assert found
        return client, found.group(1)

    def login(self, who: tuple = VOLUNTEER) -> Tuple[httpx.Client, str]:
        """Log in as `who`; return the client and its session's CSRF token (read from the queue page)."""
        client, token = self.login_form()
        response = client.post(f"{MOUNT}/login", data={"email": who[0], "password": who[3], "csrf_token": token})
        assert response.status_code == 303, response.text[:300]
        queue = client.get(f"{MOUNT}/")
        assert queue.status_code == 200 and "Questions from parents" in queue.text
        found = _CSRF.search(queue.text)
        assert found
        return client, found.group(1)

    def session(self, who: tuple = VOLUNTEER) -> Tuple[httpx.Client, str]:
        """Return this test's logged-in client for `who` and its token, logging in on first use."""
        if who not in self._sessions:
            self._sessions[who] = self.login(who)
        return self._sessions[who]

    def claimed(self, who: tuple = VOLUNTEER) -> Tuple[httpx.Client, str]:
        """Claim this test's question as `who`; return their client and token."""
        client, token = self.session(who)
        assert client.post(f"{MOUNT}/q/{self.qid}/claim", data={"csrf_token": token}).status_code == 303
        return client, token

    def raw(self, data: bytes) -> httpx.Response:
        """Send bytes exactly as given."""
        return raw_request(self.port, data)

    def assert_healthy(self) -> None:
        """Assert /healthz answers, a volunteer can still log in and the queue still renders."""
        client, _ = self.login()  # which fetches and checks the queue page
        assert client.get("/healthz").status_code == 200
        assert self.served.errors.take() == []

    def close(self) -> None:
        """Close every client made."""
        for client in self.clients:
            client.close()
