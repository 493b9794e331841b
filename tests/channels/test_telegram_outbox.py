"""Volunteer answers and letters reach Telegram: the real bridge against the fake Bot API and a fake Rasa."""

from __future__ import annotations

import asyncio
import html
import logging
from pathlib import Path
from typing import Any, Dict, List

import pytest
from sqlalchemy import select

from bot.channels.rasa_client import RasaClient
from bot.knowledge.messages import load_messages
from bot.safety.privacy import conversation_ref
from bot.settings import PROJECT_ROOT, Settings
from bot.store import EscalationRepository
from bot.store.models import Feedback, utcnow
from bot.store.telegram_routes import TelegramRouteRepository
from tests.helpers.bridge import running
from tests.helpers.fake_rasa import LETTER_BYTES, FakeRasa
from tests.helpers.fake_telegram import FakeTelegram, button

pytestmark = pytest.mark.anyio

CHAT = 987654321
ANSWER = "Ask the school for the SENCo's notes, then write to the council."
MESSAGES = load_messages(PROJECT_ROOT / "knowledge")
FAST = 0.05  # seconds between outbox looks in these tests
VOLUNTEER = 7


def conversation_id(settings: Settings) -> str:
    return conversation_ref(settings.secret_key, f"telegram:{CHAT}")


def answers(telegram: FakeTelegram) -> List[Dict[str, Any]]:
    return [m for m in telegram.messages_to(CHAT) if html.escape(ANSWER) in m.get("text", "")]


def hand_over(settings: Settings, sessions) -> int:
    return EscalationRepository(sessions).create(conversation_id(settings), "telegram", {"turns": []}, utcnow())


def approve(sessions, escalation_id: int) -> None:
    escalations = EscalationRepository(sessions)
    escalations.claim(escalation_id, VOLUNTEER)
    escalations.answer(escalation_id, VOLUNTEER, ANSWER)


@pytest.fixture
async def rasa(rasa_server: FakeRasa):
    client = RasaClient(rasa_server.url, timeout=5.0)
    yield client
    await client.aclose()


async def test_an_approved_answer_is_sent_once_labelled_with_buttons(
    bridge_settings: Settings, rasa: RasaClient, telegram: FakeTelegram, sessions
) -> None:
    escalation_id = hand_over(bridge_settings, sessions)
    routes = TelegramRouteRepository(sessions)
    async with running(bridge_settings, rasa, outbox_interval=FAST):
        await telegram.ask(CHAT, f"handoff {escalation_id}")
        assert routes.chat_for(conversation_id(bridge_settings)) == CHAT
        approve(sessions, escalation_id)
        [message] = await telegram.wait_for(lambda: answers(telegram))
        await asyncio.sleep(FAST * 8)  # several more looks at the outbox
        assert len(answers(telegram)) == 1
    expected = MESSAGES.text("volunteer_answer", answer=ANSWER, reference=f"Q{escalation_id}")
    assert message["text"] == html.escape(expected)
    assert "volunteer" in message["text"]
    titles = [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]
    assert titles == [MESSAGES.buttons["still_need_help"], "👍", "👎"]
    assert EscalationRepository(sessions).pending_deliveries("telegram") == []
    assert routes.chat_for(conversation_id(bridge_settings)) is None, "the chat id goes once nothing is pending"


async def test_an_answer_approved_while_the_bridge_is_down_arrives_once_after_restart(
    bridge_settings: Settings, rasa: RasaClient, telegram: FakeTelegram, sessions
) -> None:
    escalation_id = hand_over(bridge_settings, sessions)
    async with running(bridge_settings, rasa, outbox_interval=FAST):
        await telegram.ask(CHAT, f"handoff {escalation_id}")
    approve(sessions, escalation_id)
    await asyncio.sleep(FAST * 4)
    assert answers(telegram) == []
    async with running(bridge_settings, rasa, outbox_interval=FAST):
        await telegram.wait_for(lambda: answers(telegram))
        await asyncio.sleep(FAST * 8)
    async with running(bridge_settings, rasa, outbox_interval=FAST):
        await asyncio.sleep(FAST * 8)  # and a second restart does not send it again
    assert len(answers(telegram)) == 1


async def test_an_answer_telegram_refuses_stays_pending_and_is_sent_on_a_later_look(
    bridge_settings: Settings, rasa: RasaClient, telegram: FakeTelegram, sessions
) -> None:
    escalation_id = hand_over(bridge_settings, sessions)
    async with running(bridge_settings, rasa, outbox_interval=FAST):
        await telegram.ask(CHAT, f"handoff {escalation_id}")
        EscalationRepository(sessions).claim(escalation_id, VOLUNTEER)
        looking = html.escape(MESSAGES.progress("claimed", f"Q{escalation_id}"))  # sent first, on its own
        await telegram.wait_for(lambda: any(m.get("text") == looking for m in telegram.messages_to(CHAT)))
        telegram.fail_next("sendMessage", times=2)
        EscalationRepository(sessions).answer(escalation_id, VOLUNTEER, ANSWER)
        await telegram.wait_for(lambda: answers(telegram))
        await asyncio.sleep(FAST * 8)
    assert len(answers(telegram)) == 1
    failed = [c for c in telegram.calls_to("sendMessage") if html.escape(ANSWER) in str(c.params.get("text"))]
    assert len(failed) == 3, "two refusals, then the accepted message"


