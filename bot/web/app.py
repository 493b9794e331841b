"""Build the widget server: a Starlette app around the API, assets and pages.

The volunteer dashboard is a separate app in its own process (bot/review),
so a storm of dashboard logins cannot slow the parents' chat, and each app
keeps its own headers. Nothing here links to it.
"""

from __future__ import annotations

import contextlib
import logging
from typing import AsyncIterator, Optional

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response

from bot.channels.rasa_client import RasaClient
from bot.deadlines.labels import load_deadline_labels
from bot.knowledge.entries import load_kb
from bot.knowledge.messages import load_messages
from bot.metrics import health
from bot.metrics.chat import ChatMetrics
from bot.metrics.http import HttpMetricsMiddleware, http_histogram
from bot.metrics.registry import make_registry
from bot.metrics.routes import readyz_route
from bot.settings import Settings
from bot.store import EscalationRepository, FeedbackRepository, WebSessionRepository, make_engine, make_session_factory
from bot.store.parent_notices import ParentNoticeRepository
from bot.web.api import WidgetApi
from bot.web.errors import ApiError
from bot.web.hosts import host_check
from bot.web.logs import AccessLogMiddleware, log_event
from bot.web.pages import Pages
from bot.web.proxies import ClientAddressMiddleware
from bot.web.ratelimit import Limits, limits_for
from bot.web.security import SecurityHeadersMiddleware

log = logging.getLogger(__name__)


def create_app(settings: Settings, rasa: Optional[RasaClient] = None, limits: Optional[Limits] = None) -> Starlette:
    """Create the widget server for these settings (a real Rasa client unless one is given)."""
    hosts = host_check(settings)  # first: a production setting without a public URL stops here
    kb = load_kb(settings.knowledge_dir, settings.area, stale_days=settings.kb_stale_days)
    messages = load_messages(settings.knowledge_dir, forum=kb.forum)
    engine = make_engine(settings.database_url)
    db_sessions = make_session_factory(engine)
    owns_rasa = rasa is None
    registry = make_registry()  # served by the process's metrics server (bot/metrics/server.py), never here
    client = rasa or RasaClient(settings.rasa_urls, timeout=settings.rasa_timeout, secret=settings.actions_secret)
    api = WidgetApi(
        settings=settings, rasa=client,
        sessions=WebSessionRepository(db_sessions, settings.secret_key),
        feedback=FeedbackRepository(db_sessions),
        kb_ids=frozenset(kb.entries), unavailable=messages.text("unavailable"),
        limits=limits or limits_for(settings),
        escalations=EscalationRepository(db_sessions),
        progress_notices=ParentNoticeRepository(db_sessions), progress_text=messages.progress,
        answer_template=messages.templates["volunteer_answer"],
        still_need_help=messages.buttons["still_need_help"],
        deadline_labels=load_deadline_labels(settings.knowledge_dir),
        metrics=ChatMetrics(registry, "widget"),
    )
    checks = (health.database(engine), health.rasa(settings.rasa_urls))
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        log_event("web_started", entries=len(kb.entries))
        try:
            yield
        finally:
            if owns_rasa:
                await client.aclose()
            engine.dispose()

    app = Starlette(
        routes=api.routes() + Pages(settings, forum=kb.forum).routes() + [readyz_route(checks)],
        middleware=[
            Middleware(HttpMetricsMiddleware, histogram=http_histogram(registry), name="web"),
            Middleware(ClientAddressMiddleware, trusted=settings.trusted_proxies),
            Middleware(AccessLogMiddleware),
            Middleware(
                SecurityHeadersMiddleware, allowed_origins=settings.allowed_origins,
                hsts=settings.public_url.startswith("https://"),
            ),
            hosts,
        ],
        exception_handlers={ApiError: _api_error, HTTPException: _http_error, Exception: _server_error},
        lifespan=lifespan,
    )
    app.router.redirect_slashes = False  # its redirects would be absolute, built from the Host header (F10)
    app.state.api = api
    app.state.registry, app.state.checks = registry, checks
    return app


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return exc.response()


async def _http_error(request: Request, exc: Exception) -> Response:
    # Routing errors (unknown path, wrong method) get the same JSON shape as the API's own.
    assert isinstance(exc, HTTPException)
    code = "method" if exc.status_code == 405 else "no_route"
    status = exc.status_code if exc.status_code in (404, 405) else 400
    return ApiError(status, code, headers=dict(exc.headers or {})).response()


async def _server_error(request: Request, exc: Exception) -> Response:
    log.error("unhandled %s on %s", exc.__class__.__name__, request.url.path)
    return ApiError(500, "server_error").response()
