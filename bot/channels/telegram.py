"""Telegram bridge: long polling in, Rasa's REST channel out (`python -m bot.channels.telegram`).

The token comes only from the settings (TELEGRAM_BOT_TOKEN) and is never
logged: it is part of every Bot API URL, which is why httpx's request log is
turned down. The Bot API base URL is a setting too, so tests can point the
real Application at a fake server.
"""

from __future__ import annotations

import logging
from typing import Optional, Tuple

from prometheus_client import CollectorRegistry
from telegram import Update
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from bot.channels.rasa_client import RasaClient
from bot.channels.telegram_handlers import CHANNEL, Bridge
from bot.channels.telegram_outbox import DEFAULT_INTERVAL, Outbox
from bot.channels.telegram_reminders import Clock, Reminders, uk_now
from bot.channels.telegram_texts import load_telegram_texts
from bot.deadlines.labels import load_deadline_labels
from bot.knowledge.forum import load_forum
from bot.knowledge.messages import load_messages
from bot.metrics.chat import ChatMetrics
from bot.metrics.ports import metrics_port
from bot.metrics.registry import make_registry
from bot.metrics.server import start_ops_server
from bot.ops.startup import startup_line
from bot.settings import Settings, SettingsError, load_settings
from bot.store import EscalationRepository, FeedbackRepository, make_engine, make_session_factory
from bot.store.buttons import ButtonRepository
from bot.store.parent_notices import ParentNoticeRepository
from bot.store.reminders import ReminderRepository
from bot.store.telegram_routes import TelegramRouteRepository


def file_base_url(base_url: str) -> str:
    """Return the Bot API file URL that goes with an API base URL (`.../bot` -> `.../file/bot`)."""
    root = base_url[: -len("bot")] if base_url.endswith("/bot") else base_url.rstrip("/") + "/"
    return root + "file/bot"


def build_application(
    settings: Settings, rasa: Optional[RasaClient] = None, outbox_interval: float = DEFAULT_INTERVAL,
    clock: Clock = uk_now, registry: Optional[CollectorRegistry] = None,
) -> Application:
    """Build the Telegram application for these settings (it is not started).

    `outbox_interval` (seconds between looks for volunteer answers and reminder
    notices) and `clock` (the UK time now) are there for tests; the metrics go
    to `registry` (a fresh one if not given).
    """
    return build_bridge(settings, rasa, outbox_interval, clock, registry)[0]


def build_bridge(
    settings: Settings, rasa: Optional[RasaClient] = None, outbox_interval: float = DEFAULT_INTERVAL,
    clock: Clock = uk_now, registry: Optional[CollectorRegistry] = None,
) -> Tuple[Application, Bridge]:
    """Build the Telegram application and the bridge behind its handlers (whose metrics and checks main serves)."""
    if not settings.telegram_token:
        raise SettingsError("TELEGRAM_BOT_TOKEN must be set to run the Telegram bridge")
    # httpx logs each request URL at INFO, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    forum = load_forum(settings.knowledge_dir, settings.area)
    buttons, texts = ButtonRepository(sessions), load_telegram_texts(settings.knowledge_dir, forum)
    reminders = Reminders(
        ReminderRepository(sessions), buttons, load_deadline_labels(settings.knowledge_dir), texts, clock
    )
    rasa_client = rasa or RasaClient(settings.rasa_urls, settings.rasa_timeout, secret=settings.actions_secret)
    bridge = Bridge(
        settings=settings, rasa=rasa_client, owns_rasa=rasa is None,
        engine=engine, buttons=buttons, feedback=FeedbackRepository(sessions),
        texts=texts, messages=load_messages(settings.knowledge_dir, forum=forum), escalations=EscalationRepository(sessions),
        routes=TelegramRouteRepository(sessions), reminders=reminders, progress=ParentNoticeRepository(sessions),
        registry=registry if registry is not None else make_registry(),
    )
    bridge.metrics = ChatMetrics(bridge.registry, CHANNEL)
    bridge.outbox = Outbox(bridge, outbox_interval)
    application = (
        ApplicationBuilder()
        .token(settings.telegram_token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(file_base_url(settings.telegram_api_base_url))
        .concurrent_updates(True)  # a slow conversation must not hold up the others
        .rate_limiter(AIORateLimiter())
        .post_init(bridge.post_init)
        .post_stop(bridge.post_stop)
        .post_shutdown(bridge.post_shutdown)
        .build()
    )
    bridge.register(application)
    return application, bridge


def main() -> None:
    """Run the bridge with long polling until interrupted."""
    try:
        settings = load_settings()
        logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        logging.getLogger(__name__).info(startup_line("Telegram bridge"))
        application, bridge = build_bridge(settings)
    except SettingsError as exc:
        raise SystemExit(f"error: {exc}") from None
    start_ops_server(settings.metrics_host, metrics_port(settings, "telegram"), bridge.registry, bridge.checks)
    application.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
