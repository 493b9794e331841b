"""The widget API end to end against a fake Rasa: sessions, chat, feedback and erasure."""

from __future__ import annotations

import base64
import datetime as dt
import re
from pathlib import Path
from typing import Dict

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, Text, insert, select
from starlette.testclient import TestClient

from bot.knowledge.messages import load_messages
from bot.safety.privacy import conversation_ref
from bot.settings import Settings
from bot.store import UnansweredRecord, UnansweredRepository, make_engine, make_session_factory
from bot.store.models import Feedback, UnansweredLog, utcnow
from bot.store.web_sessions import WebSession
from tests.helpers.web import ANSWER_PAYLOAD, FakeRasa, sender_for, start

ID_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def chat(client: TestClient, conversation_id: str, **body: object):
    return client.post("/api/chat", json={"conversation_id": conversation_id, **body})


def erase(client: TestClient, conversation_id: str):
    return client.request("DELETE", "/api/conversation", json={"conversation_id": conversation_id})


# Sessions ----------------------------------------------------------------------------------------

def test_session_ids_are_server_issued_random_and_distinct(client: TestClient) -> None:
    ids = [start(client) for _ in range(20)]
    assert len(set(ids)) == len(ids)
    for conversation_id in ids:
        assert ID_RE.match(conversation_id)
        assert len(base64.urlsafe_b64decode(conversation_id + "=")) == 32  # 256 bits


def test_session_ignores_a_client_chosen_id(client: TestClient) -> None:
    response = client.post("/api/session", json={"conversation_id": "A" * 43})
    assert response.status_code == 201
    assert response.json()["conversation_id"] != "A" * 43
    assert chat(client, "A" * 43, text="hello").status_code == 404


def test_raw_id_is_never_stored(client: TestClient, settings: Settings, rasa: FakeRasa) -> None:
    conversation_id = start(client)
    assert chat(client, conversation_id, text="hello").status_code == 200
    database = Path(settings.database_url.split("///", 1)[1])
    for path in database.parent.glob(database.name + "*"):  # the file and its WAL
        assert conversation_id.encode() not in path.read_bytes()
    sessions = make_session_factory(make_engine(settings.database_url))
    with sessions() as session:
        hashes = list(session.execute(select(WebSession.key_hash)).scalars())
    assert conversation_id not in hashes
    assert rasa.received[0]["sender"] == sender_for(settings, conversation_id) != conversation_id


@pytest.mark.parametrize("idle_hours, status", [(23, 200), (25, 404)])
def test_conversation_expires_after_24_idle_hours(client: TestClient, conversation: str, idle_hours: int, status: int) -> None:
    later = utcnow() + dt.timedelta(hours=idle_hours)
    client.app.state.api.sessions.clock = lambda: later
    assert chat(client, conversation, text="hello").status_code == status


def test_use_keeps_a_conversation_alive(client: TestClient, conversation: str) -> None:
    now = utcnow()
    for hours in (20, 40, 60):
        client.app.state.api.sessions.clock = lambda h=hours: now + dt.timedelta(hours=h)
        assert chat(client, conversation, text="hello").status_code == 200


# Chat ----------------------------------------------------------------------------------------------

def test_answer_is_merged_and_stripped_to_the_contract(client: TestClient, conversation: str) -> None:
    response = chat(client, conversation, text="what is an ehc plan")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert "fallback" not in body
    [message] = body["messages"]
    assert set(message) == {"text", "buttons", "custom"}  # no recipient_id
    assert message["text"].startswith("An EHC plan") and "Next steps" in message["text"]
    assert message["buttons"][1] == {"title": "Asking for an assessment", "payload": ANSWER_PAYLOAD}
    assert message["custom"]["kb_id"] == "ehc-plan-basics"


def test_client_metadata_sender_and_channel_are_ignored(client: TestClient, conversation: str, rasa: FakeRasa, settings: Settings) -> None:
    response = chat(
        client, conversation, text="hello", sender="someone-else", input_channel="telegram",
        metadata={"channel": "telegram", "slots": {"area": "elsewhere"}},
    )
    assert response.status_code == 200
    assert rasa.received == [
        {"sender": sender_for(settings, conversation), "message": "hello", "metadata": {"channel": "widget"}}
    ]


