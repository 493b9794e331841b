"""The volunteer review dashboard: its own Starlette app, served by its own process (`python -m bot.review`).

It answers under /review/ (so one reverse-proxy host can send /review/ here
and everything else to the widget server) plus /healthz and /readyz (bot/metrics).
Its middleware is its own: the client address from trusted proxies only, a
Host check, and headers stricter than the widget's (no script at all). No
handler blocks the event loop (bot/review/security.py). Routes are written
relative to the /review mount; templates build links with `path_for`.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import AsyncIterator, Optional

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.knowledge.entries import KnowledgeBase, load_kb
from bot.metrics import health
from bot.metrics.http import HttpMetricsMiddleware, http_histogram
from bot.metrics.purge import TextfileCollector
from bot.metrics.queue import QueueCollector
from bot.metrics.registry import make_registry
from bot.metrics.routes import readyz_route
from bot.review import account_routes as account
from bot.review import admin_routes as admin
from bot.review import auth_routes as auth
from bot.review import group_routes as group
from bot.review import notice_routes as notices
from bot.review import password_routes as password
from bot.review import question_routes as questions
from bot.review import report_routes as reports
from bot.review.auditing import path_of
from bot.review.context import DASHBOARD_CSP, ReviewContext, make_templates, redirect, render
from bot.review.security import MAX_FORM_BYTES, Forbidden, FormTooLarge, NotLoggedIn
from bot.review.snippets import load_snippets
from bot.review.throttle import LoginLimits, LoginThrottle
from bot.settings import Settings
from bot.store import make_engine, make_session_factory
from bot.web.hosts import host_check, relative_redirect
from bot.web.logs import AccessLogMiddleware
from bot.web.proxies import ClientAddressMiddleware
from bot.web.security import SecurityHeadersMiddleware

STATIC = Path(__file__).parent / "static"
MOUNT = "/review"


def not_logged_in(request: Request, exc: Exception) -> Response:
    """Send GETs to the login page; refuse anything else with 401."""
    if request.method in ("GET", "HEAD"):
        return redirect(request, "login")
    return render(request, "error.html", 401, title="Please log in", message="Your session has ended. Please log in again.")


def forbidden(request: Request, exc: Exception) -> Response:
    """Refuse with 403, say why, and record the refusal (role or CSRF) in the audit log."""
    assert isinstance(exc, Forbidden)
    live = getattr(request.state, "live", None)
    action = "csrf_refused" if exc.reason == "csrf" else "forbidden"
    request.app.state.review.audit.record(live.volunteer_id if live else None, action, "path", path_of(request),
                                          method=request.method)
    return render(request, "error.html", 403, title="Not allowed", message=str(exc) or "You cannot do this.")


def form_too_large(request: Request, exc: Exception) -> Response:
    """Refuse an over-long form with 413, saying so rather than blaming an expired form."""
    return render(request, "error.html", 413, title="Too long to send",
                  message=f"The form was too long to send (over {MAX_FORM_BYTES // 1024} KB). Nothing was changed. "
                          "Please go back, shorten what you wrote and try again.")


def http_error(request: Request, exc: Exception) -> Response:
    """Render 404s and other HTTP errors as dashboard pages."""
    assert isinstance(exc, HTTPException)
    return render(request, "error.html", exc.status_code, title="Not found" if exc.status_code == 404 else "Error",
                  message=exc.detail)


def routes() -> list:
    """Return the dashboard's routes, relative to its mount point."""
    return [
        Route("/login", auth.login_form, methods=["GET"], name="login"),
        Route("/login", auth.login, methods=["POST"], name="login_submit"),
        Route("/logout", auth.logout, methods=["POST"], name="logout"),
        Route("/set-password", password.set_password_form, methods=["GET"], name="set_password"),
        Route("/set-password", password.set_password, methods=["POST"], name="set_password_submit"),
        Route("/password", password.change_password_form, methods=["GET"], name="password"),
        Route("/password", password.change_password, methods=["POST"], name="password_change"),
        Route("/", questions.queue, methods=["GET"], name="queue"),
        Route("/q/{qid}", questions.question, methods=["GET"], name="question"),
        Route("/q/{qid}/claim", questions.claim, methods=["POST"], name="claim"),
        Route("/q/{qid}/return", questions.give_back, methods=["POST"], name="give_back"),
        Route("/q/{qid}/reassign", questions.reassign, methods=["POST"], name="reassign"),
        Route("/q/{qid}/answer", questions.answer, methods=["POST"], name="answer"),
        Route("/q/{qid}/close", questions.close, methods=["POST"], name="close"),
        Route("/q/{qid}/kb-candidate", questions.kb_candidate, methods=["POST"], name="kb_candidate"),
        Route("/q/{qid}/kb-draft.yml", questions.kb_draft, methods=["GET"], name="kb_draft"),
        Route("/q/{qid}/kb-draft.yml", questions.kb_draft_write, methods=["POST"], name="kb_draft_write"),
        Route("/insights", admin.insights, methods=["GET"], name="insights"),
        Route("/insights/{table}.csv", admin.insights_csv, methods=["GET"], name="insights_csv"),
        Route("/groups", group.groups, methods=["GET"], name="groups"),
        Route("/groups/{key}", group.group, methods=["GET"], name="group"),
        Route("/groups/{key}/draft", group.group_draft, methods=["POST"], name="group_draft"),
        Route("/groups/{key}/out-of-scope", group.group_out_of_scope, methods=["POST"], name="group_out_of_scope"),
        Route("/groups/{key}/reopen", group.group_reopen, methods=["POST"], name="group_reopen"),
        Route("/reports", reports.reports, methods=["GET"], name="reports"),
        Route("/reports/{month}.html", reports.report_html, methods=["GET"], name="report_html"),
        Route("/reports/{month}.csv", reports.report_csv, methods=["GET"], name="report_csv"),
        Route("/reports/{month}", reports.report_page, methods=["GET"], name="report"),
        Route("/audit", admin.audit, methods=["GET"], name="audit"),
        Route("/volunteers", account.volunteers, methods=["GET"], name="volunteers"),
        Route("/volunteers", account.invite, methods=["POST"], name="invite"),
        Route("/volunteers/{vid}/deactivate", account.deactivate, methods=["POST"], name="deactivate"),
        Route("/volunteers/{vid}/reactivate", account.reactivate, methods=["POST"], name="reactivate"),
        Route("/volunteers/{vid}/reset", account.reset, methods=["POST"], name="reset"),
        *notices.routes(),
        Mount("/static", app=StaticFiles(directory=str(STATIC)), name="static"),
    ]


