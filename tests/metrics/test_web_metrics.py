"""Scrape the widget server's metrics after a scripted conversation: real app, real HTTP, a fake Rasa.

The conversation goes through the widget API as a browser would, to a fake
Rasa server (tests/helpers/fake_rasa.py) that answers each message with the
payload its action would send. The scrape is read over HTTP from the
process's metrics server, and checked for exact counts and for privacy:
no label carries a message, a conversation id or Rasa's sender id.
"""

from __future__ import annotations

import socket
from typing import Dict, Iterator, List, Tuple

import httpx
import pytest
from starlette.testclient import TestClient

from bot.metrics.server import OpsServer, start_ops_server
from bot.safety.privacy import conversation_ref
from bot.settings import Settings, SettingsError, load_settings
from bot.store import EscalationRepository, make_engine, make_session_factory
from bot.store.models import utcnow
from bot.web.app import create_app
from tests.helpers.fake_rasa import FakeRasa
from tests.helpers.web import start
from tests.metrics.scrape import samples, value

# (how the parent sends it, what, the outcome its reply payloads mean)
SCRIPT: List[Tuple[str, str, str]] = [
    ("text", "what is the tribunal deadline", "answer"),
    ("payload", "/ask_mediation", "answer"),  # a button the answer offered
    ("text", "crisis", "crisis"),
    ("text", "unknown", "unanswered"),
    ("text", "handoff 7", "handoff"),
    ("text", "silent", "unavailable"),  # Rasa said nothing: the kind "unavailable" message
    ("text", "hello there", "other"),
]
PRIVATE = ["my son Zyxwv Quill has autism", "call me on 07700 900123", "tribunal for Zyxwv"]
# Label values may only come from these fixed vocabularies (plus histogram bounds).
ALLOWED_LABELS = {
    "channel": {"widget", "telegram", "other"},
    "outcome": {"answer", "unanswered", "handoff", "crisis", "other", "unavailable"},
    "result": {"delivered", "retry", "blocked", "no_chat"},
    "app": {"web", "review"},
    "method": {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "other"},
    "status": {"1xx", "2xx", "3xx", "4xx", "5xx"},
    "route": {"/api/session", "/api/chat", "/api/feedback", "/api/conversation", "/api/updates", "/api/updates/ack",
              "/api/calendar", "/widget.js", "/widget.css", "/", "/privacy", "/healthz", "/readyz", "unmatched"},
}


@pytest.fixture
def rasa() -> Iterator[FakeRasa]:
    fake = FakeRasa().start()
    yield fake
    fake.stop()


@pytest.fixture
def settings(env: Dict[str, str], rasa: FakeRasa) -> Settings:
    return load_settings({**env, "SEND_NAV_RASA_URLS": rasa.url})


@pytest.fixture
def served(settings: Settings) -> Iterator[Tuple[TestClient, str]]:
    """The widget app with its real Rasa client, and its metrics server on a free loopback port."""
    app = create_app(settings)
    ops = OpsServer(app.state.registry, lambda: app.state.checks)
    port = ops.start("127.0.0.1", 0)
    with TestClient(app, base_url="http://localhost") as client:
        yield client, f"http://127.0.0.1:{port}"
    ops.stop()


def chat(client: TestClient, conversation_id: str, kind: str, value: str) -> None:
    response = client.post("/api/chat", json={"conversation_id": conversation_id, kind: value})
    assert response.status_code == 200, response.text


def test_counters_after_a_scripted_conversation(served: Tuple[TestClient, str], settings: Settings) -> None:
    client, ops = served
    conversation_id = start(client)
    for kind, said, _ in SCRIPT:
        chat(client, conversation_id, kind, said)
    client.post("/api/chat", json={"conversation_id": conversation_id, "payload": "/never_offered"})  # 403

    scraped = httpx.get(ops + "/metrics")
    assert scraped.status_code == 200 and scraped.headers["content-type"].startswith("text/plain")
    text = scraped.text
    expected = {"answer": 2, "crisis": 1, "unanswered": 1, "handoff": 1, "unavailable": 1, "other": 1}
    for outcome, count in expected.items():
        assert value(text, "send_nav_messages_total", channel="widget", outcome=outcome) == count, outcome
    assert value(text, "send_nav_rasa_reply_seconds_count", channel="widget") == len(SCRIPT)
    assert value(text, "send_nav_http_request_seconds_count", app="web", route="/api/chat", method="POST",
                 status="2xx") == len(SCRIPT)
    assert value(text, "send_nav_http_request_seconds_count", app="web", route="/api/chat", method="POST",
                 status="4xx") == 1
    assert value(text, "send_nav_http_request_seconds_count", app="web", route="/api/session", method="POST",
                 status="2xx") == 1
    assert value(text, "process_resident_memory_bytes") > 0


