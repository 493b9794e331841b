"""What every dashboard handler needs: repositories, the knowledge base, templates, and page rendering."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional
from zoneinfo import ZoneInfo

import jinja2
from anyio import CapacityLimiter
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from bot.knowledge.entries import KnowledgeBase
from bot.review import passwords
from bot.review.snippets import Snippet
from bot.review.throttle import LoginThrottle
from bot.settings import Settings
from bot.store import FeedbackRepository, UnansweredRepository
from bot.store.escalations import EscalationRepository
from bot.store.models import utcnow
from bot.store.account_links import AccountLinkRepository
from bot.store.audit import AuditRepository
from bot.store.volunteers import ReviewSessionRepository, VolunteerRepository

TEMPLATES = Path(__file__).parent / "templates"
LONDON = ZoneInfo("Europe/London")

# Dashboard pages show parents' questions: never cache them, never frame them, run no script.
# The policy goes on every response of the dashboard's app (bot/review/app.py), error pages included.
DASHBOARD_CSP = ("default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
                 "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
PAGE_HEADERS = {"Cache-Control": "no-store"}


@dataclass
class ReviewContext:
    """The dashboard's state, built once by create_review_app."""

    settings: Settings
    engine: Engine
    sessions: "sessionmaker[Session]"
    kb: KnowledgeBase
    snippets: List[Snippet]
    throttle: LoginThrottle
    templates: jinja2.Environment
    _login_limiter: Optional[CapacityLimiter] = field(default=None, init=False, repr=False)

    def login_limiter(self) -> CapacityLimiter:
        """Return the limit on threads that anonymous password checks may hold (made in the event loop).

        A storm of logins then waits for a thread of its own instead of
        taking every thread of the pool from the pages volunteers use.
        """
        if self._login_limiter is None:
            self._login_limiter = CapacityLimiter(2 * passwords.SLOTS)
        return self._login_limiter

    @property
    def escalations(self) -> EscalationRepository:
        """Return the escalation repository."""
        return EscalationRepository(self.sessions)

    @property
    def volunteers(self) -> VolunteerRepository:
        """Return the volunteer repository."""
        return VolunteerRepository(self.sessions)

    @property
    def review_sessions(self) -> ReviewSessionRepository:
        """Return the session repository."""
        return ReviewSessionRepository(self.sessions, self.settings.secret_key)

    @property
    def links(self) -> AccountLinkRepository:
        """Return the password-link repository."""
        return AccountLinkRepository(self.sessions, self.settings.secret_key)

    @property
    def audit(self) -> AuditRepository:
        """Return the audit log."""
        return AuditRepository(self.sessions)

    @property
    def unanswered(self) -> UnansweredRepository:
        """Return the unanswered-question log."""
        return UnansweredRepository(self.sessions)

    @property
    def feedback(self) -> FeedbackRepository:
        """Return the feedback repository."""
        return FeedbackRepository(self.sessions)


def ctx(request: Request) -> ReviewContext:
    """Return the dashboard's context from a request."""
    return request.app.state.review  # type: ignore[no-any-return]


def path_for(request: Request, name: str, **params: Any) -> str:
    """Return a root-relative link to a named route, honouring the mount point."""
    return request.scope.get("root_path", "") + str(request.app.url_path_for(name, **params))


def redirect(request: Request, name: str, **params: Any) -> RedirectResponse:
    """Redirect (303, so the browser GETs) to a named route."""
    return RedirectResponse(path_for(request, name, **params), status_code=303)


def waited(since: Optional[dt.datetime], now: Optional[dt.datetime] = None) -> str:
    """Describe how long ago a time was, in words a volunteer reads at a glance."""
    if since is None:
        return "–"
    minutes = max(0, int(((now or utcnow()) - since).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h {minutes % 60} min"
    return f"{hours // 24} days"


def london(moment: Optional[dt.datetime]) -> str:
    """Format a naive UTC time as UK local time."""
    if moment is None:
        return "–"
    return moment.replace(tzinfo=dt.timezone.utc).astimezone(LONDON).strftime("%-d %b %Y, %H:%M")


def make_templates() -> jinja2.Environment:
    """Return the Jinja environment; autoescaping is on for every template."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )
    env.filters["waited"] = waited
    env.filters["london"] = london
    return env


def render(request: Request, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    """Render a page with the shared header (waiting count, oldest wait, CSRF token); call it off the event loop."""
    context = ctx(request)
    live = getattr(request.state, "live", None)
    summary: Dict[str, Any] = context.escalations.waiting_summary() if live else {"waiting": 0, "oldest": None}
    html = context.templates.get_template(template).render(
        request=request, live=live, summary=summary, forum=context.kb.forum, csrf=live.csrf_token if live else "", url=lambda name, **p: path_for(request, name, **p),
        static=lambda path: path_for(request, "static", path=path), **values,
    )
    return HTMLResponse(html, status_code=status_code, headers=PAGE_HEADERS)
