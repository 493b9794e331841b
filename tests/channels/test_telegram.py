"""The real python-telegram-bot Application against a fake Bot API server and a fake Rasa."""

from __future__ import annotations

from contextlib import closing
import dataclasses
import html
import logging
import sqlite3
from pathlib import Path
from typing import Any, Dict, List

import pytest
from sqlalchemy import select

from bot.channels.rasa_client import RasaClient
from bot.channels.telegram import build_application, file_base_url
from bot.channels.telegram_texts import load_telegram_texts
from bot.knowledge.messages import load_messages
from bot.safety.privacy import conversation_ref
from bot.settings import PROJECT_ROOT, Settings, SettingsError
from bot.store import FeedbackRepository, UnansweredRecord, UnansweredRepository
from bot.store.buttons import ButtonPayload
from bot.store.models import Feedback, UnansweredLog
from tests.helpers.bridge import running
from tests.helpers.fake_rasa import LONG_TEXT, SLOW_SECONDS, XSS, FakeRasa
from tests.helpers.fake_telegram import TOKEN, FakeTelegram, button
from tests.helpers.rest import free_port

pytestmark = pytest.mark.anyio

CHAT = 987654321
OTHER_CHAT = 555000111
QUESTION = "how long do i have to appeal to the tribunal"
TEXTS = load_telegram_texts(PROJECT_ROOT / "knowledge")
MESSAGES = load_messages(PROJECT_ROOT / "knowledge")


def conversation_id(settings: Settings, chat_id: int = CHAT) -> str:
    return conversation_ref(settings.secret_key, f"telegram:{chat_id}")


def stored_ref(settings: Settings, chat_id: int = CHAT) -> str:
    return conversation_ref(settings.secret_key, conversation_id(settings, chat_id))


def callbacks(message: Dict[str, Any]) -> List[str]:
    return [b["callback_data"] for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row]


def sqlite_path(settings: Settings) -> Path:
    return Path(settings.database_url.split("///", 1)[1])


async def ask(telegram: FakeTelegram, text: str, chat_id: int = CHAT) -> Dict[str, Any]:
    return await telegram.ask(chat_id, text)


async def test_a_question_gets_an_answer_with_linked_sources_and_votes(
    bridge, telegram: FakeTelegram, rasa_server: FakeRasa, bridge_settings: Settings
) -> None:
    message = await ask(telegram, QUESTION)
    text = message["text"]
    assert '• <a href="https://www.gov.uk/send-tribunal">SEND Tribunal: appeal an EHC plan decision</a>' in text
    assert html.escape(XSS) in text and XSS not in text
    assert "javascript:" not in text
    [sent] = telegram.calls_to("sendMessage")
    assert sent.params["parse_mode"] == "HTML"
    assert callbacks(message)[-2:] == [f"f:1:{callbacks(message)[-1][4:]}", f"f:0:{callbacks(message)[-1][4:]}"]
    assert all(len(data.encode()) <= 64 for data in callbacks(message))
    # The typing indicator was shown while Rasa was asked.
    methods = [c.method for c in telegram.calls if c.method in ("sendChatAction", "sendMessage")]
    assert methods[0] == "sendChatAction" and telegram.calls_to("sendChatAction")[0].params["action"] == "typing"
    [request] = rasa_server.requests
    assert request == {"sender": conversation_id(bridge_settings), "message": QUESTION, "metadata": {"channel": "telegram"},
                       "message_id": f"{1:032x}"}  # the update id: a second delivery is read once


async def test_a_button_tap_goes_to_rasa_and_the_callback_is_answered(bridge, telegram: FakeTelegram, rasa_server: FakeRasa) -> None:
    answer = await ask(telegram, QUESTION)
    query_id = telegram.push_callback(CHAT, answer, button(answer, "Mediation"))
    reply = (await telegram.wait_for_messages(CHAT, 2))[-1]
    assert reply["text"].startswith("Mediation is free.")
    assert rasa_server.requests[-1]["message"] == "/ask_mediation"
    assert [c.params["callback_query_id"] for c in telegram.calls_to("answerCallbackQuery")] == [query_id]


@pytest.mark.parametrize("data", ["b:unknown-id", "f:1:unknown-id", "nonsense", "b:"])
async def test_an_unknown_button_is_answered_kindly(bridge, telegram: FakeTelegram, rasa_server: FakeRasa, data: str) -> None:
    answer = await ask(telegram, QUESTION)
    telegram.push_callback(CHAT, answer, data)
    reply = (await telegram.wait_for_messages(CHAT, 2))[-1]
    assert reply["text"] == html.escape(TEXTS.text("button_expired"))
    assert len(telegram.calls_to("answerCallbackQuery")) == 1
    assert len(rasa_server.requests) == 1


