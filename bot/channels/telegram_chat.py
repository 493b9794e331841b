"""Small helpers for one chat: which chat an update is from, and "typing…" while the assistant thinks."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager, suppress
from typing import AsyncIterator, Optional

from telegram import Bot, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError

TYPING_EVERY = 4.0  # Telegram shows "typing…" for about 5 seconds, so renew it before it lapses.


@asynccontextmanager
async def typing(bot: Bot, chat_id: int) -> AsyncIterator[None]:
    """Show "typing…" in the chat until the block ends."""

    async def show() -> None:
        with suppress(TelegramError):  # the indicator is a courtesy; the reply is what matters
            await bot.send_chat_action(chat_id, ChatAction.TYPING)

    async def renew() -> None:
        while True:
            await asyncio.sleep(TYPING_EVERY)
            await show()

    await show()
    task = asyncio.create_task(renew())
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task


def message_id_of(update: Update) -> Optional[str]:
    """Return an id for the message an update carries (its update_id as 32 hex digits), or None.

    Telegram delivers an update again when the bridge did not confirm it (killed mid-reply); with this id,
    Rasa's channel answers the second delivery with the first replies instead of reading the message twice.
    """
    update_id = getattr(update, "update_id", None)
    return f"{update_id:032x}" if isinstance(update_id, int) and update_id >= 0 else None


def chat_of(update: Update) -> int:
    """Return the id of the chat an update came from (every handled update has one)."""
    if update.effective_chat is None:
        raise ValueError("update without a chat")
    return update.effective_chat.id
