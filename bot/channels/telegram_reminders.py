"""Telegram reminders of a worked-out deadline: the ⏰ tap, /reminders, cancelling, and each notice's words.

A reminder is set only from a ⏰ button the bridge itself offered in this
conversation (the deadline behind it is kept server-side, like every other
button payload). Notices go out a week before and the day before the date,
and on the day for deadlines the council must meet; `telegram_outbox` sends
them. Dates are UK dates, and notices wait until SEND_FROM so nobody is
woken by one just after midnight.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
from dataclasses import dataclass
from typing import Callable, Optional
from zoneinfo import ZoneInfo

from bot.channels.telegram_buttons import Outgoing, Store, Tap, cancel_keyboard
from bot.channels.telegram_payloads import DeadlineRef
from bot.channels.telegram_texts import TelegramTexts
from bot.deadlines.labels import DeadlineLabels
from bot.store.buttons import KIND_CANCEL, KIND_REMIND, ButtonRepository
from bot.store.reminders import ReminderRepository
from bot.text import long_date

UK = ZoneInfo("Europe/London")
SEND_FROM = dt.time(9, 0)  # UK time; a notice due overnight waits until the morning
Clock = Callable[[], dt.datetime]


def uk_now() -> dt.datetime:
    """Return the time now in the UK."""
    return dt.datetime.now(UK)


def notice_text(texts: TelegramTexts, labels: DeadlineLabels, rule: str, due: dt.date, today: dt.date) -> Optional[str]:
    """Return the words of a reminder sent today, chosen by how far off the date is; None if unknown or past."""
    name = labels.get(rule)
    left = (due - today).days
    if name is None or left < 0:
        return None
    when = long_date(due, weekday=True)
    if left >= 2:
        return texts.text("reminder_week", label=name.label, due=when, days=left)
    if left == 1:
        return texts.text("reminder_day", label=name.label, due=when)
    if name.check is not None:
        return texts.text("reminder_today", label=name.label, check=name.check)
    return texts.text("reminder_due_today", label=name.label)


@dataclass
class Reminders:
    """Set, list and cancel one conversation's reminders."""

    reminders: ReminderRepository
    buttons: ButtonRepository
    labels: DeadlineLabels
    texts: TelegramTexts
    clock: Clock = uk_now

    def today(self) -> dt.date:
        """Return today's UK date by the bridge's clock."""
        return self.clock().astimezone(UK).date()

    async def tap(self, tap: Tap, ref: str, chat_id: int) -> Optional[str]:
        """Act on a ⏰ or cancel tap and return what to say; None if the button was not offered here."""
        payload = await asyncio.to_thread(self.buttons.get, tap.button_id, ref, tap.kind)
        if payload is None:
            return None
        if tap.kind == KIND_CANCEL:
            if payload.isdigit():
                await asyncio.to_thread(self.reminders.cancel, int(payload), ref)
            return self.texts.text("reminder_cancelled")
        deadline = DeadlineRef.decode(payload) if tap.kind == KIND_REMIND else None
        name = self.labels.get(deadline.rule) if deadline else None
        if deadline is None or name is None:
            return None
        today = self.today()
        if deadline.due <= today:
            return self.texts.text("reminder_past")
        await asyncio.to_thread(self.reminders.add, ref, chat_id, deadline.rule, deadline.due, name.council, today)
        return self.texts.text("reminder_set", label=name.label, due=long_date(deadline.due, weekday=True))

    async def listing(self, ref: str, store: Store) -> Outgoing:
        """Return the conversation's reminders with a cancel button each, or say there are none."""
        rows = await asyncio.to_thread(self.reminders.for_conversation, ref)
        shown = [(r, name) for r in rows for name in [self.labels.get(r.rule)] if name is not None]
        if not shown:
            return Outgoing(html.escape(self.texts.text("reminders_none")))
        lines = "\n".join(
            self.texts.text("reminder_line", label=name.label, due=long_date(r.due, weekday=True)) for r, name in shown
        )
        choices = [(self.texts.text("reminder_cancel", due=long_date(r.due)), int(r.id)) for r, _ in shown]
        markup = await asyncio.to_thread(cancel_keyboard, choices, store)
        return Outgoing(html.escape(self.texts.text("reminders_list", lines=lines)), markup)
