"""The volunteer review dashboard, a Starlette app mounted at /review by the main web app.

Routes are written relative to the mount; templates build links with
`path_for`, which prefixes the mount's root_path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.knowledge.entries import KnowledgeBase, load_kb
from bot.review import admin_routes as admin
from bot.review import auth_routes as auth
from bot.review import question_routes as questions
from bot.review.context import ReviewContext, make_templates, redirect, render
from bot.review.security import MAX_FORM_BYTES, Forbidden, FormTooLarge, NotLoggedIn
from bot.review.snippets import load_snippets
from bot.review.throttle import LoginLimits, LoginThrottle
from bot.settings import Settings
from bot.store import make_engine, make_session_factory
from bot.store import escalations as _escalations  # noqa: F401  (registers its tables before create_all)
from bot.store import volunteers as _volunteers  # noqa: F401

STATIC = Path(__file__).parent / "static"


async def not_logged_in(request: Request, exc: Exception) -> Response:
    """Send GETs to the login page; refuse anything else with 401."""
    if request.method in ("GET", "HEAD"):
        return redirect(request, "login")
    return render(request, "error.html", 401, title="Please log in", message="Your session has ended. Please log in again.")


async def forbidden(request: Request, exc: Exception) -> Response:
    """Refuse with 403 and say why."""
    return render(request, "error.html", 403, title="Not allowed", message=str(exc) or "You cannot do this.")


async def form_too_large(request: Request, exc: Exception) -> Response:
    """Refuse an over-long form with 413, saying so rather than blaming an expired form."""
    return render(request, "error.html", 413, title="Too long to send",
                  message=f"The form was too long to send (over {MAX_FORM_BYTES // 1024} KB). Nothing was changed. "
                          "Please go back, shorten what you wrote and try again.")


async def http_error(request: Request, exc: Exception) -> Response:
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
        Route("/audit", admin.audit, methods=["GET"], name="audit"),
        Route("/volunteers", admin.volunteers, methods=["GET"], name="volunteers"),
        Route("/volunteers", admin.invite, methods=["POST"], name="invite"),
        Mount("/static", app=StaticFiles(directory=str(STATIC)), name="static"),
    ]


def create_review_app(
    settings: Settings, limits: Optional[LoginLimits] = None, kb: Optional[KnowledgeBase] = None,
) -> Starlette:
    """Build the dashboard app: database, knowledge base, snippets, templates and routes.

    Pass `kb` to share an already loaded knowledge base (the main web app has one).
    A mounted app gets no lifespan events, so the caller disposes
    `app.state.review.engine` when it shuts down.
    """
    engine = make_engine(settings.database_url)
    app = Starlette(
        routes=routes(),
        exception_handlers={
            NotLoggedIn: not_logged_in, Forbidden: forbidden, FormTooLarge: form_too_large, HTTPException: http_error,
        },
    )
    app.state.review = ReviewContext(
        settings=settings, engine=engine, sessions=make_session_factory(engine),
        kb=kb or load_kb(settings.knowledge_dir, settings.area, stale_days=settings.kb_stale_days),
        snippets=load_snippets(settings.knowledge_dir), throttle=LoginThrottle(limits or LoginLimits()),
        templates=make_templates(),
    )
    return app
