"""Telegram update handlers: commands, typed text, button taps and errors.

Each chat is one Rasa conversation whose id is a keyed hash of the chat id, so
Rasa's tracker store never holds a Telegram id, and the project's tables hold
one only where a message must be sent later: a volunteer's answer
(bot/store/telegram_routes.py) or a reminder (bot/store/reminders.py), each
deleted once sent. Handlers log exception types only, never message text.
"""

from __future__ import annotations

import asyncio
import html
import logging
import time
from contextlib import suppress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Dict, List, Optional, Sequence
from weakref import WeakValueDictionary

from prometheus_client import CollectorRegistry
from sqlalchemy.engine import Engine
from telegram import Bot, CallbackQuery, LinkPreviewOptions, Message, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from bot.channels.rasa_client import RasaClient, RasaUnavailable, Reply
from bot.channels.telegram_chat import chat_of, message_id_of, typing
from bot.channels.telegram_buttons import Outgoing, Store, Tap, outgoing_messages, parse_callback, without_feedback
from bot.channels.telegram_payloads import handoff_ids, letters
from bot.channels.telegram_reminders import Reminders
from bot.channels.telegram_texts import TelegramTexts
from bot.metrics import health
from bot.metrics.chat import ChatMetrics
from bot.personal_data import forget_conversation
from bot.knowledge.messages import Messages
from bot.safety.privacy import conversation_ref
from bot.settings import Settings
from bot.store import EscalationRepository, FeedbackRepository
from bot.store.buttons import KIND_CANCEL, KIND_FEEDBACK, KIND_RASA, KIND_REMIND, ButtonRepository
from bot.store.parent_notices import ParentNoticeRepository
from bot.store.telegram_routes import TelegramRouteRepository

if TYPE_CHECKING:
    from bot.channels.telegram_outbox import Outbox

log = logging.getLogger(__name__)

CHANNEL = "telegram"
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
Context = ContextTypes.DEFAULT_TYPE


