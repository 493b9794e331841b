"""Structured request logs that never contain what a parent typed.

Each line is one JSON object with an event name and a few fixed fields
(method, path, status, milliseconds, and per-event counters). Message text,
conversation ids and client addresses are never passed in, so they cannot
leak into log files; uvicorn's own access log, which records addresses, is
switched off in bot/web/__main__.py.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Union

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("bot.web")

Field = Union[str, int, float, bool, None]


def log_event(event: str, **fields: Field) -> None:
    """Log one event as a JSON line of fixed, text-free fields."""
    if log.isEnabledFor(logging.INFO):  # no JSON encoding when SEND_NAV_LOG_LEVEL is above INFO
        log.info(json.dumps({"event": event, **fields}, sort_keys=True))


class AccessLogMiddleware:
    """Log method, path, status and duration of every HTTP request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Time the request and log it once the response has started."""
        if scope["type"] != "http" or not log.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500}

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            log_event(
                "request", method=scope["method"], path=_path(scope["path"]), status=status["code"],
                ms=round((time.perf_counter() - started) * 1000, 1),
            )


def _path(path: str) -> str:
    # Paths are fixed routes; anything else is cut short so junk URLs cannot flood the log.
    return path if len(path) <= 64 else path[:64] + "…"

