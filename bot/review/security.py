"""Authentication, sessions and CSRF protection for the volunteer dashboard.

Threat: the dashboard shows parents' (redacted) questions and sends answers
into their chats. We must stop:

- anyone without an account reading questions or answering them;
- a stolen or fixed session id being used to act as a volunteer (session
  fixation, a database copy, a cookie read by script or sent over http);
- another website making a volunteer's browser send answers, claims or
  invitations (cross-site request forgery), including forcing a login;
- volunteers doing what only coordinators may (reassign, audit, invite).

Design:

- Server-side sessions. The cookie holds a random 256-bit token; the table
  holds only its keyed hash (bot/store/volunteers.py). A new token is issued
  at every login and the old one deleted, so a fixed id is useless. Sessions
  end after 2 hours idle or 12 hours in all.
- The cookie is HttpOnly, SameSite=Lax, scoped to the dashboard's path, and
  Secure whenever the request or the public URL is https.
- Synchronizer CSRF tokens: each session has a random token, rendered into
  every form as a hidden field and compared with `hmac.compare_digest` on
  every POST; a missing or wrong token gets 403. The login form, which has no
  session yet, uses a pre-login cookie and a field holding its HMAC, so a
  cross-site page can neither read nor forge the pair.
- Forms are parsed here as url-encoded bodies of at most 64 KiB; anything
  else has no token and is refused. A longer body is not read further and
  raises FormTooLarge: nothing in it is acted on, and since its token was
  never read the reply is only a page a GET could show (the question, or an
  error) saying the text was too long, never a misleading "form expired".
- Unauthenticated GETs are sent to the login page; any other method gets 401.
- Nothing blocking runs on the event loop (security review F5): password
  hashing and every database call happen in the thread pool, so a storm of
  logins cannot stall other requests.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from typing import Awaitable, Callable, Dict, Optional
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from bot.store.volunteers import LiveSession

SESSION_COOKIE = "snav_review"
LOGIN_COOKIE = "snav_review_login"
CSRF_FIELD = "csrf_token"
MAX_FORM_BYTES = 64 * 1024

Form = Dict[str, str]
PageHandler = Callable[[Request, LiveSession], Response]
ActionHandler = Callable[[Request, LiveSession, Form], Response]


class NotLoggedIn(Exception):
    """The request has no valid session."""


class Forbidden(Exception):
    """The request is refused: wrong role (`reason` "role") or bad CSRF token ("csrf")."""

    def __init__(self, message: str, reason: str = "role") -> None:
        super().__init__(message)
        self.reason = reason


class FormTooLarge(Exception):
    """The form body is over MAX_FORM_BYTES; it was not read in full and must not be acted on."""


def cookie_path(request: Request) -> str:
    """Return the path the dashboard is mounted at, which scopes its cookies."""
    return request.scope.get("root_path") or "/"


def is_secure(request: Request) -> bool:
    """Return True when cookies must be Secure (https request or https public URL)."""
    public_url = request.app.state.review.settings.public_url
    return request.url.scheme == "https" or public_url.startswith("https://")


def set_cookie(response: Response, request: Request, name: str, value: str, max_age: Optional[int] = None) -> None:
    """Set a cookie with the dashboard's flags (for the browser session unless `max_age` says otherwise)."""
    response.set_cookie(
        name, value, max_age=max_age, path=cookie_path(request), httponly=True, samesite="lax",
        secure=is_secure(request),
    )


def clear_cookie(response: Response, request: Request, name: str) -> None:
    """Delete a dashboard cookie."""
    response.delete_cookie(name, path=cookie_path(request), httponly=True, samesite="lax", secure=is_secure(request))


def tokens_match(expected: Optional[str], given: Optional[str]) -> bool:
    """Compare two tokens in constant time; missing ones never match."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode("utf-8", "surrogatepass"), given.encode("utf-8", "surrogatepass"))


def login_form_token(secret_key: str, pre_login: str) -> str:
    """Return the login form's CSRF field for a pre-login cookie value."""
    return hmac.new(secret_key.encode(), ("review-login:" + pre_login).encode(), hashlib.sha256).hexdigest()


def new_pre_login_token() -> str:
    """Return a random value for the pre-login cookie."""
    return secrets.token_urlsafe(32)


async def read_form(request: Request) -> Form:
    """Return a url-encoded form body as a dict; raise FormTooLarge past the limit; anything else gives {}."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        return {}
    body = b""
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_FORM_BYTES:
                raise FormTooLarge()
    except ClientDisconnect:  # the client hung up mid-body: treat it as no form, not a server error
        return {}
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


def current_session(request: Request) -> Optional[LiveSession]:
    """Return the request's live session, or None (a database call: run it off the event loop)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    return request.app.state.review.review_sessions.lookup(token)


def require_login(request: Request) -> LiveSession:
    """Return the live session or raise NotLoggedIn."""
    live = current_session(request)
    if live is None:
        raise NotLoggedIn()
    request.state.live = live  # templates read it for the header and CSRF fields
    return live


def page(handler: PageHandler) -> Callable[[Request], Response]:
    """Wrap a GET handler so it runs only with a session.

    The wrapper is a plain function, so Starlette runs it in its thread pool:
    the session lookup and the handler's database work never block the loop.
    """

    @functools.wraps(handler)
    def wrapper(request: Request) -> Response:
        return handler(request, require_login(request))

    return wrapper


def action(
    coordinator: bool = False, too_large: Optional[PageHandler] = None,
) -> Callable[[ActionHandler], Callable[[Request], Awaitable[Response]]]:
    """Wrap a POST handler: require a session, a matching CSRF token and, if asked, the coordinator role.

    A body over the limit is answered by `too_large` (a page saying what was too long), or raises FormTooLarge.
    Only reading the body happens on the event loop; everything else runs in the thread pool.
    """

    def decorate(handler: ActionHandler) -> Callable[[Request], Awaitable[Response]]:
        def checked(request: Request, live: LiveSession, form: Form) -> Response:
            if not tokens_match(live.csrf_token, form.get(CSRF_FIELD)):
                raise Forbidden("The form had expired. Please go back, reload the page and try again.", "csrf")
            if coordinator and not live.is_coordinator:
                raise Forbidden("Only coordinators can do this.")
            return handler(request, live, form)

        def oversized(request: Request, live: LiveSession) -> Response:
            if coordinator and not live.is_coordinator:
                raise Forbidden("Only coordinators can do this.")
            if too_large is None:
                raise FormTooLarge()
            return too_large(request, live)

        @functools.wraps(handler)
        async def wrapper(request: Request) -> Response:
            live = await run_in_threadpool(require_login, request)
            try:
                form = await read_form(request)
            except FormTooLarge:
                return await run_in_threadpool(oversized, request, live)
            return await run_in_threadpool(checked, request, live, form)

        return wrapper

    return decorate


def coordinator_only(live: LiveSession) -> None:
    """Raise Forbidden unless the session is a coordinator's."""
    if not live.is_coordinator:
        raise Forbidden("Only coordinators can see this page.")