def test_the_widgets_message_id_is_passed_on_so_rasa_can_answer_a_retry_once(client: TestClient, conversation: str,
                                                                             rasa: FakeRasa) -> None:
    message_id = "0123456789abcdef0123456789abcdef"
    assert chat(client, conversation, text="hello", message_id=message_id).status_code == 200
    assert chat(client, conversation, text="hello", message_id=message_id).status_code == 200  # the retry
    assert [body.get("message_id") for body in rasa.received] == [message_id, message_id]
    assert chat(client, conversation, text="hello again").status_code == 200  # optional: older widgets send none
    assert "message_id" not in rasa.received[-1]


@pytest.mark.parametrize("message_id", ["", "ABCDEF0123456789abcdef0123456789", "0123", 12345, ["x"], "g" * 32,
                                        "0123456789abcdef0123456789abcdef\n"])
def test_a_message_id_of_another_shape_is_refused(client: TestClient, conversation: str, rasa: FakeRasa,
                                                  message_id: object) -> None:
    response = chat(client, conversation, text="hello", message_id=message_id)
    assert response.status_code == 400
    assert rasa.received == []


@pytest.mark.parametrize("typed, sent", [
    ("/restart", "\u200b/restart"),
    ('/ask_tribunal_deadlines{"area": "x"}', '\u200b/ask_tribunal_deadlines{"area": "x"}'),
    ("  /request_human", "\u200b  /request_human"),
    ("what is /restart", "what is /restart"),
])
def test_typed_text_is_always_sent_as_text(client: TestClient, conversation: str, rasa: FakeRasa, typed: str, sent: str) -> None:
    assert chat(client, conversation, text=typed).status_code == 200
    assert rasa.received[-1]["message"] == sent


def test_offered_payload_is_forwarded_as_payload(client: TestClient, conversation: str, rasa: FakeRasa) -> None:
    chat(client, conversation, text="what is an ehc plan")
    assert chat(client, conversation, payload=ANSWER_PAYLOAD).status_code == 200
    assert rasa.received[-1]["message"] == ANSWER_PAYLOAD


def test_payload_offered_elsewhere_is_refused(client: TestClient, rasa: FakeRasa) -> None:
    first, second = start(client), start(client)
    chat(client, first, text="what is an ehc plan")
    calls = len(rasa.received)
    response = chat(client, second, payload=ANSWER_PAYLOAD)
    assert response.status_code == 403
    assert "message" in response.json()
    assert len(rasa.received) == calls  # never reached Rasa


@pytest.mark.parametrize("payload", ["/request_human", "/tell_me_more"])
def test_widget_controls_are_always_accepted(client: TestClient, conversation: str, rasa: FakeRasa, payload: str) -> None:
    assert chat(client, conversation, payload=payload).status_code == 200
    assert rasa.received[-1]["message"] == payload


@pytest.mark.parametrize("mode", ["down", "timeout", "error", "garbage", "silent"])
def test_rasa_trouble_gives_the_kind_fallback(client: TestClient, conversation: str, rasa: FakeRasa, settings: Settings, mode: str) -> None:
    rasa.mode = mode
    response = chat(client, conversation, text="hello")
    assert response.status_code == 200
    assert response.json() == {
        "messages": [{"text": load_messages(settings.knowledge_dir).text("unavailable")}], "fallback": True,
    }


# Feedback --------------------------------------------------------------------------------------------

def feedback_rows(settings: Settings):
    with make_session_factory(make_engine(settings.database_url))() as session:
        return list(session.execute(select(Feedback)).scalars())


def test_feedback_is_stored_without_text(client: TestClient, conversation: str, settings: Settings) -> None:
    response = client.post("/api/feedback", json={"conversation_id": conversation, "kb_id": "mediation", "helpful": True, "text": "my son Tom"})
    assert response.status_code == 204
    [row] = feedback_rows(settings)
    ref = conversation_ref(settings.secret_key, sender_for(settings, conversation))
    assert (row.kb_id, row.helpful, row.channel, row.conversation_ref) == ("mediation", True, "widget", ref)
    assert not any(isinstance(c.type, Text) for c in Feedback.__table__.columns)


