"""Reminders in Telegram: ⏰ on a future deadline, notices before the date, /reminders, and restarts."""

from __future__ import annotations

import asyncio
import datetime as dt
import html
from typing import Any, Dict, List

import pytest

from bot.channels.rasa_client import RasaClient
from bot.channels.telegram_reminders import UK
from bot.channels.telegram_texts import load_telegram_texts
from bot.safety.privacy import conversation_ref
from bot.settings import PROJECT_ROOT, Settings
from bot.store.reminders import ReminderRepository
from bot.text import long_date
from tests.helpers.bridge import running
from tests.helpers.fake_rasa import FakeRasa
from tests.helpers.fake_telegram import FakeTelegram, button

pytestmark = pytest.mark.anyio

CHAT = 987654321
FAST = 0.05
TEXTS = load_telegram_texts(PROJECT_ROOT / "knowledge")
REMIND = TEXTS.labels["remind_me"]
DUE = dt.date(2026, 5, 25)
COUNCIL_RULE, PARENT_RULE = "assessment-final-plan", "appeal-deadline"


class Clock:
    """A UK clock a test moves by hand."""

    def __init__(self, day: dt.date, hour: int = 10) -> None:
        self.set(day, hour)

    def set(self, day: dt.date, hour: int = 10) -> None:
        self.now = dt.datetime.combine(day, dt.time(hour), tzinfo=UK)

    def __call__(self) -> dt.datetime:
        return self.now


def ref(settings: Settings) -> str:
    return conversation_ref(settings.secret_key, conversation_ref(settings.secret_key, f"telegram:{CHAT}"))


def notices(telegram: FakeTelegram) -> List[str]:
    return [html.unescape(m["text"]) for m in telegram.messages_to(CHAT)
            if "Reminder:" in m.get("text", "") or " is today. " in html.unescape(m.get("text", ""))]


@pytest.fixture
async def rasa(rasa_server: FakeRasa):
    client = RasaClient(rasa_server.url, timeout=5.0)
    yield client
    await client.aclose()


async def set_reminder(telegram: FakeTelegram, rule: str = COUNCIL_RULE, due: dt.date = DUE) -> Dict[str, Any]:
    answer = await telegram.ask(CHAT, f"deadline {rule} {due.isoformat()}")
    before = len(telegram.messages_to(CHAT))
    telegram.push_callback(CHAT, answer, button(answer, REMIND))
    return (await telegram.wait_for_messages(CHAT, before + 1))[-1]


async def settle() -> None:
    await asyncio.sleep(FAST * 8)  # several looks at the outbox


@pytest.mark.parametrize("due, offered", [(DUE, True), (dt.date(2026, 5, 1), False), (dt.date(2026, 4, 1), False)])
async def test_remind_me_is_offered_only_for_a_date_still_to_come(
    bridge_settings: Settings, rasa: RasaClient, telegram: FakeTelegram, due: dt.date, offered: bool
) -> None:
    async with running(bridge_settings, rasa, outbox_interval=FAST, clock=Clock(dt.date(2026, 5, 1))):
        answer = await telegram.ask(CHAT, f"deadline {COUNCIL_RULE} {due.isoformat()}")
    titles = [b["text"] for row in answer.get("reply_markup", {}).get("inline_keyboard", []) for b in row]
    assert (REMIND in titles) is offered


async def test_a_tap_stores_the_deadline_and_chat_but_no_words(
    bridge_settings: Settings, rasa: RasaClient, telegram: FakeTelegram, sessions
) -> None:
    async with running(bridge_settings, rasa, outbox_interval=FAST, clock=Clock(dt.date(2026, 5, 1))):
        confirmation = await set_reminder(telegram)
    assert long_date(DUE, weekday=True) in html.unescape(confirmation["text"])
    [reminder] = ReminderRepository(sessions).for_conversation(ref(bridge_settings))
    assert (reminder.rule, reminder.due, reminder.chat_id, reminder.notice_level) == (COUNCIL_RULE, DUE, CHAT, 0)
    assert {c.name for c in reminder.__table__.columns}.isdisjoint({"text", "message", "sentence"})


