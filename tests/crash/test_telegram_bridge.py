"""SIGKILL the Telegram bridge with a reminder notice and a volunteer answer due."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from itertools import count
from typing import Callable, Tuple

import pytest

from bot.channels.telegram_reminders import uk_now
from bot.safety.privacy import conversation_ref
from bot.store.escalations import Delivery, EscalationRepository
from bot.store.models import utcnow
from bot.store.reminders import DAY_BEFORE, WEEK_BEFORE, Reminder, ReminderRepository
from bot.store.telegram_routes import TelegramRouteRepository
from bot.store.volunteers import VolunteerRepository
from tests.helpers.crash import Entry
from tests.helpers.fake_telegram import FakeTelegram

pytestmark = pytest.mark.e2e

RULE = "draft-plan-comments"  # a parent's own deadline: notices a week before and the day before
CHATS = count(710001)
SETTLE = 3.0  # seconds (six outbox ticks) to be sure nothing else is sent after the restart


def conversation(stack, chat_id: int) -> Tuple[str, str]:
    """Return the bridge's Rasa conversation id for a chat, and the reference its tables use."""
    conversation_id = conversation_ref(stack.settings.secret_key, f"telegram:{chat_id}")
    return conversation_id, conversation_ref(stack.settings.secret_key, conversation_id)


def reminder_due(stack, chat_id: int, days_ahead: int) -> int:
    """Store a reminder whose notice is due today (as if the parent had tapped ⏰ earlier)."""
    today = uk_now().date()
    _, ref = conversation(stack, chat_id)
    return ReminderRepository(stack.sessions).add(ref, chat_id, RULE, today + dt.timedelta(days=days_ahead),
                                                  council=False, today=today - dt.timedelta(days=10))


def volunteer_answer_due(stack, chat_id: int) -> int:
    """Store a Telegram parent's question and a volunteer's answer waiting in the outbox; return the delivery id."""
    conversation_id, _ = conversation(stack, chat_id)
    TelegramRouteRepository(stack.sessions).remember(conversation_id, chat_id)
    escalations = EscalationRepository(stack.sessions)
    escalation_id = escalations.create(conversation_id, "telegram", {"turns": []}, consent_at=utcnow())
    volunteer_id = VolunteerRepository(stack.sessions).add(f"t{chat_id}@example.org", "Sam", "volunteer", "unused")
    escalations.claim(escalation_id, volunteer_id)
    return escalations.answer(escalation_id, volunteer_id, "Ask the school for the plan's provision in writing.")


def wait_until(condition: Callable[[], object], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def sent_to(telegram: FakeTelegram, chat_id: int) -> int:
    return len(telegram.messages_to(chat_id))


def notice_level(stack, reminder_id: int) -> int:
    [row] = stack.rows(Reminder, Reminder.id == reminder_id)
    return int(row.notice_level)


def delivered(stack, delivery_id: int) -> bool:
    [row] = stack.rows(Delivery, Delivery.id == delivery_id)
    return row.delivered_at is not None


def test_killed_before_sending_sends_each_notice_and_answer_once_after_restart(stack, telegram, journal) -> None:
    reminder_chat, answer_chat = next(CHATS), next(CHATS)
    telegram.fail_next("sendMessage", 10_000)  # Telegram is having a bad moment: nothing can go yet
    try:
        reminder_id = reminder_due(stack, reminder_chat, days_ahead=7)
        delivery_id = volunteer_answer_due(stack, answer_chat)
        wait_until(lambda: len([c for c in telegram.calls_to("sendMessage")
                                if c.params.get("chat_id") in (reminder_chat, answer_chat)]) >= 4)
        old_pid = stack.kill("telegram")
    finally:
        telegram.stop_failing("sendMessage")
    assert (sent_to(telegram, reminder_chat), sent_to(telegram, answer_chat)) == (0, 0)
    back_after = stack.wait_back("telegram", old_pid)

    wait_until(lambda: sent_to(telegram, reminder_chat) and sent_to(telegram, answer_chat) >= 2)
    time.sleep(SETTLE)
    # The answer's chat also gets the claim's "a volunteer is looking at your question", once (issue 14 part 2).
    assert (sent_to(telegram, reminder_chat), sent_to(telegram, answer_chat)) == (1, 2)
    assert notice_level(stack, reminder_id) == WEEK_BEFORE and delivered(stack, delivery_id)
    # The conversation carries on: the restarted bridge still reaches Rasa.
    reply = asyncio.run(telegram.ask(reminder_chat, "what is mediation", timeout=30))
    assert "mediat" in reply["text"].lower()

    journal.add(Entry(
        scenario="Telegram bridge with a reminder due", killed="telegram bridge (PTB)",
        moment="a week-before notice and a volunteer answer due, Telegram refusing every send so far",
        parent_saw="nothing until the restart, then the notice and the answer once each",
        restart_s=back_after,
        checks=["1 notice and 1 answer sent after the restart, none before; nothing more over 6 further ticks",
                "reminder marked week-before, answer marked delivered", "the chat then got a real answer"],
    ))


def test_killed_after_sending_sends_nothing_twice(stack, telegram, journal) -> None:
    reminder_chat, answer_chat = next(CHATS), next(CHATS)
    reminder_id = reminder_due(stack, reminder_chat, days_ahead=1)
    delivery_id = volunteer_answer_due(stack, answer_chat)
    wait_until(lambda: notice_level(stack, reminder_id) == DAY_BEFORE and delivered(stack, delivery_id))
    old_pid = stack.kill("telegram")
    back_after = stack.wait_back("telegram", old_pid)
    time.sleep(SETTLE)
    assert (sent_to(telegram, reminder_chat), sent_to(telegram, answer_chat)) == (1, 2)  # the progress message too
    assert stack.count(Reminder, Reminder.id == reminder_id) == 1  # kept until its date has passed

    journal.add(Entry(
        scenario="Telegram bridge just after sending", killed="telegram bridge (PTB)",
        moment="a day-before notice and a volunteer answer sent and marked",
        parent_saw="each message once", restart_s=back_after,
        checks=["still 1 notice and 1 answer after 6 ticks of the restarted bridge", "reminder row kept"],
    ))


def test_killed_while_telegram_is_still_answering_sends_again_rather_than_lose_it(stack, telegram, journal) -> None:
    chat = next(CHATS)
    telegram.hold_next("sendMessage", 5.0)  # Telegram has the message but has not said so yet
    reminder_id = reminder_due(stack, chat, days_ahead=7)
    wait_until(lambda: sent_to(telegram, chat) == 1)
    old_pid = stack.kill("telegram")
    assert notice_level(stack, reminder_id) == 0  # the bridge never heard back, so never marked it
    back_after = stack.wait_back("telegram", old_pid)
    wait_until(lambda: notice_level(stack, reminder_id) == WEEK_BEFORE)
    time.sleep(SETTLE)
    copies = sent_to(telegram, chat)
    # At-least-once by design: a lost deadline reminder is worse than a repeated one. The
    # window is the time between Telegram accepting a message and the bridge hearing so.
    assert copies == 2

    journal.add(Entry(
        scenario="Telegram bridge while Telegram is answering", killed="telegram bridge (PTB)",
        moment="Telegram had accepted the notice but its reply was still on the way",
        parent_saw=f"the notice {copies} times (the known at-least-once window; never lost)",
        restart_s=back_after,
        checks=["notice sent again after the restart and then marked", "nothing more over 6 ticks"],
    ))
