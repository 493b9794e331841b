"""AtomicRedisLockStore: tickets stay unique when many replicas issue them at once (real Redis)."""

from __future__ import annotations

import threading
import uuid

import pytest
from rasa.utils.endpoints import EndpointConfig

from components.lock_store import AtomicRedisLockStore


def _store() -> AtomicRedisLockStore:
    store = AtomicRedisLockStore(EndpointConfig(url="127.0.0.1", port=6379, db=3))
    try:
        store.red.ping()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"Redis is not reachable on 127.0.0.1:6379 ({exc.__class__.__name__})")
    return store


def test_simultaneous_tickets_are_all_different() -> None:
    conversation = f"lock-test-{uuid.uuid4().hex}"
    stores = [_store() for _ in range(8)]  # eight "replicas", each with its own connection
    tickets: list = []
    barrier = threading.Barrier(len(stores))

    def issue(store: AtomicRedisLockStore) -> None:
        barrier.wait()
        tickets.append(store.issue_ticket(conversation))

    threads = [threading.Thread(target=issue, args=(s,)) for s in stores]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(tickets) == list(range(len(stores)))
    for number in tickets:
        stores[0].cleanup(conversation, number)
    assert stores[0].get_lock(conversation) is None
