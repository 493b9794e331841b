"""The widget conversation store: keyed hashes, expiry, offered payloads and purging."""

from __future__ import annotations

import datetime as dt
from typing import List, Optional

import pytest
from sqlalchemy import event, select

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


def _last_seen(sessions) -> dt.datetime:
    with sessions() as session:
        return session.execute(select(WebSession.last_seen)).scalar_one()


@pytest.mark.parametrize("later, rewritten", [
    (dt.timedelta(seconds=30), False),  # used again within the minute: no write
    (dt.timedelta(seconds=61), True),
    (dt.timedelta(hours=23), True),
])
def test_touch_rewrites_last_seen_at_most_once_a_minute(store: WebSessionRepository, sessions, later: dt.timedelta, rewritten: bool) -> None:
    conversation_id = store.create()
    created = _last_seen(sessions)
    store.clock = lambda: created + later
    assert store.touch(conversation_id) is not None
    assert _last_seen(sessions) == (created + later if rewritten else created)


def test_unwritten_touches_never_make_a_conversation_outlive_its_idle_time(store: WebSessionRepository, sessions) -> None:
    conversation_id = store.create()
    created = _last_seen(sessions)
    store.clock = lambda: created + dt.timedelta(seconds=59)  # used, but too soon to be written
    assert store.touch(conversation_id) is not None
    store.clock = lambda: created + store.idle + dt.timedelta(seconds=1)
    assert store.touch(conversation_id) is None  # at most a minute early, never late


@pytest.mark.parametrize("payload, offered", [
    (None, False),
    ("/ask_mediation", True),
    ("/ask_exclusion", False),
])
def test_visit_checks_a_payload_with_the_session(store: WebSessionRepository, payload: Optional[str], offered: bool) -> None:
    conversation_id = store.create()
    session_id = store.touch(conversation_id)
    assert session_id is not None
    store.offer(session_id, ["/ask_mediation"])
    visit = store.visit(conversation_id, payload)
    assert visit is not None and (visit.session_id, visit.offered) == (session_id, offered)
    elsewhere = store.visit(store.create(), payload)
    assert elsewhere is not None and not elsewhere.offered  # offered in one conversation only


def test_offer_writes_nothing_when_every_payload_is_known(store: WebSessionRepository, engine) -> None:
    session_id = store.touch(store.create())
    assert session_id is not None
    store.offer(session_id, ["/ask_mediation", "/tell_me_more"])
    statements: List[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    store.offer(session_id, ["/tell_me_more", "/ask_mediation"])
    assert [s.split()[0] for s in statements] == ["SELECT"]
    store.offer(session_id, ["/ask_mediation", "/ask_exclusion"])
    assert [s.split()[0] for s in statements[1:]] == ["SELECT", "INSERT"]  # no trim below MAX_OFFERED
    assert store.was_offered(session_id, "/ask_exclusion")
