"""Volunteer answers reach the widget through /api/updates, once."""

from __future__ import annotations

from bot.store import EscalationRepository, make_engine, make_session_factory
from bot.store.models import utcnow


def _answer(settings, sender: str, text: str) -> int:
    repository = EscalationRepository(make_session_factory(make_engine(settings.database_url)))
    escalation_id = repository.create(sender, "widget", {"turns": ["q"]}, consent_at=utcnow())
    repository.claim(escalation_id, 1)
    return repository.answer(escalation_id, 1, text)


def test_answer_is_shown_until_acknowledged_then_never_again(settings, client, conversation) -> None:
    web_settings, conversation_id = settings, conversation
    sender = client.app.state.api.sender(conversation_id)
    delivery_id = _answer(web_settings, sender, "Ask the mediation adviser for a certificate.")
    other = _answer(web_settings, "someone-else", "Not for you")
    first = client.post("/api/updates", json={"conversation_id": conversation_id}).json()["messages"]
    assert [m["custom"]["delivery_id"] for m in first] == [delivery_id]
    assert "Ask the mediation adviser" in first[0]["text"] and "volunteer" in first[0]["text"]
    assert first[0]["buttons"] == [{"title": "I still need help", "payload": "/request_human"}]
    # A restart between "answered" and "delivered" loses nothing: still pending until acknowledged.
    again = client.post("/api/updates", json={"conversation_id": conversation_id}).json()["messages"]
    assert [m["custom"]["delivery_id"] for m in again] == [delivery_id]
    ack = client.post("/api/updates/ack", json={"conversation_id": conversation_id, "delivery_ids": [delivery_id, other]})
    assert ack.status_code == 204
    assert client.post("/api/updates", json={"conversation_id": conversation_id}).json()["messages"] == []
    # Another conversation's answer cannot be acknowledged from here.
    repository = EscalationRepository(make_session_factory(make_engine(web_settings.database_url)))
    assert [d.id for d in repository.pending_deliveries("widget")] == [other]


def test_updates_need_a_live_conversation(client, conversation) -> None:
    conversation_id = conversation
    assert client.post("/api/updates", json={"conversation_id": "x" * 43}).status_code == 404
    bad = client.post("/api/updates/ack", json={"conversation_id": conversation_id, "delivery_ids": ["1"]})
    assert bad.status_code == 400


def test_answer_survives_a_restart_of_the_web_process_and_arrives_once(settings, make_client) -> None:
    """Restart between 'answered' and 'delivered': the new process delivers it, once."""
    first = make_client()
    conversation_id = first.post("/api/session", json={}).json()["conversation_id"]
    delivery_id = _answer(settings, first.app.state.api.sender(conversation_id), "Ask for the certificate.")
    first.__exit__(None, None, None)  # the web process stops before the widget fetched the answer

    restarted = make_client()
    shown = restarted.post("/api/updates", json={"conversation_id": conversation_id}).json()["messages"]
    assert [m["custom"]["delivery_id"] for m in shown] == [delivery_id]
    restarted.post("/api/updates/ack", json={"conversation_id": conversation_id, "delivery_ids": [delivery_id]})
    again = make_client()
    assert again.post("/api/updates", json={"conversation_id": conversation_id}).json()["messages"] == []