async def healthz(request: Request) -> Response:
    """Say the dashboard is up (for the supervisor; touches no database)."""
    return JSONResponse({"ok": True})


def create_review_app(
    settings: Settings, limits: Optional[LoginLimits] = None, kb: Optional[KnowledgeBase] = None,
) -> Starlette:
    """Build the dashboard as served: database, knowledge base, templates, routes, middleware and headers."""
    hosts = host_check(settings)  # first: a production setting without a public URL stops here
    engine = make_engine(settings.database_url)
    context = ReviewContext(
        settings=settings, engine=engine, sessions=make_session_factory(engine),
        kb=kb or load_kb(settings.knowledge_dir, settings.area, stale_days=settings.kb_stale_days),
        snippets=load_snippets(settings.knowledge_dir), throttle=LoginThrottle(limits or LoginLimits()),
        templates=make_templates(),
    )
    pages = Starlette(routes=routes(), exception_handlers={
        NotLoggedIn: not_logged_in, Forbidden: forbidden, FormTooLarge: form_too_large, HTTPException: http_error,
    })

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            engine.dispose()

    # The queue and outbox gauges are read here, once per deployment (bot/metrics/queue.py).
    registry = make_registry()
    registry.register(QueueCollector(engine))
    registry.register(TextfileCollector(settings.purge_metrics_file))  # the purge's results, when it shares the data folder
    checks = (health.database(engine),)
    app = Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            readyz_route(checks),
            Route("/", relative_redirect(MOUNT + "/"), methods=["GET", "HEAD"]),
            Route(MOUNT, relative_redirect(MOUNT + "/"), methods=["GET", "HEAD"]),
            Mount(MOUNT, app=pages, name="review"),
        ],
        middleware=[
            Middleware(HttpMetricsMiddleware, histogram=http_histogram(registry), name="review"),
            Middleware(ClientAddressMiddleware, trusted=settings.trusted_proxies),
            Middleware(AccessLogMiddleware),
            Middleware(SecurityHeadersMiddleware, hsts=settings.public_url.startswith("https://"), csp=DASHBOARD_CSP,
                       cors_paths=()),
            hosts,
        ],
        lifespan=lifespan,
    )
    for router in (pages.router, app.router):
        router.redirect_slashes = False  # Starlette's are absolute, built from the Host header (F10)
    pages.state.review = app.state.review = context
    app.state.registry, app.state.checks = registry, checks
    return app
