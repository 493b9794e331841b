"""The Telegram bridge counts each turn by outcome and serves its metrics and readiness (bot/metrics)."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Iterator

import httpx
import pytest
from prometheus_client import CollectorRegistry, generate_latest

from bot.channels.rasa_client import RasaClient
from bot.channels.telegram import build_bridge
from bot.metrics.server import OpsServer
from bot.safety.privacy import conversation_ref
from bot.settings import Settings
from bot.store import EscalationRepository
from bot.store.models import utcnow
from tests.helpers.bridge import running
from tests.helpers.fake_rasa import FakeRasa
from tests.helpers.fake_telegram import FakeTelegram
from tests.metrics.scrape import samples, value

pytestmark = pytest.mark.anyio

CHAT = 424242
SCRIPT = [("tribunal for Zyxwv", "answer"), ("crisis", "crisis"), ("unknown", "unanswered"),
          ("handoff 5", "handoff"), ("silent", "unavailable"), ("hello", "other")]


@pytest.fixture
def registry() -> CollectorRegistry:
    return CollectorRegistry()


@pytest.fixture
def ops(registry: CollectorRegistry) -> Iterator[str]:
    server = OpsServer(registry)
    port = server.start("127.0.0.1", 0)
    yield f"http://127.0.0.1:{port}"
    server.stop()


async def test_turns_are_counted_by_outcome(
    bridge_settings: Settings, telegram: FakeTelegram, rasa_server: FakeRasa, registry: CollectorRegistry, ops: str,
) -> None:
    client = RasaClient(rasa_server.url, timeout=5.0)
    async with running(bridge_settings, client, registry=registry):
        for said, _ in SCRIPT:
            await telegram.ask(CHAT, said)
    await client.aclose()
    text = httpx.get(ops + "/metrics").text
    for outcome in ("answer", "crisis", "unanswered", "handoff", "unavailable", "other"):
        assert value(text, "send_nav_messages_total", channel="telegram", outcome=outcome) == 1, outcome
    assert value(text, "send_nav_rasa_reply_seconds_count", channel="telegram") == len(SCRIPT)
    conversation = conversation_ref(bridge_settings.secret_key, f"telegram:{CHAT}")
    assert str(CHAT) not in text and conversation not in text and "Zyxwv" not in text
    assert {s.labels.get("channel") for s in samples(text) if s.name.startswith("send_nav")} == {"telegram"}


async def test_readiness_checks_the_database_and_rasa(bridge_settings: Settings, rasa_server: FakeRasa) -> None:
    _, bridge = build_bridge(dataclasses.replace(bridge_settings, rasa_url_override=(rasa_server.url,)))
    server = OpsServer(bridge.registry, bridge.checks)
    port = server.start("127.0.0.1", 0)
    try:
        ready = httpx.get(f"http://127.0.0.1:{port}/readyz")
        assert ready.json() == {"ok": True, "checks": {"database": "ok", "rasa": "ok"}}
        rasa_server.stop()
        down = httpx.get(f"http://127.0.0.1:{port}/readyz")
        assert (down.status_code, down.json()["checks"]["rasa"]) == (503, "failed")
    finally:
        server.stop()
        bridge.engine.dispose()


async def test_answer_deliveries_are_counted_by_result(
    bridge_settings: Settings, telegram: FakeTelegram, rasa_server: FakeRasa, registry: CollectorRegistry, sessions,
) -> None:
    escalations = EscalationRepository(sessions)
    conversation = conversation_ref(bridge_settings.secret_key, f"telegram:{CHAT}")
    escalation_id = escalations.create(conversation, "telegram", {"turns": []}, utcnow())
    unrouted = escalations.create("another-conversation", "telegram", {"turns": []}, utcnow())
    client = RasaClient(rasa_server.url, timeout=5.0)
    async with running(bridge_settings, client, outbox_interval=0.05, registry=registry):
        await telegram.ask(CHAT, f"handoff {escalation_id}")
        # The claim queues "a volunteer is looking" first (bot/notify): each tick tries it, then the answer,
        # so four failures make the answer fail twice.
        telegram.fail_next("sendMessage", times=4)
        for done in (escalation_id, unrouted):
            escalations.claim(done, 7)
            escalations.answer(done, 7, "Ask the school for the notes, Zyxwv.")
        await telegram.wait_for(lambda: not escalations.pending_deliveries("telegram", conversation))
        await asyncio.sleep(0.3)
    await client.aclose()
    text = generate_latest(registry).decode()
    results = {r: value(text, "send_nav_answers_sent_total", channel="telegram", result=r)
               for r in ("delivered", "retry", "blocked", "no_chat")}
    assert results == {"delivered": 1, "retry": 2, "blocked": 0, "no_chat": 1}  # the unrouted one is counted once