async def test_a_button_offered_in_another_chat_is_refused(bridge, telegram: FakeTelegram, rasa_server: FakeRasa) -> None:
    answer = await ask(telegram, QUESTION)
    # Callback data forged into a message of another chat: the payload was not offered there.
    elsewhere = dict(answer, chat={"id": OTHER_CHAT, "type": "private", "first_name": "Other"})
    telegram.push_callback(OTHER_CHAT, elsewhere, button(answer, "Mediation"))
    reply = (await telegram.wait_for_messages(OTHER_CHAT, 1))[-1]
    assert reply["text"] == html.escape(TEXTS.text("button_expired"))
    assert [r["message"] for r in rasa_server.requests] == [QUESTION]


async def test_a_long_reply_is_split_with_buttons_on_the_last_part(bridge, telegram: FakeTelegram) -> None:
    assert len(LONG_TEXT) > 4096
    telegram.push_text(CHAT, "long")
    await telegram.wait_for(lambda: "reply_markup" in (telegram.messages_to(CHAT) or [{}])[-1])
    parts = telegram.messages_to(CHAT)
    assert len(parts) == 2
    assert all(len(p["text"]) <= 4096 for p in parts)
    assert "\n\n".join(p["text"] for p in parts) == LONG_TEXT
    assert ["reply_markup" in p for p in parts] == [False, True]