def test_answers_shown_in_the_widget_are_counted_once(served: Tuple[TestClient, str], settings: Settings) -> None:
    client, ops = served
    conversation_id = start(client)
    sender = client.app.state.api.sender(conversation_id)
    escalations = EscalationRepository(make_session_factory(make_engine(settings.database_url)))
    escalation_id = escalations.create(sender, "widget", {"turns": ["q"]}, consent_at=utcnow())
    escalations.claim(escalation_id, 1)
    delivery_id = escalations.answer(escalation_id, 1, "An answer")
    for _ in range(2):  # acknowledged twice (a retried request): delivered once
        body = {"conversation_id": conversation_id, "delivery_ids": [delivery_id]}
        assert client.post("/api/updates/ack", json=body).status_code == 204
    text = httpx.get(ops + "/metrics").text
    assert value(text, "send_nav_answers_sent_total", channel="widget", result="delivered") == 1


def test_no_message_text_or_conversation_id_in_any_label(served: Tuple[TestClient, str], settings: Settings) -> None:
    client, ops = served
    conversation_id = start(client)
    for kind, said, _ in SCRIPT:
        chat(client, conversation_id, kind, said)
    for said in PRIVATE:
        chat(client, conversation_id, "text", said)
    client.get("/review/q/" + conversation_id)  # an unknown path carrying the id: must not become a label
    text = httpx.get(ops + "/metrics").text

    sender = conversation_ref(settings.secret_key, "web:" + conversation_id)
    for secret in [conversation_id, sender, conversation_ref(settings.secret_key, sender), "Zyxwv", "07700"]:
        assert secret not in text
    for sample in samples(text):
        for name, label in sample.labels.items():
            if name in ("le", "quantile", "generation", "version", "implementation", "major", "minor", "patchlevel"):
                continue
            assert label in ALLOWED_LABELS[name], (sample.name, name, label)


def test_readyz_checks_the_database_and_rasa(served: Tuple[TestClient, str], rasa: FakeRasa) -> None:
    client, ops = served
    for base, get in (("app", client.get), ("ops", lambda path: httpx.get(ops + path))):
        ready = get("/readyz")
        assert (ready.status_code, ready.json()) == (200, {"ok": True, "checks": {"database": "ok", "rasa": "ok"}}), base
    rasa.stop()
    for get in (client.get, lambda path: httpx.get(ops + path)):
        down = get("/readyz")
        assert down.status_code == 503
        assert down.json() == {"ok": False, "checks": {"database": "ok", "rasa": "failed"}}
    assert client.get("/healthz").status_code == httpx.get(ops + "/healthz").status_code == 200  # still alive


def test_ops_server_answers_only_its_three_paths(served: Tuple[TestClient, str]) -> None:
    client, ops = served
    assert client.get("/metrics").status_code == 404  # never on the public port, where a proxy would publish it
    assert httpx.get(ops + "/").status_code == 404
    assert httpx.get(ops + "/api/chat").status_code == 404
    assert httpx.get(ops + "/metrics?x=1").status_code == 200


def test_metrics_port_taken_is_not_fatal(settings: Settings) -> None:
    app = create_app(settings)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert start_ops_server("127.0.0.1", port, app.state.registry) is None
    assert start_ops_server("127.0.0.1", None, app.state.registry) is None  # metrics off


def test_metrics_are_on_loopback_by_default(env: Dict[str, str]) -> None:
    settings = load_settings(env)
    assert (settings.metrics_host, settings.metrics_port) == ("127.0.0.1", 9400)
    assert load_settings({**env, **settings.to_env()}).metrics_port == 9400  # passed on to child processes
    assert load_settings({**env, "SEND_NAV_METRICS_PORT": "0"}).metrics_port == 0


@pytest.mark.parametrize("raw", ["-1", "70000", "ninety"])
def test_metrics_port_must_be_a_port(env: Dict[str, str], raw: str) -> None:
    with pytest.raises(SettingsError, match="SEND_NAV_METRICS_PORT"):
        load_settings({**env, "SEND_NAV_METRICS_PORT": raw})