async def test_notices_a_week_before_the_day_before_and_on_the_day_for_the_council(
    bridge_settings: Settings, rasa: RasaClient, telegram: FakeTelegram, sessions
) -> None:
    clock = Clock(dt.date(2026, 5, 1))
    async with running(bridge_settings, rasa, outbox_interval=FAST, clock=clock):
        await set_reminder(telegram)
        await settle()
        assert notices(telegram) == []
        clock.set(DUE - dt.timedelta(days=7), hour=7)  # before 9am nothing is sent
        await settle()
        assert notices(telegram) == []
        clock.set(DUE - dt.timedelta(days=7))
        await telegram.wait_for(lambda: len(notices(telegram)) == 1)
        clock.set(DUE - dt.timedelta(days=1))
        await telegram.wait_for(lambda: len(notices(telegram)) == 2)
        clock.set(DUE)
        await telegram.wait_for(lambda: len(notices(telegram)) == 3)
        await settle()
        clock.set(DUE + dt.timedelta(days=1))
        await telegram.wait_for(lambda: not ReminderRepository(sessions).for_conversation(ref(bridge_settings)))
        await settle()
    week, day, today = notices(telegram)
    assert "in 7 days" in week and "tomorrow" in day
    assert today == "The council's 20-week deadline is today. Has the final plan arrived?"


async def test_no_notice_on_the_day_for_a_parents_own_deadline(
    bridge_settings: Settings, rasa: RasaClient, telegram: FakeTelegram
) -> None:
    clock = Clock(DUE - dt.timedelta(days=1))
    async with running(bridge_settings, rasa, outbox_interval=FAST, clock=clock):
        await set_reminder(telegram, PARENT_RULE)
        await telegram.wait_for(lambda: len(notices(telegram)) == 1)
        clock.set(DUE)
        await settle()
    [day] = notices(telegram)
    assert "tomorrow" in day


async def test_a_notice_due_while_the_bridge_was_down_is_sent_once_on_restart(
    bridge_settings: Settings, rasa: RasaClient, telegram: FakeTelegram
) -> None:
    clock = Clock(dt.date(2026, 5, 1))
    async with running(bridge_settings, rasa, outbox_interval=FAST, clock=clock):
        await set_reminder(telegram)
    clock.set(DUE - dt.timedelta(days=3))  # the week-before notice fell due while the bridge was down
    async with running(bridge_settings, rasa, outbox_interval=FAST, clock=clock):
        await telegram.wait_for(lambda: notices(telegram))
        await settle()
    async with running(bridge_settings, rasa, outbox_interval=FAST, clock=clock):
        await settle()
    [late] = notices(telegram)
    assert "in 3 days" in late


async def test_reminders_lists_them_and_a_cancel_deletes_one(
    bridge_settings: Settings, rasa: RasaClient, telegram: FakeTelegram, sessions
) -> None:
    later = dt.date(2026, 7, 1)
    async with running(bridge_settings, rasa, outbox_interval=FAST, clock=Clock(dt.date(2026, 5, 1))):
        assert html.unescape((await telegram.ask(CHAT, "/reminders"))["text"]) == TEXTS.text("reminders_none")
        await set_reminder(telegram)
        await set_reminder(telegram, PARENT_RULE, later)
        listing = await telegram.ask(CHAT, "/reminders")
        text = html.unescape(listing["text"])
        assert "The council's 20-week deadline" in text and "appeal" in text
        cancel = TEXTS.text("reminder_cancel", due=long_date(DUE))
        before = len(telegram.messages_to(CHAT))
        telegram.push_callback(CHAT, listing, button(listing, cancel))
        reply = (await telegram.wait_for_messages(CHAT, before + 1))[-1]
        assert html.unescape(reply["text"]) == TEXTS.text("reminder_cancelled")
    [left] = ReminderRepository(sessions).for_conversation(ref(bridge_settings))
    assert (left.rule, left.due) == (PARENT_RULE, later)


async def test_forget_deletes_reminders(
    bridge_settings: Settings, rasa: RasaClient, telegram: FakeTelegram, sessions
) -> None:
    async with running(bridge_settings, rasa, outbox_interval=FAST, clock=Clock(dt.date(2026, 5, 1))):
        await set_reminder(telegram)
        await telegram.ask(CHAT, "/forget")
    assert ReminderRepository(sessions).for_conversation(ref(bridge_settings)) == []
