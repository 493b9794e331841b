"""Volunteer answers reach the widget through /api/updates, once."""

from __future__ import annotations

from bot.store import EscalationRepository, make_engine, make_session_factory
from bot.store.models import utcnow


def _answer(settings, sender: str, text: str) -> int:
    repository = EscalationRepository(make_session_factory(make_engine(settings.database_url)))
    escalation_id = repository.create(sender, "widget", {"turns": ["q"]}, consent_at=utcnow())
    repository.claim(escalation_id, 1)
    return repository.answer(escalation_id, 1, text)


def _answers(messages: list) -> list:
    """Return the volunteer answers among the updates (the claim also sent a progress message)."""
    return [m for m in messages if m["custom"]["type"] == "volunteer_answer"]


def test_answer_is_shown_until_acknowledged_then_never_again(settings, client, conversation) -> None:
    web_settings, conversation_id = settings, conversation
    sender = client.app.state.api.sender(conversation_id)
    delivery_id = _answer(web_settings, sender, "Ask the mediation adviser for a certificate.")
    other = _answer(web_settings, "someone-else", "Not for you")
    first = _answers(client.post("/api/updates", json={"conversation_id": conversation_id}).json()["messages"])
    assert [m["custom"]["delivery_id"] for m in first] == [delivery_id]
    assert "Ask the mediation adviser" in first[0]["text"] and "volunteer" in first[0]["text"]
    assert first[0]["buttons"] == [{"title": "I still need help", "payload": "/request_human"}]
    # A restart between "answered" and "delivered" loses nothing: still pending until acknowledged.
    again = _answers(client.post("/api/updates", json={"conversation_id": conversation_id}).json()["messages"])
    assert [m["custom"]["delivery_id"] for m in again] == [delivery_id]
    ack = client.post("/api/updates/ack", json={"conversation_id": conversation_id, "delivery_ids": [delivery_id, other]})
    assert ack.status_code == 204
    assert _answers(client.post("/api/updates", json={"conversation_id": conversation_id}).json()["messages"]) == []
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
    shown = _answers(restarted.post("/api/updates", json={"conversation_id": conversation_id}).json()["messages"])
    assert [m["custom"]["delivery_id"] for m in shown] == [delivery_id]
    restarted.post("/api/updates/ack", json={"conversation_id": conversation_id, "delivery_ids": [delivery_id]})
    again = make_client()
    assert _answers(again.post("/api/updates", json={"conversation_id": conversation_id}).json()["messages"]) == []


def test_progress_messages_are_shown_once_with_ids_apart_from_answers(settings, client, conversation) -> None:
    """'A volunteer is looking' on claim, and 'taking longer' past the promise, each once (issue 14 part 2)."""
    from bot.store.parent_notices import ParentNoticeRepository

    conversation_id = conversation
    sender = client.app.state.api.sender(conversation_id)
    sessions = make_session_factory(make_engine(settings.database_url))
    repository = EscalationRepository(sessions)
    escalation_id = repository.create(sender, "widget", {"turns": ["q"]}, consent_at=utcnow())
    repository.claim(escalation_id, 1)
    ParentNoticeRepository(sessions).add(escalation_id, sender, "widget", "overdue")
    ParentNoticeRepository(sessions).add(escalation_id, "someone-else", "widget", "overdue-risk")
    shown = client.post("/api/updates", json={"conversation_id": conversation_id}).json()["messages"]
    assert [m["custom"]["type"] for m in shown] == ["volunteer_progress", "volunteer_progress"]
    assert shown[0]["text"].startswith(f"A volunteer is looking at your question (reference Q{escalation_id})")
    assert "IASK" in shown[1]["text"] and "IPSEA" in shown[1]["text"]
    ids = [m["custom"]["delivery_id"] for m in shown]
    assert all(i < 0 for i in ids)  # never mistaken for an answer's delivery id
    ack = client.post("/api/updates/ack", json={"conversation_id": conversation_id, "delivery_ids": ids})
    assert ack.status_code == 204
    assert client.post("/api/updates", json={"conversation_id": conversation_id}).json()["messages"] == []
    assert [n.conversation_id for n in ParentNoticeRepository(sessions).pending("widget")] == ["someone-else"]