async def test_an_answer_with_no_chat_stays_pending_and_its_text_is_not_logged(
    bridge_settings: Settings, rasa: RasaClient, telegram: FakeTelegram, sessions, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    escalation_id = hand_over(bridge_settings, sessions)  # handed over, but never through this bridge
    approve(sessions, escalation_id)
    async with running(bridge_settings, rasa, outbox_interval=FAST):
        await asyncio.sleep(FAST * 8)
    assert answers(telegram) == []
    assert len(EscalationRepository(sessions).pending_deliveries("telegram")) == 1
    assert "no Telegram chat" in caplog.text and ANSWER not in caplog.text


async def test_still_need_help_and_votes_on_a_volunteer_answer(
    bridge_settings: Settings, rasa: RasaClient, rasa_server: FakeRasa, telegram: FakeTelegram, sessions
) -> None:
    escalation_id = hand_over(bridge_settings, sessions)
    async with running(bridge_settings, rasa, outbox_interval=FAST):
        await telegram.ask(CHAT, f"handoff {escalation_id}")
        approve(sessions, escalation_id)
        [message] = await telegram.wait_for(lambda: answers(telegram))
        telegram.push_callback(CHAT, message, button(message, "👎"))
        await telegram.wait_for(lambda: telegram.calls_to("editMessageReplyMarkup"))
        telegram.push_callback(CHAT, message, button(message, MESSAGES.buttons["still_need_help"]))
        await telegram.wait_for(lambda: rasa_server.requests[-1]["message"] == "/request_human")
    with sessions() as session:
        [vote] = session.execute(select(Feedback)).scalars()
    assert (vote.kb_id, vote.helpful, vote.channel) == (f"volunteer:{escalation_id}", False, "telegram")


async def test_forget_deletes_the_chat_id_kept_for_an_answer(
    bridge_settings: Settings, rasa: RasaClient, telegram: FakeTelegram, sessions
) -> None:
    escalation_id = hand_over(bridge_settings, sessions)
    routes = TelegramRouteRepository(sessions)
    async with running(bridge_settings, rasa, outbox_interval=FAST):
        await telegram.ask(CHAT, f"handoff {escalation_id}")
        assert routes.chat_for(conversation_id(bridge_settings)) == CHAT
        await telegram.ask(CHAT, "/forget")
    assert routes.chat_for(conversation_id(bridge_settings)) is None


async def test_a_handoff_for_another_conversation_keeps_no_chat(
    bridge_settings: Settings, rasa: RasaClient, telegram: FakeTelegram, sessions
) -> None:
    other = EscalationRepository(sessions).create("someone-else", "telegram", {"turns": []}, utcnow())
    async with running(bridge_settings, rasa, outbox_interval=FAST):
        await telegram.ask(CHAT, f"handoff {other}")
    assert TelegramRouteRepository(sessions).chat_for(conversation_id(bridge_settings)) is None
    assert TelegramRouteRepository(sessions).chat_for("someone-else") is None


async def test_a_letter_follows_its_text_as_a_word_file_kept_nowhere(
    bridge, telegram: FakeTelegram, bridge_settings: Settings
) -> None:
    text = await telegram.ask(CHAT, "letter")
    assert text["text"] == "Here is your letter."
    [document] = await telegram.wait_for(lambda: telegram.documents)
    assert (document["chat_id"], document["filename"], document["data"]) == (CHAT, "request-assessment.docx", LETTER_BYTES)
    methods = [c.method for c in telegram.calls if c.method in ("sendMessage", "sendDocument")]
    assert methods == ["sendMessage", "sendDocument"]
    database = Path(bridge_settings.database_url.split("///", 1)[1])
    for path in database.parent.glob(database.name + "*"):
        assert LETTER_BYTES not in path.read_bytes()


async def test_a_slow_telegram_is_waited_for_not_sent_the_answer_twice(
    bridge_settings: Settings, rasa: RasaClient, telegram: FakeTelegram, sessions
) -> None:
    escalation_id = hand_over(bridge_settings, sessions)
    async with running(bridge_settings, rasa, outbox_interval=FAST):
        await telegram.ask(CHAT, f"handoff {escalation_id}")
        telegram.hold_next("sendMessage", 6.0)  # longer than PTB's default 5 s read timeout
        approve(sessions, escalation_id)
        await telegram.wait_for(lambda: answers(telegram))
        await telegram.wait_for(lambda: not EscalationRepository(sessions).pending_deliveries("telegram"), timeout=20)
        await asyncio.sleep(FAST * 8)
        assert len(answers(telegram)) == 1


async def test_progress_messages_reach_the_chat_once_before_the_answer(
    bridge_settings: Settings, rasa: RasaClient, telegram: FakeTelegram, sessions
) -> None:
    """Claiming tells the parent a volunteer is looking (issue 14 part 2), once, and before the answer."""
    from bot.store.parent_notices import ParentNoticeRepository

    escalation_id = hand_over(bridge_settings, sessions)
    looking = html.escape(MESSAGES.progress("claimed", f"Q{escalation_id}"))
    async with running(bridge_settings, rasa, outbox_interval=FAST):
        await telegram.ask(CHAT, f"handoff {escalation_id}")
        approve(sessions, escalation_id)  # claimed and answered before the outbox looked
        await telegram.wait_for(lambda: answers(telegram))
        await asyncio.sleep(FAST * 8)
    texts = [m.get("text", "") for m in telegram.messages_to(CHAT)]
    assert texts.count(looking) == 1
    assert texts.index(looking) < texts.index(answers(telegram)[0]["text"])
    assert ParentNoticeRepository(sessions).pending("telegram") == []
