"""Bad input and abuse sent to the widget proxy over real HTTP: a clear 4xx or a kind reply, never a 5xx.

One row per class of bad input (see cases.py for the design). A 200 must be
the assistant's ordinary answer; a 4xx must be the API's JSON refusal with its
calm wording (or uvicorn's own 400 for bytes that are not HTTP at all). After
every row /healthz answers, a fresh conversation gets its normal reply, and
nothing was logged at ERROR level.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Dict, List

import httpx
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from bot.channels.rasa_client import TEXT_MARK
from bot.store.models import utcnow
from tests.abuse.cases import NO_REPLY, Case, Proxy, assert_kind_error, assert_normal_reply, run_case
from tests.helpers.web import ALLOWED_ORIGIN, ANSWER_PAYLOAD, OTHER_ORIGIN

UNKNOWN_ID = "D" * 43  # well-formed, never issued
SCRIPT = "<script>alert(1)</script><img src=x onerror=alert(1)>"
THOUSAND_PAYLOADS = "".join(f'/ask_entry_{i}{{"group":"plans"}}' for i in range(1000))
CLOSE = b"Connection: close\r\n"


def refused(code: str) -> Any:
    """Check an API refusal with this code, and that Rasa was never asked."""
    def check(h: Proxy, response: httpx.Response) -> None:
        assert_kind_error(response, code)
        assert SCRIPT not in response.text
        assert h.received() == []
    return check


def answered(h: Proxy, response: httpx.Response) -> None:
    """Check the ordinary answer came back."""
    assert_normal_reply(response)


def sent_as_text(typed: str) -> Any:
    """Check the reply is ordinary and Rasa got the typed text as text that its '/' parser skips."""
    def check(h: Proxy, response: httpx.Response) -> None:
        assert_normal_reply(response)
        [body] = h.received()
        # Rasa 3.6 strips the message, then treats a leading "/" as an intent with entities.
        assert not body["message"].strip().startswith("/")
        assert body["message"] == TEXT_MARK + typed
    return check


def received_exactly(text: str) -> Any:
    """Check the reply is ordinary and Rasa got exactly this text."""
    def check(h: Proxy, response: httpx.Response) -> None:
        assert_normal_reply(response)
        assert [b["message"] for b in h.received()] == [text]
    return check


def uvicorn_refused(h: Proxy, response: httpx.Response) -> None:
    """Check uvicorn refused bytes that are not valid HTTP, before the app saw them."""
    assert response.text == "Invalid HTTP request received."
    assert h.received() == []


def client_fields_ignored(h: Proxy, response: httpx.Response) -> None:
    """Check the server chose the sender and metadata itself."""
    assert_normal_reply(response)
    [body] = h.received()
    assert body["sender"] == h.served.api.sender(h.last_conversation)
    assert body["metadata"] == {"channel": "widget"} and body["message"] == "hello"


def json_not_html(h: Proxy, response: httpx.Response) -> None:
    """Check markup typed by a parent comes back as JSON that no browser will run."""
    assert_normal_reply(response)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert h.received()[0]["message"] == SCRIPT  # passed on as text, unchanged


def no_cors_for_strangers(h: Proxy, response: httpx.Response) -> None:
    """Check another site's preflight gets no CORS grant."""
    assert "access-control-allow-origin" not in response.headers


def expired(h: Proxy) -> httpx.Response:
    """Reuse a conversation id after 25 idle hours."""
    conversation_id, clock = h.start(), h.served.api.sessions.clock
    later = utcnow() + dt.timedelta(hours=25)
    h.served.api.sessions.clock = lambda: later
    try:
        return h.chat(conversation_id=conversation_id, text="hello again")
    finally:
        h.served.api.sessions.clock = clock


def erased(h: Proxy) -> httpx.Response:
    """Reuse a conversation id after the parent erased the conversation."""
    conversation_id = h.start()
    gone = h.http.request("DELETE", "/api/conversation", json={"conversation_id": conversation_id})
    assert gone.status_code == 204
    return h.chat(conversation_id=conversation_id, text="hello again")


def raw_chat(head: bytes, body: bytes = b"", hang_up: bool = False) -> Any:
    """Return a sender of a hand-written POST /api/chat (CID stands for a new conversation's id).

    The body's true Content-Length is added unless `head` declares one.
    """
    def send(h: Proxy) -> httpx.Response:
        filled = body.replace(b"CID", h.start().encode())
        length = b"" if b"Content-Length" in head else b"Content-Length: %d\r\n" % len(filled)
        request = b"POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\n" + head + length + CLOSE + b"\r\n" + filled
        return h.raw(request, hang_up=hang_up)
    return send


