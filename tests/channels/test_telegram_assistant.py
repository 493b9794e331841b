"""The Telegram bridge against the real assistant (Rasa and action servers), through the fake Bot API."""

from __future__ import annotations

import dataclasses
import html
from typing import AsyncIterator, Iterator

import pytest
from sqlalchemy import MetaData, Table, func, select

from bot.channels.rasa_client import RasaClient
from bot.knowledge.entries import load_kb
from bot.safety.privacy import conversation_ref
from bot.settings import PROJECT_ROOT, Settings
from bot.store import FeedbackRepository, UnansweredRecord, UnansweredRepository, make_engine, make_session_factory
from tests.helpers.bridge import running
from tests.helpers.fake_telegram import TOKEN, FakeTelegram, button

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]

CHAT = 424242001
QUESTION = "how long do i have to appeal to the send tribunal"


def tracker_events(settings: Settings, sender_id: str) -> int:
    """Count Rasa's stored events for one conversation."""
    engine = make_engine(settings.tracker_url, create_schema=False)
    try:
        events = Table("events", MetaData(), autoload_with=engine)
        with engine.connect() as connection:
            return int(connection.execute(select(func.count()).where(events.c.sender_id == sender_id)).scalar_one())
    finally:
        engine.dispose()


@pytest.fixture
def live_settings(assistant, telegram: FakeTelegram) -> Settings:
    return dataclasses.replace(
        assistant.settings, telegram_token=TOKEN, telegram_api_base_url=telegram.base_url, rasa_timeout=60.0
    )


@pytest.fixture
async def live_rasa(live_settings: Settings) -> AsyncIterator[RasaClient]:
    client = RasaClient(live_settings.rasa_url, timeout=60.0, secret=live_settings.actions_secret)
    yield client
    await client.aclose()


@pytest.fixture
def live_sessions(live_settings: Settings) -> Iterator:
    engine = make_engine(live_settings.database_url)
    yield make_session_factory(engine)
    engine.dispose()


async def test_answer_tap_vote_and_forget_with_the_real_assistant(
    live_settings: Settings, live_rasa: RasaClient, live_sessions, telegram: FakeTelegram
) -> None:
    conversation_id = conversation_ref(live_settings.secret_key, f"telegram:{CHAT}")
    ref = conversation_ref(live_settings.secret_key, conversation_id)
    entry = load_kb(PROJECT_ROOT / "knowledge").get("tribunal-deadlines")
    feedback, unanswered = FeedbackRepository(live_sessions), UnansweredRepository(live_sessions)
    async with running(live_settings, live_rasa):
        answer = await telegram.ask(CHAT, QUESTION, timeout=60)
        for source in entry.sources:
            assert f'<a href="{html.escape(source.url, quote=True)}">{html.escape(source.title)}</a>' in answer["text"]
        assert "not legal advice" in answer["text"]

        telegram.push_callback(CHAT, answer, button(answer, "Tell me more"))
        more = (await telegram.wait_for_messages(CHAT, 2, timeout=60))[-1]
        assert html.escape(entry.detail.split(".")[0]) in more["text"]
        assert len(telegram.calls_to("answerCallbackQuery")) == 1

        telegram.push_callback(CHAT, answer, button(answer, "👍"))
        await telegram.wait_for(lambda: telegram.calls_to("editMessageReplyMarkup"))
        assert feedback.counts()["tribunal-deadlines"] == (1, 0)
        unanswered.add(UnansweredRecord("telegram", "fallback", "[redacted]", [], ref))
        assert tracker_events(live_settings, conversation_id) > 0
        assert tracker_events(live_settings, str(CHAT)) == 0

        await telegram.ask(CHAT, "/forget")
    assert tracker_events(live_settings, conversation_id) == 0
    assert "tribunal-deadlines" not in feedback.counts()
    assert unanswered.delete_conversation(ref) == 0


async def test_a_follow_up_and_a_clarifying_question_in_telegram(
    live_settings: Settings, live_rasa: RasaClient, telegram: FakeTelegram
) -> None:
    chat = CHAT + 1
    async with running(live_settings, live_rasa):
        await telegram.ask(chat, "what is mediation", timeout=60)
        follow_up = await telegram.ask(chat, "do I have to do it?", timeout=60)
        assert "Do you have to mediate?" in follow_up["text"]
        close_call = await telegram.ask(chat, "can i appeal and do mediation at the same time", timeout=60)
        assert "Do you mean" in close_call["text"]
        sent = len(telegram.messages_to(chat))
        telegram.push_callback(chat, close_call, button(close_call, "Something else"))
        answer = (await telegram.wait_for_messages(chat, sent + 1, timeout=60))[-1]
        assert "know the answer" in answer["text"]
