"""Security and validation cases for the widget server, as a table (after datasette's CSRF tests).

Each row is one hostile or malformed request and the refusal it must get.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Callable, Dict, Optional

import anyio
import pytest
from starlette.testclient import TestClient

from bot.settings import Settings
from bot.web.app import create_app
from bot.web.bodies import MAX_BODY_BYTES
from bot.web.security import CSP
from tests.helpers.web import ALLOWED_ORIGIN, ANSWER_PAYLOAD, OTHER_ORIGIN, FakeRasa

JSON = {"Content-Type": "application/json"}
UNKNOWN_ID = "D" * 43

Body = Callable[[str], bytes]


def as_json(make: Callable[[str], object]) -> Body:
    return lambda cid: json.dumps(make(cid)).encode()


CASES = [
    # (name, path, headers, body given the conversation id, expected status)
    ("text/plain is refused", "/api/chat", {"Content-Type": "text/plain"}, as_json(lambda c: {"conversation_id": c, "text": "hi"}), 415),
    ("a form post is refused", "/api/chat", {"Content-Type": "application/x-www-form-urlencoded"}, lambda c: f"conversation_id={c}&text=hi".encode(), 415),
    ("no content type is refused", "/api/chat", {}, as_json(lambda c: {"conversation_id": c, "text": "hi"}), 415),
    ("json-ish content type is refused", "/api/chat", {"Content-Type": "application/jsonp"}, as_json(lambda c: {"conversation_id": c, "text": "hi"}), 415),
    ("session needs JSON too", "/api/session", {"Content-Type": "text/plain"}, lambda c: b"{}", 415),
    ("invalid JSON", "/api/chat", JSON, lambda c: b'{"conversation_id": ', 400),
    ("empty body", "/api/chat", JSON, lambda c: b"", 400),
    ("a JSON array", "/api/chat", JSON, as_json(lambda c: [c, "hi"]), 400),
    ("a JSON string", "/api/chat", JSON, as_json(lambda c: "hi"), 400),
    ("NaN is not JSON", "/api/chat", JSON, lambda c: b'{"conversation_id": "%s", "text": NaN}' % c.encode(), 400),
    ("deep nesting", "/api/chat", JSON, lambda c: b"[" * 15_000 + b"]" * 15_000, 400),
    ("invalid UTF-8 bytes", "/api/chat", JSON, lambda c: b'{"conversation_id": "%s", "text": "\xff\xfe\xc3"}' % c.encode(), 400),
    ("binary junk", "/api/chat", JSON, lambda c: bytes(range(256)), 400),
    ("a lone surrogate", "/api/chat", JSON, lambda c: b'{"conversation_id": "%s", "text": "\\ud800"}' % c.encode(), 400),
    ("text is a number", "/api/chat", JSON, as_json(lambda c: {"conversation_id": c, "text": 42}), 400),
    ("text is null", "/api/chat", JSON, as_json(lambda c: {"conversation_id": c, "text": None}), 400),
    ("text is a list", "/api/chat", JSON, as_json(lambda c: {"conversation_id": c, "text": ["hi"]}), 400),
    ("text and payload together", "/api/chat", JSON, as_json(lambda c: {"conversation_id": c, "text": "hi", "payload": "/request_human"}), 400),
    ("neither text nor payload", "/api/chat", JSON, as_json(lambda c: {"conversation_id": c}), 400),
    ("no conversation id", "/api/chat", JSON, as_json(lambda c: {"text": "hi"}), 400),
    ("conversation id not a string", "/api/chat", JSON, as_json(lambda c: {"conversation_id": 1, "text": "hi"}), 400),
    ("an id the server never issued", "/api/chat", JSON, as_json(lambda c: {"conversation_id": UNKNOWN_ID, "text": "hi"}), 404),
    ("a malformed id", "/api/chat", JSON, as_json(lambda c: {"conversation_id": "../../etc/passwd", "text": "hi"}), 404),
    ("a Rasa sender id used as conversation id", "/api/chat", JSON, as_json(lambda c: {"conversation_id": "0" * 32, "text": "hi"}), 404),
    ("2,000 characters is fine", "/api/chat", JSON, as_json(lambda c: {"conversation_id": c, "text": "a" * 2000}), 200),
    ("2,000 emoji is fine", "/api/chat", JSON, as_json(lambda c: {"conversation_id": c, "text": "😀" * 2000}), 200),
    ("2,001 characters is too long", "/api/chat", JSON, as_json(lambda c: {"conversation_id": c, "text": "a" * 2001}), 413),
    ("a 100 KB body is too big", "/api/chat", JSON, as_json(lambda c: {"conversation_id": c, "text": "a" * 100_000}), 413),
    ("a 100 KB body of padding", "/api/chat", JSON, lambda c: b'{"conversation_id": "%s", "text": "hi"}' % c.encode() + b" " * 100_000, 413),
    ("a payload never offered", "/api/chat", JSON, as_json(lambda c: {"conversation_id": c, "payload": ANSWER_PAYLOAD}), 403),
    ("a restart payload", "/api/chat", JSON, as_json(lambda c: {"conversation_id": c, "payload": "/restart"}), 403),
    ("a payload setting slots", "/api/chat", JSON, as_json(lambda c: {"conversation_id": c, "payload": '/request_human{"area": "x"}'}), 403),
    ("payload is not a string", "/api/chat", JSON, as_json(lambda c: {"conversation_id": c, "payload": {"intent": "restart"}}), 400),
    ("feedback with an unknown kb id", "/api/feedback", JSON, as_json(lambda c: {"conversation_id": c, "kb_id": "<script>", "helpful": True}), 400),
    ("feedback with a text vote", "/api/feedback", JSON, as_json(lambda c: {"conversation_id": c, "kb_id": "mediation", "helpful": "true"}), 400),
    ("feedback as a form", "/api/feedback", {"Content-Type": "text/plain"}, as_json(lambda c: {"conversation_id": c, "kb_id": "mediation", "helpful": True}), 415),
]


@pytest.mark.parametrize("name, path, headers, body, status", CASES, ids=[c[0] for c in CASES])
def test_request_is_refused_kindly(
    client: TestClient, conversation: str, rasa: FakeRasa, name: str, path: str,
    headers: Dict[str, str], body: Body, status: int,
) -> None:
    response = client.post(path, content=body(conversation), headers=headers)
    assert response.status_code == status, response.text
    if status >= 400:
        assert response.headers["content-type"] == "application/json"
        assert isinstance(response.json()["message"], str) and response.json()["message"]
        assert rasa.received == []  # a refused request never reaches Rasa


def test_a_thousand_buttons_worth_of_payload_is_refused(client: TestClient, conversation: str) -> None:
    payload = "".join(f'/ask_entry_{i}{{"group":"plans"}}' for i in range(1000))
    response = client.post("/api/chat", json={"conversation_id": conversation, "payload": payload})
    assert response.status_code in (403, 413)


def test_body_limit_covers_the_longest_valid_text(client: TestClient, conversation: str) -> None:
    # 2,000 astral characters, each escaped as a \\uXXXX\\uXXXX pair, must still fit.
    body = json.dumps({"conversation_id": conversation, "text": "😀" * 2000}, ensure_ascii=True).encode()
    assert len(body) < MAX_BODY_BYTES
    assert client.post("/api/chat", content=body, headers=JSON).status_code == 200


def test_delete_needs_json(client: TestClient, conversation: str) -> None:
    response = client.request("DELETE", "/api/conversation", content=json.dumps({"conversation_id": conversation}), headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


@pytest.mark.parametrize("method, path", [("GET", "/api/chat"), ("PUT", "/api/session"), ("GET", "/api/conversation")])
def test_wrong_method_is_405(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.json()["error"] == "method"


# Headers -----------------------------------------------------------------------------------------------

HEADER_REQUESTS = [
    ("GET", "/", None), ("GET", "/privacy", None), ("GET", "/widget.js", None), ("GET", "/widget.css", None),
    ("GET", "/healthz", None), ("POST", "/api/session", {}), ("POST", "/api/chat", {"text": 1}),
    ("GET", "/no-such-page", None),
]


@pytest.mark.parametrize("method, path, body", HEADER_REQUESTS)
def test_security_headers_on_every_response(client: TestClient, method: str, path: str, body: Optional[dict]) -> None:
    response = client.request(method, path, json=body)
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("directive", [
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'",
])
def test_csp_allows_no_inline_script(directive: str) -> None:
    assert directive in CSP.split("; ")
    assert "unsafe" not in CSP and "*" not in CSP


# CORS ----------------------------------------------------------------------------------------------------

CORS_CASES = [
    # (path, method, origin, expect Access-Control-Allow-Origin)
    ("/api/session", "POST", ALLOWED_ORIGIN, True),
    ("/api/session", "POST", "https://www.kentpact.org.uk", True),
    ("/api/session", "POST", OTHER_ORIGIN, False),
    ("/api/session", "POST", "null", False),
    ("/api/session", "POST", ALLOWED_ORIGIN + ".evil.example", False),
    ("/api/session", "POST", "http://www.iask.org.uk", False),
    ("/widget.js", "GET", ALLOWED_ORIGIN, True),
    ("/widget.css", "GET", OTHER_ORIGIN, False),
    ("/", "GET", ALLOWED_ORIGIN, False),
    ("/privacy", "GET", ALLOWED_ORIGIN, False),
]


@pytest.mark.parametrize("path, method, origin, allowed", CORS_CASES)
def test_cors_only_for_configured_origins(client: TestClient, path: str, method: str, origin: str, allowed: bool) -> None:
    response = client.request(method, path, headers={"Origin": origin}, json={} if method == "POST" else None)
    assert response.headers.get("access-control-allow-origin") == (origin if allowed else None)
    assert "access-control-allow-credentials" not in response.headers


@pytest.mark.parametrize("origin, status", [(ALLOWED_ORIGIN, 204), (OTHER_ORIGIN, 403)])
def test_preflight(client: TestClient, origin: str, status: int) -> None:
    response = client.options("/api/chat", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type",
    })
    assert response.status_code == status
    assert "Origin" in response.headers["vary"]
    if status == 204:
        assert response.headers["access-control-allow-origin"] == origin
        assert "POST" in response.headers["access-control-allow-methods"]
        assert "DELETE" in response.headers["access-control-allow-methods"]
        assert response.headers["access-control-allow-headers"].lower() == "content-type"
    else:
        assert "access-control-allow-origin" not in response.headers
    assert response.headers["content-security-policy"] == CSP


def test_wildcard_origin_setting_is_never_echoed(settings: Settings, rasa: FakeRasa) -> None:
    rasa_client = rasa.client()
    with TestClient(create_app(replace(settings, allowed_origins=("*",)), rasa=rasa_client), base_url="http://localhost") as client:
        response = client.post("/api/session", json={}, headers={"Origin": OTHER_ORIGIN})
    anyio.run(rasa_client.aclose)
    assert "access-control-allow-origin" not in response.headers