def raw_get(target: bytes, headers: bytes = b"") -> Any:
    """Return a sender of a hand-written GET."""
    return lambda h: h.raw(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + CLOSE + b"\r\n")


def chunked(h: Proxy) -> httpx.Response:
    """Stream a 100 KB chat body in chunks, with no Content-Length to check up front."""
    opening = b'{"conversation_id": "%s", "text": "' % h.start().encode()
    parts = [opening] + [b"a" * 1000] * 100 + [b'"}']
    return h.http.post("/api/chat", content=iter(parts), headers={"Content-Type": "application/json"})


HELLO = b'{"conversation_id": "CID", "text": "hello"}'

CASES: List[Case] = [
    # --- the body: size, bytes and encodings ---
    Case("empty body", lambda h: h.post("/api/chat", b""), (400,), refused("bad_request")),
    Case("whitespace-only body", lambda h: h.post("/api/chat", b"  \r\n\t "), (400,), refused("bad_request")),
    Case("whitespace-only text", lambda h: h.chat(text=" \n\t "), (200,), received_exactly(" \n\t ")),
    Case("100 KB of text", lambda h: h.chat(text="a" * 100_000), (413,), refused("too_long")),
    Case("100 KB streamed in chunks", chunked, (413,), refused("too_long")),
    Case("Content-Length over the limit", raw_chat(b"Content-Type: application/json\r\nContent-Length: 1000000\r\n"),
         (413,), refused("too_long")),
    Case("a 50,000-character single word", lambda h: h.chat(text="x" * 50_000), (413,), refused("too_long")),
    Case("binary bytes", lambda h: h.post("/api/chat", bytes(range(256)) * 4), (400,), refused("bad_request")),
    Case("invalid UTF-8", lambda h: h.chat_bytes(b'{"conversation_id": "CID", "text": "\xff\xfe\xc3("}'), (400,),
         refused("bad_request")),
    Case("UTF-16 body", lambda h: h.post("/api/chat", json.dumps({"text": "hi"}).encode("utf-16")), (400,),
         refused("bad_request")),
    Case("byte-order mark before the JSON", lambda h: h.chat_bytes(b"\xef\xbb\xbf" + HELLO), (400,), refused("bad_request")),
    Case("NUL and control characters in text", lambda h: h.chat(text="a\x00b\x07\x1b[31mc\x7f"), (200,),
         received_exactly("a\x00b\x07\x1b[31mc\x7f")),
    Case("raw NUL byte inside a JSON string", lambda h: h.chat_bytes(b'{"conversation_id": "CID", "text": "a\x00b"}'),
         (400,), refused("bad_request")),
    Case("lone surrogate escape", lambda h: h.chat_bytes(b'{"conversation_id": "CID", "text": "\\ud800"}'), (400,),
         refused("bad_request")),
    Case("body cut short, client hangs up", raw_chat(b"Content-Type: application/json\r\nContent-Length: 500\r\n",
                                                     b'{"conversation_id": "CID", "te', hang_up=True), (NO_REPLY, 400)),
    # --- JSON that is not what the API reads ---
    Case("invalid JSON", lambda h: h.chat_bytes(b'{"conversation_id": "CID", "text": '), (400,), refused("bad_request")),
    Case("JSON array", lambda h: h.post_json("/api/chat", ["hello"]), (400,), refused("bad_request")),
    Case("JSON string", lambda h: h.post_json("/api/chat", "hello"), (400,), refused("bad_request")),
    Case("JSON number", lambda h: h.post_json("/api/chat", 42), (400,), refused("bad_request")),
    Case("JSON null", lambda h: h.post_json("/api/chat", None), (400,), refused("bad_request")),
    Case("NaN and Infinity", lambda h: h.chat_bytes(b'{"conversation_id": "CID", "text": NaN, "x": -Infinity}'), (400,),
         refused("bad_request")),
    Case("10,000 levels of nesting", lambda h: h.post("/api/chat", b"[" * 10_000 + b"]" * 10_000), (400,),
         refused("bad_request")),
    Case("deep nesting inside a field", lambda h: h.chat_bytes(
        b'{"conversation_id": "CID", "text": ' + b"[" * 5000 + b"]" * 5000 + b"}"), (400,), refused("bad_request")),
    Case("a 5,000-digit number", lambda h: h.chat_bytes(b'{"conversation_id": "CID", "text": ' + b"9" * 5000 + b"}"),
         (400,), refused("bad_request")),
    Case("duplicate keys: the last one counts", lambda h: h.chat_bytes(
        b'{"conversation_id": "CID", "text": "/restart", "text": "hello"}'), (200,), received_exactly("hello")),
    # --- fields of the wrong type, missing or extra ---
    Case("text is a number", lambda h: h.chat(text=42), (400,), refused("bad_request")),
    Case("text is a list", lambda h: h.chat(text=["hello"]), (400,), refused("bad_request")),
    Case("text is an object", lambda h: h.chat(text={"text": "hello"}), (400,), refused("bad_request")),
    Case("text and payload together", lambda h: h.chat(text="hi", payload="/request_human"), (400,), refused("bad_request")),
    Case("no conversation id", lambda h: h.post_json("/api/chat", {"text": "hello"}), (400,), refused("bad_request")),
    Case("sender, metadata and input_channel are ignored", lambda h: h.chat(
        text="hello", sender="admin", metadata={"sender": "someone-else"}, input_channel="rest", message="/restart"),
        (200,), client_fields_ignored),
    # --- conversation ids ---
    Case("unknown conversation id", lambda h: h.chat(conversation_id=UNKNOWN_ID, text="hello"), (404,), refused("not_found")),
    Case("malformed conversation id", lambda h: h.chat(conversation_id="../../etc/passwd\x00" + SCRIPT, text="hello"),
         (404,), refused("not_found")),
    Case("10,000-character conversation id", lambda h: h.chat(conversation_id="A" * 10_000, text="hello"), (404,),
         refused("not_found")),
    Case("conversation id is a number", lambda h: h.chat(conversation_id=12345, text="hello"), (400,), refused("bad_request")),
    Case("reused expired conversation id", expired, (404,), refused("not_found")),
    Case("reused erased conversation id", erased, (404,), refused("not_found")),
    # --- payloads and injection ---
    Case('/intent{"slot":"x"} typed as text', lambda h: h.chat(text='/intent{"slot":"x"}'), (200,),
         sent_as_text('/intent{"slot":"x"}')),
    Case("slash command after spaces", lambda h: h.chat(text="  /request_human"), (200,), sent_as_text("  /request_human")),
    Case("payload never offered", lambda h: h.chat(payload=ANSWER_PAYLOAD), (403,), refused("not_offered")),
    Case("always-offered payload with slots added", lambda h: h.chat(payload='/request_human{"area":"x"}'), (403,),
         refused("not_offered")),
    Case("1,000 buttons' worth of payload", lambda h: h.chat(payload=THOUSAND_PAYLOADS), (413,), refused("too_long")),
    Case("a list of 1,000 payloads", lambda h: h.chat(payload=["/request_human"] * 1000), (400,), refused("bad_request")),
    Case("1,000 delivery ids to acknowledge", lambda h: h.post_json(
        "/api/updates/ack", {"conversation_id": h.start(), "delivery_ids": list(range(1000))}), (400,), refused("bad_request")),
    Case("HTML and script as text", lambda h: h.chat(text=SCRIPT), (200,), json_not_html),
    Case("feedback on an unknown answer", lambda h: h.post_json(
        "/api/feedback", {"conversation_id": h.start(), "kb_id": SCRIPT, "helpful": True}), (400,), refused("unknown_answer")),
    Case("path traversal in a calendar rule", lambda h: h.post_json(
        "/api/calendar", {"conversation_id": h.start(), "rule": "../../../etc/passwd", "due": "2026-05-25"}), (400,),
        refused("bad_request")),
    # --- content types ---
    Case("text/plain", lambda h: h.post("/api/chat", HELLO, "text/plain"), (415,), refused("unsupported_type")),
    Case("form-encoded", lambda h: h.post("/api/chat", b"conversation_id=x&text=hello", "application/x-www-form-urlencoded"),
         (415,), refused("unsupported_type")),
    Case("multipart", lambda h: h.http.post("/api/chat", files={"text": ("a.txt", b"hello")}), (415,),
         refused("unsupported_type")),
    Case("no content type", lambda h: h.post("/api/chat", HELLO, None), (415,), refused("unsupported_type")),
    Case("session started with a form", lambda h: h.post("/api/session", b"a=b", "application/x-www-form-urlencoded"),
         (415,), refused("unsupported_type")),
    # --- methods, paths and the HTTP layer ---
    Case("wrong method", lambda h: h.http.get("/api/chat"), (405,), refused("method")),
    Case("HEAD on the API", lambda h: h.http.head("/api/chat"), (405,)),
    Case("OPTIONS without a preflight", lambda h: h.http.options("/api/chat"), (405,), refused("method")),
    Case("preflight from another site", lambda h: h.http.options("/api/chat", headers={
        "Origin": OTHER_ORIGIN, "Access-Control-Request-Method": "POST"}), (403,), no_cors_for_strangers),
    Case("unknown path", lambda h: h.http.post("/api/admin", json={}), (404,), refused("no_route")),
    Case("path traversal in the URL", raw_get(b"/../../etc/passwd"), (404,), refused("no_route")),
    Case("a 60,000-character path", lambda h: h.http.get("/" + "a" * 60_000), (404,), refused("no_route")),
    Case("a 200 KB query string", raw_get(b"/healthz?" + b"a" * 200_000), (400,), uvicorn_refused),
    Case("a 200 KB header", lambda h: h.http.post("/api/chat", json={"conversation_id": h.start(), "text": "hello"},
                                                    headers={"X-Padding": "a" * 200_000, "Origin": ALLOWED_ORIGIN}),
         (200,), answered),
    Case("2,000 headers", lambda h: h.http.post("/api/chat", json={"conversation_id": h.start(), "text": "hello"},
                                                headers={f"X-Header-{i}": "a" for i in range(2000)}), (200,), answered),
    Case("invalid UTF-8 in a header", raw_chat(b"Content-Type: application/json\r\nX-Name: \xff\xfe\r\n", HELLO), (200,),
         answered),
    Case("NUL byte in a header", raw_get(b"/healthz", b"X-Name: a\x00b\r\n"), (400,), uvicorn_refused),
    Case("not HTTP at all", lambda h: h.raw(b"\x16\x03\x01\x02\x00 hello\r\n\r\n"), (400,), uvicorn_refused),
    Case("Content-Length that is not a number", raw_chat(b"Content-Type: application/json\r\nContent-Length: 1e3\r\n",
                                                         HELLO), (400,), uvicorn_refused),
    Case("Content-Length and chunked together", raw_chat(
        b"Content-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n", b"0\r\n\r\n"),
        (400,), uvicorn_refused),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_gets_a_clear_4xx_or_a_kind_reply(proxy: Proxy, case: Case) -> None:
    run_case(case, proxy)


def test_the_table_names_at_least_twenty_distinct_classes() -> None:
    assert len({c.name for c in CASES}) == len(CASES) >= 20


# Bounded fuzzing over the wire: any endpoint, content type and body -------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=15,
)
FIELDS = ["conversation_id", "text", "payload", "kb_id", "helpful", "delivery_ids", "rule", "due", "sender"]
ENDPOINTS = [("POST", "/api/session"), ("POST", "/api/chat"), ("POST", "/api/feedback"), ("DELETE", "/api/conversation"),
             ("POST", "/api/updates"), ("POST", "/api/updates/ack"), ("POST", "/api/calendar")]
