"""Rate limits: the sliding window itself, and 429 with Retry-After from the API."""

from __future__ import annotations

from typing import Callable, List

import pytest
from starlette.testclient import TestClient

from bot.web.ratelimit import Limits, SlidingWindow, retry_after
from tests.helpers.web import FakeRasa, start


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_window_allows_the_limit_then_refuses_until_the_oldest_hit_ages_out() -> None:
    clock = Clock()
    window = SlidingWindow(limit=3, window=60, clock=clock)
    assert [window.hit("a") for _ in range(3)] == [None, None, None]
    clock.now += 20
    assert window.hit("a") == pytest.approx(40)
    assert window.hit("b") is None  # keys are independent
    clock.now += 40
    assert window.hit("a") is None


def test_refused_hits_do_not_extend_the_wait() -> None:
    clock = Clock()
    window = SlidingWindow(limit=1, window=10, clock=clock)
    window.hit("a")
    for _ in range(5):
        clock.now += 1
        window.hit("a")
    clock.now += 5
    assert window.hit("a") is None


def test_idle_keys_are_swept() -> None:
    clock = Clock()
    window = SlidingWindow(limit=5, window=10, clock=clock, sweep_every=10)
    for i in range(9):
        window.hit(f"client-{i}")
    clock.now += 11
    window.hit("late")
    assert list(window._hits) == ["late"]


@pytest.mark.parametrize("seconds, header", [(0.0, "1"), (0.2, "1"), (1.0, "1"), (1.01, "2"), (59.5, "60")])
def test_retry_after_is_whole_seconds_at_least_one(seconds: float, header: str) -> None:
    assert retry_after(seconds) == header


def test_defaults() -> None:
    assert Limits() == Limits(per_conversation=20, per_ip=60, sessions_per_ip=10, window=60.0)


def chat(client: TestClient, conversation_id: str) -> int:
    return client.post("/api/chat", json={"conversation_id": conversation_id, "text": "hi"}).status_code


def test_per_conversation_limit(make_client: Callable[..., TestClient], rasa: FakeRasa) -> None:
    client = make_client(Limits(per_conversation=3, per_ip=1000, sessions_per_ip=1000))
    busy, quiet = start(client), start(client)
    assert [chat(client, busy) for _ in range(3)] == [200, 200, 200]
    response = client.post("/api/chat", json={"conversation_id": busy, "text": "hi"})
    assert response.status_code == 429
    assert 1 <= int(response.headers["retry-after"]) <= 60
    assert response.json()["error"] == "rate_limited"
    assert len(rasa.received) == 3
    assert chat(client, quiet) == 200


def test_per_address_limit(make_client: Callable[..., TestClient]) -> None:
    limits = Limits(per_conversation=1000, per_ip=4, sessions_per_ip=1000)
    client, neighbour = make_client(limits, address="192.0.2.1"), make_client(limits, address="192.0.2.2")
    conversation = start(client)
    codes: List[int] = [chat(client, conversation) for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert "retry-after" in client.post("/api/session", json={}).headers
    assert start(neighbour)


def test_new_conversations_per_address_limit(make_client: Callable[..., TestClient]) -> None:
    client = make_client(Limits(per_conversation=1000, per_ip=1000, sessions_per_ip=2))
    codes = [client.post("/api/session", json={}).status_code for _ in range(3)]
    assert codes == [201, 201, 429]
