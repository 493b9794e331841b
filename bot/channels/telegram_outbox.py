"""The bridge's background sender: volunteers' answers and reminder notices, polled every few seconds.

One asyncio task, started in the application's post_init and stopped on the
way down, wakes every `interval` seconds and

* sends each volunteer answer waiting in the `deliveries` outbox for the
  telegram channel to the chat its conversation handed over from, then marks
  it delivered. Marking happens only after Telegram accepted the message, so
  a crash or restart in between sends it again (at least once); once marked,
  `pending_deliveries` never returns it, so it is never sent twice after that.
  An answer with no known chat stays pending, logged by id only.
* sends reminder notices that have come due, marking each with a conditional
  UPDATE after sending (the same at-least-once rule), and deletes reminders
  whose date has passed. A notice due while the bridge was down goes out on
  the next tick after it restarts.

Every failure is logged by type and id only, never with message text.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import logging
from contextlib import suppress
from typing import TYPE_CHECKING, Optional, Set

from telegram import Bot
from telegram.error import Forbidden, TelegramError

from bot.channels.telegram_buttons import Outgoing, build_keyboard
from bot.channels.telegram_reminders import SEND_FROM, UK, notice_text
from bot.store.escalations import Delivery
from bot.store.reminders import Reminder, notice_level

if TYPE_CHECKING:
    from bot.channels.telegram_handlers import Bridge

log = logging.getLogger(__name__)

DEFAULT_INTERVAL = 5.0  # seconds between looks at the outbox
# A send that times out may still have been delivered, and is sent again on the next look;
# waiting longer than PTB's 5 s for a slow Telegram keeps that duplicate window small.
SEND_READ_TIMEOUT = 30.0
REQUEST_HUMAN = "/request_human"


def volunteer_feedback_id(escalation_id: int) -> str:
    """Return the feedback kb_id a vote on a volunteer's answer is stored under."""
    return f"volunteer:{escalation_id}"[:64]