WIRE_FUZZ = settings(
    max_examples=60, deadline=dt.timedelta(seconds=5), derandomize=True, database=None, print_blob=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@WIRE_FUZZ
@given(
    endpoint=st.sampled_from(ENDPOINTS),
    content_type=st.sampled_from(["application/json", "application/json; charset=latin-1", "text/plain", None]),
    live=st.booleans(),
    fields=st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=4),
    junk=st.none() | st.binary(max_size=200),
)
def test_fuzzed_requests_over_the_wire_get_no_5xx(
    proxy: Proxy, endpoint: tuple, content_type: Any, live: bool, fields: Dict[str, Any], junk: Any,
) -> None:
    if live:
        fields["conversation_id"] = proxy.start()
    body = junk if junk is not None else json.dumps(fields).encode()
    headers = {"Content-Type": content_type} if content_type else {}
    response = proxy.http.request(endpoint[0], endpoint[1], content=body, headers=headers)
    assert response.status_code in (200, 201, 204, 400, 403, 404, 413, 415), response.text[:300]
    if response.status_code >= 400:
        assert_kind_error(response)
    assert proxy.http.get("/healthz").status_code == 200
    assert proxy.served.errors.take() == []


def test_after_the_fuzzing_a_parent_still_gets_answers(proxy: Proxy) -> None:
    proxy.assert_healthy()
