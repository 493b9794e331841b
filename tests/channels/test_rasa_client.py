"""Tests for RasaClient with several replicas: one replica per conversation, fail-over only when nothing was sent."""

from __future__ import annotations

import json
from collections import Counter
from typing import List

import anyio
import httpx
import pytest

from bot.channels.rasa_client import RasaClient, RasaUnavailable

URLS = ["http://rasa-0.test", "http://rasa-1.test", "http://rasa-2.test"]


class Replicas:
    """Three fake Rasa replicas; some can be down (refuse) or hang (time out after receiving)."""

    def __init__(self, down: frozenset = frozenset(), hang: frozenset = frozenset()) -> None:
        self.down, self.hang = down, hang
        self.calls: List[str] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        self.calls.append(host)
        if host in self.down:
            raise httpx.ConnectError("connection refused", request=request)
        if host in self.hang:
            raise httpx.ReadTimeout("timed out", request=request)
        sender = json.loads(request.content)["sender"]
        return httpx.Response(200, json=[{"recipient_id": sender, "text": host}])

    def client(self, urls=URLS) -> RasaClient:
        return RasaClient(urls, client=httpx.AsyncClient(transport=httpx.MockTransport(self.handler)))


def _send(client: RasaClient, times: int, conversation: str = "c1") -> List[str]:
    async def run() -> List[str]:
        try:
            return [(await client.send_text(conversation, "hello", "test"))[0]["text"] for _ in range(times)]
        finally:
            await client.aclose()
    return anyio.run(run)


def test_single_url_still_works() -> None:
    replicas = Replicas()
    assert _send(replicas.client("http://rasa-0.test/"), 2) == ["rasa-0.test", "rasa-0.test"]


def _home(conversation: str) -> str:
    """Return the replica a conversation goes to when every replica is up."""
    return _send(Replicas().client(), 1, conversation)[0]


def test_a_conversation_stays_on_one_replica() -> None:
    assert len(set(_send(Replicas().client(), 6, "parent-a"))) == 1


def test_conversations_are_spread_across_the_replicas() -> None:
    homes = Counter(_home(f"conversation-{i}") for i in range(300))
    assert set(homes) == {"rasa-0.test", "rasa-1.test", "rasa-2.test"}
    assert min(homes.values()) > 60  # about 100 each


def test_refused_connection_moves_to_the_next_replica_and_back_when_it_returns() -> None:
    conversation = next(f"c{i}" for i in range(100) if _home(f"c{i}") == "rasa-1.test")
    replicas = Replicas(down=frozenset({"rasa-1.test"}))
    assert _send(replicas.client(), 2, conversation) == ["rasa-2.test", "rasa-2.test"]
    assert replicas.calls == ["rasa-1.test", "rasa-2.test", "rasa-1.test", "rasa-2.test"]
    assert _send(Replicas().client(), 1, conversation) == ["rasa-1.test"]


def test_timeout_after_sending_is_not_retried_elsewhere() -> None:
    replicas = Replicas(hang=frozenset({_home("c1")}))
    with pytest.raises(RasaUnavailable, match="ReadTimeout"):
        _send(replicas.client(), 1)
    assert replicas.calls == [_home("c1")]  # the message may have been processed: never sent twice


def test_every_replica_down_is_unavailable() -> None:
    replicas = Replicas(down=frozenset(h.split("//")[1] for h in URLS))
    with pytest.raises(RasaUnavailable, match="every replica"):
        _send(replicas.client(), 1)
    assert len(replicas.calls) == 3


def test_no_url_is_refused() -> None:
    with pytest.raises(ValueError):
        RasaClient([])