class Outbox:
    """Poll for volunteer answers and reminder notices and send them."""

    def __init__(self, bridge: "Bridge", interval: float = DEFAULT_INTERVAL) -> None:
        self.bridge = bridge
        self.interval = interval
        self.task: Optional["asyncio.Task[None]"] = None
        self.unrouted: Set[int] = set()  # delivery ids already logged as having no chat

    def start(self, bot: Bot) -> None:
        """Start polling in the background."""
        if self.task is None:
            self.task = asyncio.create_task(self.run(bot))

    async def stop(self) -> None:
        """Stop polling, waiting for a send in progress to be cancelled."""
        task, self.task = self.task, None
        if task is not None:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    async def run(self, bot: Bot) -> None:
        """Send what is due, then wait, until cancelled."""
        while True:
            await self.tick(bot)
            await asyncio.sleep(self.interval)

    async def tick(self, bot: Bot) -> None:
        """Look once for answers and notices to send."""
        for job in (self.deliver_progress, self.deliver_answers, self.send_notices):  # "looking at it" before the answer
            try:
                await job(bot)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - keep polling; the next tick retries
                log.error("Telegram outbox %s failed: %s", job.__name__, type(exc).__name__)

    async def deliver_answers(self, bot: Bot) -> None:
        """Send each waiting volunteer answer to its chat and mark it delivered."""
        b = self.bridge
        for delivery in await asyncio.to_thread(b.escalations.pending_deliveries, "telegram"):
            chat_id = await asyncio.to_thread(b.routes.chat_for, delivery.conversation_id)
            if chat_id is None:
                if delivery.id not in self.unrouted:
                    self.unrouted.add(delivery.id)
                    self.count("no_chat")
                    log.warning("volunteer answer %d waits: no Telegram chat known for it", delivery.id)
                continue
            message = await asyncio.to_thread(self.volunteer_message, delivery)
            try:
                async with b.lock(chat_id):
                    await b.send(bot, chat_id, [message], read_timeout=SEND_READ_TIMEOUT)
            except Forbidden:  # the parent blocked the bot: keep the answer, drop the chat id
                self.count("blocked")
                log.warning("volunteer answer %d refused by Telegram; chat forgotten", delivery.id)
                await asyncio.to_thread(b.routes.forget, delivery.conversation_id)
                continue
            except TelegramError as exc:
                self.count("retry")
                log.warning("volunteer answer %d not sent yet: %s", delivery.id, type(exc).__name__)
                continue
            await asyncio.to_thread(b.escalations.mark_delivered, delivery.id)
            self.count("delivered")
            log.info("volunteer answer %d delivered", delivery.id)
        await asyncio.to_thread(b.routes.prune)

    async def deliver_progress(self, bot: Bot) -> None:
        """Send each waiting progress message about a question to its chat and mark it delivered (as answers)."""
        b = self.bridge
        if b.progress is None:
            return
        for notice in await asyncio.to_thread(b.progress.pending, "telegram"):
            chat_id = await asyncio.to_thread(b.routes.chat_for, notice.conversation_id)
            if chat_id is None:
                continue  # no chat known for it (yet): it waits, like an answer
            text = b.messages.progress(notice.kind, f"Q{notice.escalation_id}")
            try:
                async with b.lock(chat_id):
                    await b.send(bot, chat_id, [Outgoing(html.escape(text))], read_timeout=SEND_READ_TIMEOUT)
            except Forbidden:
                await asyncio.to_thread(b.progress.mark_delivered, notice.id)  # blocked: it can never arrive
                continue
            except TelegramError as exc:
                log.warning("progress message %d not sent yet: %s", notice.id, type(exc).__name__)
                continue
            await asyncio.to_thread(b.progress.mark_delivered, notice.id)
            log.info("progress message %d delivered", notice.id)

    def count(self, result: str) -> None:
        """Count one delivery attempt's result (bot/metrics/chat.py)."""
        if self.bridge.metrics is not None:
            self.bridge.metrics.delivery(result)

    def volunteer_message(self, delivery: Delivery) -> Outgoing:
        """Return a volunteer's answer, labelled as such, with "I still need help" and 👍 / 👎."""
        b = self.bridge
        text = b.messages.text("volunteer_answer", answer=delivery.text, reference=f"Q{delivery.escalation_id}")
        still = [{"title": b.messages.buttons["still_need_help"], "payload": REQUEST_HUMAN}]
        store = b.store_for(delivery.conversation_id)
        markup = build_keyboard(still, store, volunteer_feedback_id(delivery.escalation_id), b.texts.labels)
        return Outgoing(html.escape(text), markup)

    async def send_notices(self, bot: Bot) -> None:
        """Send the reminder notices that have come due, and delete reminders whose date has passed."""
        reminders = self.bridge.reminders
        now = reminders.clock().astimezone(UK)
        today = now.date()
        await asyncio.to_thread(reminders.reminders.delete_past, today)
        if now.time() < SEND_FROM:
            return
        for reminder in await asyncio.to_thread(reminders.reminders.pending, today):
            await self.send_notice(bot, reminder, today)

    async def send_notice(self, bot: Bot, reminder: Reminder, today: dt.date) -> None:
        """Send one reminder's notice if a new one is due, then mark it sent."""
        r = self.bridge.reminders
        name = r.labels.get(reminder.rule)
        level = notice_level(reminder.due, name.council, today) if name is not None else 0
        text = notice_text(self.bridge.texts, r.labels, reminder.rule, reminder.due, today)
        if level <= reminder.notice_level or text is None:
            return
        try:
            await self.bridge.send(bot, int(reminder.chat_id), [Outgoing(html.escape(text))], read_timeout=SEND_READ_TIMEOUT)
        except Forbidden:  # the parent blocked the bot: nobody to remind
            await asyncio.to_thread(r.reminders.cancel, int(reminder.id), reminder.conversation_ref)
            return
        except TelegramError as exc:
            log.warning("reminder %d not sent yet: %s", reminder.id, type(exc).__name__)
            return
        await asyncio.to_thread(r.reminders.mark_sent, int(reminder.id), level)
