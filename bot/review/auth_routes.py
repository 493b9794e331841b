"""Log in and out of the dashboard. See bot/review/security.py for the design."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from bot.review import passwords
from bot.review.context import ctx, redirect, render
from bot.review.inputs import MAX_EMAIL, InvalidEmail, check_email, clean_line
from bot.review.security import (
    CSRF_FIELD, LOGIN_COOKIE, SESSION_COOKIE, Forbidden, Form, FormTooLarge, action, clear_cookie,
    login_form_token, new_pre_login_token, read_form, set_cookie, tokens_match,
)
from bot.store.volunteers import LiveSession

LOGIN_FAILED = "Email or password is not right"
TOO_LARGE = "What you typed was too long to send. Please check your email address and password and try again."


def _login_page(request: Request, status_code: int = 200, error: str = "", email: str = "") -> Response:
    pre_login = new_pre_login_token()
    token = login_form_token(ctx(request).settings.secret_key, pre_login)
    response = render(request, "login.html", status_code, error=error, email=email, login_csrf=token)
    set_cookie(response, request, LOGIN_COOKIE, pre_login)
    return response


async def login_form(request: Request) -> Response:
    """Show the login form (also when logged in: someone else may take over a shared laptop)."""
    return _login_page(request)


async def login(request: Request) -> Response:
    """Check an email and password and start a fresh session."""
    context = ctx(request)
    try:
        form: Form = await read_form(request)
    except FormTooLarge:  # nothing was checked, so nothing counts as an attempt
        return _login_page(request, 413, error=TOO_LARGE)
    expected = login_form_token(context.settings.secret_key, request.cookies.get(LOGIN_COOKIE, ""))
    if not request.cookies.get(LOGIN_COOKIE) or not tokens_match(expected, form.get(CSRF_FIELD)):
        raise Forbidden("The form had expired. Please reload the login page and try again.")
    typed, password = clean_line(form.get("email", ""))[:MAX_EMAIL], form.get("password", "")
    try:
        email = check_email(typed)
    except InvalidEmail:
        email = ""  # no account can have it; it still costs one verification below, like an unknown one
    ip = request.client.host if request.client else "unknown"
    wait = context.throttle.retry_after(ip, typed)
    if wait is not None:
        limited = render(request, "error.html", 429, title="Too many attempts",
                         message="Too many login attempts. Please wait 15 minutes and try again.")
        limited.headers["Retry-After"] = str(int(wait) + 1)
        return limited
    volunteer = context.volunteers.by_email(email) if email else None
    stored = volunteer.password_hash if volunteer is not None and volunteer.active else None
    # Unknown or inactive accounts still cost one full verification (against the dummy hash).
    if not passwords.verify_password(stored, password) or volunteer is None:
        context.throttle.failed(ip, typed)
        context.audit.record(None, "login_failed")
        return _login_page(request, 400, error=LOGIN_FAILED, email=typed)
    if passwords.needs_rehash(volunteer.password_hash):
        context.volunteers.set_password_hash(volunteer.id, passwords.hash_password(password))
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        context.review_sessions.end(old)  # never carry a session id across a login
    token, _ = context.review_sessions.create(volunteer.id)
    context.audit.record(volunteer.id, "login")
    response = redirect(request, "queue")
    set_cookie(response, request, SESSION_COOKIE, token)
    clear_cookie(response, request, LOGIN_COOKIE)
    return response


@action()
async def logout(request: Request, live: LiveSession, form: Form) -> Response:
    """End the session and go back to the login page."""
    context = ctx(request)
    context.review_sessions.end(request.cookies.get(SESSION_COOKIE, ""))
    context.audit.record(live.volunteer_id, "logout")
    response = redirect(request, "login")
    clear_cookie(response, request, SESSION_COOKIE)
    return response
