"""The widget conversation store: keyed hashes, expiry, offered payloads and purging."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot.store import WebSessionRepository
from bot.store.models import utcnow
from bot.store.web_sessions import MAX_OFFERED, OfferedPayload, WebSession


@pytest.fixture
def store(sessions, secret_key: str) -> WebSessionRepository:
    return WebSessionRepository(sessions, secret_key)


def test_only_a_keyed_hash_is_stored(store: WebSessionRepository, sessions, secret_key: str) -> None:
    conversation_id = store.create()
    with sessions() as session:
        [row] = session.execute(select(WebSession)).scalars()
    assert row.key_hash == store.key_hash(conversation_id) != conversation_id
    other_key = WebSessionRepository(sessions, secret_key + "x")
    assert other_key.key_hash(conversation_id) != row.key_hash
    assert other_key.touch(conversation_id) is None


def test_touch_expires_after_idle(store: WebSessionRepository) -> None:
    conversation_id = store.create()
    start = utcnow()
    store.clock = lambda: start + dt.timedelta(hours=23, minutes=59)
    assert store.touch(conversation_id) is not None
    store.clock = lambda: start + dt.timedelta(hours=47, minutes=58)  # idle time counts from last use
    assert store.touch(conversation_id) is not None
    store.clock = lambda: start + dt.timedelta(hours=72)
    assert store.touch(conversation_id) is None
    assert store.exists(conversation_id)


def test_offered_payloads_belong_to_one_conversation(store: WebSessionRepository) -> None:
    first = store.touch(store.create())
    second = store.touch(store.create())
    assert first is not None and second is not None
    store.offer(first, ["/ask_mediation", "/ask_mediation", '/show_topics{"group":"plans"}'])
    store.offer(first, ["/ask_mediation"])
    assert store.was_offered(first, "/ask_mediation")
    assert store.was_offered(first, '/show_topics{"group":"plans"}')
    assert not store.was_offered(first, '/show_topics{"group":"help"}')
    assert not store.was_offered(second, "/ask_mediation")


def test_offered_payloads_are_capped_oldest_first(store: WebSessionRepository, sessions) -> None:
    session_id = store.touch(store.create())
    assert session_id is not None
    for i in range(MAX_OFFERED + 5):
        store.offer(session_id, [f"/ask_entry_{i}"])
    with sessions() as session:
        assert len(list(session.execute(select(OfferedPayload.id)).scalars())) == MAX_OFFERED
    assert not store.was_offered(session_id, "/ask_entry_0")
    assert store.was_offered(session_id, f"/ask_entry_{MAX_OFFERED + 4}")


def test_delete_and_purge(store: WebSessionRepository) -> None:
    old, new = store.create(), store.create()
    old_id = store.touch(old)
    assert old_id is not None
    store.offer(old_id, ["/ask_mediation"])
    store.clock = lambda: utcnow() + dt.timedelta(hours=20)
    assert store.touch(new) is not None
    assert store.purge_idle(utcnow() + dt.timedelta(hours=10)) == 1
    assert not store.exists(old) and store.exists(new)
    assert store.delete(new) and not store.delete(new)