async def test_rasa_down_gets_the_kind_fallback(
    bridge_settings: Settings, telegram: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    caplog.set_level(logging.INFO)
    closed = RasaClient(f"http://127.0.0.1:{free_port()}", timeout=2.0)
    async with running(bridge_settings, closed):
        reply = await ask(telegram, "my son's name is Zebedee and he was excluded")
    await closed.aclose()
    assert reply["text"] == html.escape(MESSAGES.text("unavailable"))
    assert "Rasa unavailable: RasaUnavailable" in caplog.text
    # Neither the message nor the token reaches the logs (httpx would log request URLs at INFO).
    assert "Zebedee" not in caplog.text and TOKEN not in caplog.text and TOKEN.split(":")[1] not in caplog.text


async def test_an_empty_reply_from_rasa_still_gets_an_answer(bridge, telegram: FakeTelegram) -> None:
    assert (await ask(telegram, "silent"))["text"] == html.escape(MESSAGES.text("unavailable"))


async def test_stickers_get_a_kind_text_only_reply(bridge, telegram: FakeTelegram, rasa_server: FakeRasa) -> None:
    telegram.push_sticker(CHAT)
    [reply] = await telegram.wait_for_messages(CHAT, 1)
    assert reply["text"] == html.escape(TEXTS.text("non_text"))
    assert rasa_server.requests == []


async def test_a_thumbs_up_stores_a_vote_without_text_and_removes_only_the_vote_buttons(
    bridge, telegram: FakeTelegram, bridge_settings: Settings, sessions
) -> None:
    answer = await ask(telegram, QUESTION)
    telegram.push_callback(CHAT, answer, button(answer, "👍"))
    await telegram.wait_for(lambda: telegram.calls_to("editMessageReplyMarkup"))
    [ack] = telegram.calls_to("answerCallbackQuery")
    assert ack.params["text"] == TEXTS.text("feedback_thanks") == "Thanks for your feedback"
    [edit] = telegram.calls_to("editMessageReplyMarkup")
    assert edit.params["message_id"] == answer["message_id"]
    kept = [b["text"] for row in edit.params["reply_markup"]["inline_keyboard"] for b in row]
    assert kept == ["Tell me more", "Mediation"]
    with sessions() as session:
        [vote] = session.execute(select(Feedback)).scalars()
    assert (vote.kb_id, vote.helpful, vote.channel) == ("tribunal-deadlines", True, "telegram")
    assert vote.conversation_ref == stored_ref(bridge_settings)
    assert {c.name for c in Feedback.__table__.columns}.isdisjoint({"text", "text_redacted", "message"})


async def test_forget_erases_this_conversation_only(
    bridge, telegram: FakeTelegram, bridge_settings: Settings, sessions
) -> None:
    mine, theirs = stored_ref(bridge_settings), stored_ref(bridge_settings, OTHER_CHAT)
    for ref in (mine, theirs):
        FeedbackRepository(sessions).add("mediation", False, "telegram", ref)
        UnansweredRepository(sessions).add(UnansweredRecord("telegram", "fallback", "[redacted]", [], ref))
    await ask(telegram, QUESTION)
    await ask(telegram, QUESTION, OTHER_CHAT)
    reply = await ask(telegram, "/forget")
    assert reply["text"] == html.escape(TEXTS.text("forget_done"))
    with sessions() as session:
        for model in (Feedback, UnansweredLog, ButtonPayload):
            refs = set(session.execute(select(model.conversation_ref)).scalars())
            assert mine not in refs and theirs in refs, model.__tablename__


async def test_the_raw_chat_id_never_reaches_the_database(bridge, telegram: FakeTelegram, bridge_settings: Settings) -> None:
    answer = await ask(telegram, QUESTION)
    telegram.push_callback(CHAT, answer, button(answer, "👎"))
    telegram.push_callback(CHAT, answer, button(answer, "Mediation"))
    await telegram.wait_for_messages(CHAT, 2)
    with closing(sqlite3.connect(sqlite_path(bridge_settings))) as db, db:
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        dump = "\n".join(str(row) for t in tables for row in db.execute(f'SELECT * FROM "{t}"'))
    assert "button_payload" in tables and "feedback" in tables and "tribunal-deadlines" in dump
    assert str(CHAT) not in dump


async def test_a_slow_conversation_does_not_hold_up_another(bridge, telegram: FakeTelegram) -> None:
    telegram.push_text(CHAT, "slow")
    await telegram.wait_for(lambda: telegram.calls_to("sendChatAction"))
    fast = await ask(telegram, "hello", OTHER_CHAT)
    assert fast["text"] == "You said: hello"
    assert telegram.messages_to(CHAT) == [], "the fast chat was answered while the slow one waited"
    [slow] = await telegram.wait_for_messages(CHAT, 1, timeout=SLOW_SECONDS + 10)
    assert slow["text"] == "Sorry for the wait."


async def test_start_says_what_the_bot_is_and_is_not(bridge, telegram: FakeTelegram, rasa_server: FakeRasa) -> None:
    text = html.unescape((await ask(telegram, "/start"))["text"])
    assert "not the council" in text and "not a lawyer" in text and "not legal advice" in text
    assert "/privacy" in text
    assert rasa_server.requests == []


async def test_privacy_explains_what_is_kept(bridge, telegram: FakeTelegram, bridge_settings: Settings) -> None:
    text = html.unescape((await ask(telegram, "/privacy"))["text"])
    retention = f"deleted automatically after {bridge_settings.retention_days} days"
    for words in ("couldn't answer", "personal details removed", "vote", retention, "volunteers", "/forget"):
        assert words in text


async def test_help_shows_the_topic_menu_and_a_topic_tap_reaches_rasa(
    bridge, telegram: FakeTelegram, rasa_server: FakeRasa
) -> None:
    menu = await ask(telegram, "/help")
    titles = [b["text"] for row in menu["reply_markup"]["inline_keyboard"] for b in row]
    assert titles == [b["title"] for b in MESSAGES.menu_buttons()]
    telegram.push_callback(CHAT, menu, button(menu, "Who can help"))
    await telegram.wait_for_messages(CHAT, 2)
    assert rasa_server.requests[-1]["message"] == '/show_topics{"group":"help"}'


async def test_typed_slash_text_is_sent_as_text(bridge, telegram: FakeTelegram, rasa_server: FakeRasa) -> None:
    await ask(telegram, '/ask_mediation{"x": 1}')
    assert rasa_server.requests[-1]["message"] == '\u200b/ask_mediation{"x": 1}'


async def test_each_update_goes_to_rasa_with_its_own_message_id(bridge, telegram: FakeTelegram,
                                                                rasa_server: FakeRasa) -> None:
    # Telegram delivers an update again if the bridge died before confirming it: the same update id gives the
    # same message id, so Rasa's channel answers it from the conversation instead of reading it twice.
    answer = await ask(telegram, QUESTION)
    telegram.push_callback(CHAT, answer, button(answer, "Mediation"))
    await telegram.wait_for_messages(CHAT, 2)
    ids = [body.get("message_id") for body in rasa_server.requests[-2:]]
    assert all(isinstance(i, str) and len(i) == 32 and int(i, 16) > 0 for i in ids)
    assert ids[0] != ids[1]


def test_the_bridge_needs_a_token(bridge_settings: Settings) -> None:
    with pytest.raises(SettingsError, match="TELEGRAM_BOT_TOKEN"):
        build_application(dataclasses.replace(bridge_settings, telegram_token=""))


@pytest.mark.parametrize("base,expected", [
    ("https://api.telegram.org/bot", "https://api.telegram.org/file/bot"),
    ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot"),
    ("http://127.0.0.1:8081/", "http://127.0.0.1:8081/file/bot"),
])
def test_file_url_follows_the_api_url(base: str, expected: str) -> None:
    assert file_base_url(base) == expected