@dataclass
class Bridge:
    """Handlers for one bot, with the Rasa client and stores they share."""

    settings: Settings
    rasa: RasaClient
    owns_rasa: bool
    engine: Engine
    buttons: ButtonRepository
    feedback: FeedbackRepository
    texts: TelegramTexts
    messages: Messages
    escalations: EscalationRepository
    routes: TelegramRouteRepository
    reminders: Reminders
    outbox: Optional["Outbox"] = None
    progress: Optional[ParentNoticeRepository] = None  # "a volunteer is looking", "taking longer" (bot/notify/promise.py)
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)
    metrics: Optional[ChatMetrics] = None
    # One lock per chat keeps a chat's replies in order while other chats run concurrently.
    locks: "WeakValueDictionary[int, asyncio.Lock]" = field(default_factory=WeakValueDictionary)

    def conversation_id(self, chat_id: int) -> str:
        """Return the Rasa conversation id for a chat (never the chat id itself)."""
        return conversation_ref(self.settings.secret_key, f"{CHANNEL}:{chat_id}")

    def ref(self, conversation_id: str) -> str:
        """Return the reference stored in the project's tables for a conversation."""
        return conversation_ref(self.settings.secret_key, conversation_id)

    def checks(self) -> Sequence[health.Check]:
        """Return what /readyz tries: the project's database and a Rasa replica."""
        return (health.database(self.engine), health.rasa(self.settings.rasa_urls))

    def lock(self, chat_id: int) -> asyncio.Lock:
        """Return the lock that serialises one chat."""
        lock = self.locks.get(chat_id)
        if lock is None:
            lock = self.locks[chat_id] = asyncio.Lock()
        return lock

    def store_for(self, conversation_id: str) -> Store:
        """Return a function that stores a button payload for this conversation."""
        ref = self.ref(conversation_id)
        return lambda kind, payload: self.buttons.add(ref, payload, kind)

    async def send(self, bot: Bot, chat_id: int, messages: List[Outgoing], read_timeout: Optional[float] = None) -> None:
        """Send prepared messages in order (`read_timeout` overrides PTB's 5 s wait for Telegram's answer)."""
        # Only pass it when set: PTB reads an explicit None as "wait for ever".
        extra: Dict[str, Any] = {} if read_timeout is None else {"read_timeout": read_timeout}
        for message in messages:
            await bot.send_message(
                chat_id, message.html, parse_mode=ParseMode.HTML, reply_markup=message.markup,
                link_preview_options=NO_PREVIEW, **extra,
            )

    def unavailable(self) -> Outgoing:
        """Return the kind message for when the assistant cannot be reached (messages.yml)."""
        return Outgoing(html.escape(self.messages.text("unavailable")))

    async def say(self, bot: Bot, chat_id: int, key: str, **values: Any) -> None:
        """Send one of the bridge's own messages from telegram.yml."""
        await self.send(bot, chat_id, [Outgoing(html.escape(self.texts.text(key, **values)))])

    async def converse(self, bot: Bot, chat_id: int, call: Callable[[str], Awaitable[List[Reply]]]) -> None:
        """Send something to Rasa for this chat and relay the replies, or the kind fallback."""
        conversation_id = self.conversation_id(chat_id)
        async with self.lock(chat_id):
            replies: List[Reply] = []
            started = time.perf_counter()
            try:
                async with typing(bot, chat_id):
                    replies = await asyncio.wait_for(call(conversation_id), timeout=self.settings.rasa_timeout + 1)
            except (RasaUnavailable, asyncio.TimeoutError) as exc:
                log.warning("Rasa unavailable: %s", type(exc).__name__)
            if self.metrics is not None:  # the outcome comes from the reply payloads, never the text
                self.metrics.turn(replies, time.perf_counter() - started)
            outgoing = await asyncio.to_thread(
                outgoing_messages, replies, self.store_for(conversation_id), self.texts, self.reminders.today()
            )
            await self.remember_handoffs(chat_id, conversation_id, replies)
            # Never leave a parent without a reply, even if Rasa said nothing.
            await self.send(bot, chat_id, outgoing or [self.unavailable()])
            for letter in letters(replies):  # bytes stay in memory: never written to disk or the database
                await bot.send_document(chat_id, document=letter.data, filename=letter.filename)

    async def remember_handoffs(self, chat_id: int, conversation_id: str, replies: List[Reply]) -> None:
        """Keep the chat id while a question handed to volunteers in this conversation waits for its answer."""
        for escalation_id in handoff_ids(replies):
            escalation = await asyncio.to_thread(self.escalations.get, escalation_id)
            if escalation is not None and escalation.conversation_id == conversation_id:
                await asyncio.to_thread(self.routes.remember, conversation_id, chat_id)

    async def on_start(self, update: Update, context: Context) -> None:
        """Say what the bot is and is not when the command /start is issued."""
        await self.say(context.bot, chat_of(update), "start")

    async def on_help(self, update: Update, context: Context) -> None:
        """Show the topic menu when the command /help is issued."""
        chat_id = chat_of(update)
        menu = [{"text": self.texts.text("help"), "buttons": self.messages.menu_buttons()}]
        store = self.store_for(self.conversation_id(chat_id))
        await self.send(context.bot, chat_id, await asyncio.to_thread(outgoing_messages, menu, store, self.texts))

    async def on_privacy(self, update: Update, context: Context) -> None:
        """Explain what is kept, for how long and who sees it when the command /privacy is issued."""
        await self.say(context.bot, chat_of(update), "privacy", retention_days=self.settings.retention_days)

    async def on_forget(self, update: Update, context: Context) -> None:
        """Erase this conversation everywhere when the command /forget is issued."""
        chat_id = chat_of(update)
        conversation_id = self.conversation_id(chat_id)
        settings = self.settings
        async with self.lock(chat_id):
            # Buttons, reminders and the chat id kept for a volunteer's answer go too (bot/personal_data.py).
            await asyncio.to_thread(
                forget_conversation, settings.database_url, settings.tracker_url, settings.secret_key, conversation_id
            )
        await self.say(context.bot, chat_id, "forget_done")

    async def on_reminders(self, update: Update, context: Context) -> None:
        """List this chat's reminders, each with a cancel button, when the command /reminders is issued."""
        chat_id = chat_of(update)
        conversation_id = self.conversation_id(chat_id)
        listing = await self.reminders.listing(self.ref(conversation_id), self.store_for(conversation_id))
        await self.send(context.bot, chat_id, [listing])

    async def on_text(self, update: Update, context: Context) -> None:
        """Pass a typed message to Rasa and relay its replies."""
        text = update.effective_message.text if update.effective_message and update.effective_message.text else ""
        message_id = message_id_of(update)
        await self.converse(context.bot, chat_of(update),
                            lambda conv: self.rasa.send_text(conv, text, CHANNEL, message_id))

    async def on_other(self, update: Update, context: Context) -> None:
        """Say kindly that only typed messages are understood (stickers, photos, voice...)."""
        await self.say(context.bot, chat_of(update), "non_text")

    async def on_callback(self, update: Update, context: Context) -> None:
        """Act on a button tap; the callback query is always answered so the button stops spinning."""
        query = update.callback_query
        if query is None:
            return
        answered = False
        try:
            if update.effective_chat is None:
                return
            chat_id = update.effective_chat.id
            ref = self.ref(self.conversation_id(chat_id))
            tap = parse_callback(query.data)
            if tap is not None and tap.kind == KIND_FEEDBACK:
                answered = await self.vote(query, tap, ref)
                if answered:
                    return
            payload, said = None, None
            if tap is not None and tap.kind == KIND_RASA:
                payload = await asyncio.to_thread(self.buttons.get, tap.button_id, ref, KIND_RASA)
            elif tap is not None and tap.kind in (KIND_REMIND, KIND_CANCEL):
                said = await self.reminders.tap(tap, ref, chat_id)
            await query.answer()
            answered = True
            if said is not None:
                await self.send(context.bot, chat_id, [Outgoing(html.escape(said))])
                return
            if payload is None:
                await self.say(context.bot, chat_id, "button_expired")
                return
            message_id = message_id_of(update)
            await self.converse(context.bot, chat_id,
                                lambda conv: self.rasa.send_payload(conv, payload, CHANNEL, message_id))
        finally:
            if not answered:
                with suppress(TelegramError):
                    await query.answer()

    async def vote(self, query: CallbackQuery, tap: Tap, ref: str) -> bool:
        """Store a 👍 / 👎 offered in this conversation and thank the person; False if it was not offered."""
        kb_id = await asyncio.to_thread(self.buttons.get, tap.button_id, ref, KIND_FEEDBACK)
        if kb_id is None:
            return False
        # Only the kb id, the vote and the keyed reference are stored: never any text.
        await asyncio.to_thread(self.feedback.add, kb_id, bool(tap.helpful), CHANNEL, ref)
        await query.answer(self.texts.text("feedback_thanks"))
        markup = query.message.reply_markup if isinstance(query.message, Message) else None
        with suppress(TelegramError):  # too old to edit: the vote is stored all the same
            await query.edit_message_reply_markup(without_feedback(markup))
        return True

    async def on_error(self, update: object, context: Context) -> None:
        """Log the failure by type only (never text or token) and tell the person something went wrong."""
        log.error("Telegram update failed: %s", type(context.error).__name__)
        if isinstance(update, Update) and update.effective_chat is not None:
            with suppress(Exception):  # already failing; nothing more useful to do than log above
                await self.send(context.bot, chat_of(update), [self.unavailable()])

    async def post_init(self, application: Application) -> None:
        """Publish the command menu and start sending volunteer answers and reminders."""
        await application.bot.set_my_commands(self.texts.command_menu())
        if self.outbox is not None:
            self.outbox.start(application.bot)

    async def post_stop(self, application: Application) -> None:
        """Stop the background sender while the bot can still finish a request."""
        if self.outbox is not None:
            await self.outbox.stop()

    async def post_shutdown(self, application: Application) -> None:
        """Close what the bridge opened."""
        await self.post_stop(application)
        if self.owns_rasa:
            await self.rasa.aclose()
        self.engine.dispose()

    def register(self, application: Application) -> None:
        """Attach every handler to the application."""
        for name, handler in (("start", self.on_start), ("help", self.on_help), ("reminders", self.on_reminders),
                              ("privacy", self.on_privacy), ("forget", self.on_forget)):
            application.add_handler(CommandHandler(name, handler))
        new_message = filters.UpdateType.MESSAGE
        application.add_handler(MessageHandler(new_message & filters.TEXT, self.on_text))
        application.add_handler(MessageHandler(new_message & ~filters.TEXT, self.on_other))
        application.add_handler(CallbackQueryHandler(self.on_callback))
        application.add_error_handler(self.on_error)
