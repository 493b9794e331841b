"""Run the real Telegram bridge Application inside a test."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import Any, AsyncIterator

from telegram.ext import Application

from bot.channels.rasa_client import RasaClient
from bot.channels.telegram import build_application
from bot.settings import Settings


@asynccontextmanager
async def running(settings: Settings, rasa: RasaClient, **options: Any) -> AsyncIterator[Application]:
    """Run the Application with long polling, doing what `run_polling` does, until the block ends.

    `options` go to `build_application` (the outbox interval and the clock).
    """
    application = build_application(settings, rasa, **options)
    async with application:
        await application.post_init(application)
        await application.start()
        await application.updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()
            await application.post_stop(application)
    await application.post_shutdown(application)