def test_repeated_feedback_counts_once(client: TestClient, conversation: str, settings: Settings) -> None:
    for _ in range(3):
        body = {"conversation_id": conversation, "kb_id": "mediation", "helpful": False}
        assert client.post("/api/feedback", json=body).status_code == 204
    assert len(feedback_rows(settings)) == 1


@pytest.mark.parametrize("body, status", [
    ({"kb_id": "no-such-entry", "helpful": True}, 400),
    ({"kb_id": "mediation", "helpful": "yes"}, 400),
    ({"kb_id": "mediation", "helpful": 1}, 400),
    ({"kb_id": ["mediation"], "helpful": True}, 400),
    ({"helpful": True}, 400),
])
def test_feedback_is_validated(client: TestClient, conversation: str, settings: Settings, body: Dict[str, object], status: int) -> None:
    assert client.post("/api/feedback", json={"conversation_id": conversation, **body}).status_code == status
    assert feedback_rows(settings) == []


def test_feedback_needs_a_live_conversation(client: TestClient) -> None:
    body = {"conversation_id": "B" * 43, "kb_id": "mediation", "helpful": True}
    assert client.post("/api/feedback", json=body).status_code == 404


# Erasure ------------------------------------------------------------------------------------------------

def make_tracker(settings: Settings, *senders: str) -> Table:
    """Create a minimal copy of Rasa's `events` table with one event per sender."""
    events = Table(
        "events", MetaData(), Column("id", Integer, primary_key=True),
        Column("sender_id", String(255)), Column("data", Text),
    )
    engine = make_engine(settings.tracker_url, create_schema=False)
    events.metadata.create_all(engine)
    with engine.begin() as connection:
        for sender in senders:
            connection.execute(insert(events).values(sender_id=sender, data="{}"))
    engine.dispose()
    return events


def test_delete_erases_everything_about_the_conversation(client: TestClient, settings: Settings) -> None:
    mine, other = start(client), start(client)
    events = make_tracker(settings, sender_for(settings, mine), sender_for(settings, other))
    sessions = make_session_factory(make_engine(settings.database_url))
    for conversation_id in (mine, other):
        body = {"conversation_id": conversation_id, "kb_id": "mediation", "helpful": True}
        assert client.post("/api/feedback", json=body).status_code == 204
        UnansweredRepository(sessions).add(UnansweredRecord(
            channel="rest", reason="nlu_fallback", text_redacted="[redacted]", intents=[],
            conversation_ref=conversation_ref(settings.secret_key, sender_for(settings, conversation_id)),
        ))

    assert erase(client, mine).status_code == 204

    with make_engine(settings.tracker_url, create_schema=False).connect() as connection:
        assert [r.sender_id for r in connection.execute(select(events))] == [sender_for(settings, other)]
    with sessions() as session:
        assert len(list(session.execute(select(Feedback)).scalars())) == 1
        assert len(list(session.execute(select(UnansweredLog)).scalars())) == 1
        assert len(list(session.execute(select(WebSession)).scalars())) == 1
    assert chat(client, mine, text="hello").status_code == 404
    assert erase(client, mine).status_code == 404
    assert chat(client, other, text="hello").status_code == 200


def test_an_expired_conversation_can_still_be_erased(client: TestClient, conversation: str) -> None:
    later = utcnow() + dt.timedelta(hours=30)
    client.app.state.api.sessions.clock = lambda: later
    assert chat(client, conversation, text="hello").status_code == 404
    assert erase(client, conversation).status_code == 204


def test_delete_of_unknown_conversation_is_404(client: TestClient) -> None:
    assert erase(client, "C" * 43).status_code == 404


# Logging --------------------------------------------------------------------------------------------------

def test_logs_hold_no_message_text_or_ids(client: TestClient, conversation: str, caplog: pytest.LogCaptureFixture, settings: Settings) -> None:
    secret = "my son Oliver Smith was excluded from Hillview"
    with caplog.at_level("DEBUG"):
        chat(client, conversation, text=secret)
        chat(client, conversation, text="x" * 2001)
        client.post("/api/feedback", json={"conversation_id": conversation, "kb_id": "mediation", "helpful": True})
        erase(client, conversation)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert '"event": "chat"' in logged and '"event": "erased"' in logged
    for private in (secret, "Oliver", conversation, sender_for(settings, conversation), "testclient"):
        assert private not in logged
