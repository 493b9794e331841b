"""Log in and out of the dashboard. See bot/review/security.py for the design and throttle.py for the delays."""

from __future__ import annotations

import math

from anyio import to_thread
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from bot.review import passwords
from bot.review.auditing import client_ip, email_hash, network_of
from bot.review.context import ctx, redirect, render
from bot.review.devices import DEVICE_COOKIE, DEVICE_MAX_AGE, device_for, new_device_cookie
from bot.review.inputs import MAX_EMAIL, InvalidEmail, check_email, clean_line
from bot.review.security import (
    CSRF_FIELD, LOGIN_COOKIE, SESSION_COOKIE, Forbidden, Form, FormTooLarge, action, clear_cookie,
    login_form_token, new_pre_login_token, read_form, set_cookie, tokens_match,
)
from bot.store.volunteers import LiveSession, Volunteer

LOGIN_FAILED = "Email or password is not right"
TOO_LARGE = "What you typed was too long to send. Please check your email address and password and try again."
DONE = {"password_set": "Your password is set. Please log in with it."}


def login_page(request: Request, status_code: int = 200, error: str = "", email: str = "",
               template: str = "login.html", **values: object) -> Response:
    """Render a form that needs a pre-login CSRF pair (login, or choosing a password from a link)."""
    pre_login = new_pre_login_token()
    token = login_form_token(ctx(request).settings.secret_key, pre_login)
    notice = DONE.get(request.query_params.get("done", ""), "") if request.method == "GET" else ""
    response = render(request, template, status_code, error=error, email=email, login_csrf=token, notice=notice,
                      **values)
    set_cookie(response, request, LOGIN_COOKIE, pre_login)
    return response


def check_pre_login(request: Request, form: Form) -> None:
    """Raise Forbidden unless the form carries the HMAC of this browser's pre-login cookie."""
    pre_login = request.cookies.get(LOGIN_COOKIE, "")
    expected = login_form_token(ctx(request).settings.secret_key, pre_login)
    if not pre_login or not tokens_match(expected, form.get(CSRF_FIELD)):
        raise Forbidden("The form had expired. Please reload the page and try again.", "csrf")


def login_form(request: Request) -> Response:
    """Show the login form (also when logged in: someone else may take over a shared laptop)."""
    return login_page(request)


async def login(request: Request) -> Response:
    """Check an email and password and start a fresh session (the checking runs in the thread pool)."""
    try:
        form: Form = await read_form(request)
    except FormTooLarge:  # nothing was checked, so nothing counts as an attempt
        return await run_in_threadpool(login_page, request, 413, TOO_LARGE)
    return await to_thread.run_sync(_attempt, request, form, limiter=ctx(request).login_limiter())


def _too_many(request: Request, wait: float) -> Response:
    minutes = math.ceil(wait / 60)
    when = f"{minutes} minutes" if minutes > 1 else "a minute"
    limited = render(request, "error.html", 429, title="Too many attempts",
                     message=f"Too many login attempts. Please wait {when} and try again.")
    limited.headers["Retry-After"] = str(math.ceil(wait))
    return limited


def _attempt(request: Request, form: Form) -> Response:
    context = ctx(request)
    check_pre_login(request, form)
    secret = context.settings.secret_key
    typed, password = clean_line(form.get("email", ""))[:MAX_EMAIL], form.get("password", "")
    try:
        email = check_email(typed)
    except InvalidEmail:
        email = ""  # no account can have it; it still costs one verification below, like an unknown one
    ip = client_ip(request)
    device = device_for(secret, typed, request.cookies.get(DEVICE_COOKIE))
    wait = context.throttle.retry_after(typed, ip, device)
    if wait is not None:
        return _too_many(request, wait)
    volunteer = context.volunteers.by_email(email) if email else None
    stored = volunteer.password_hash if volunteer is not None and volunteer.active and volunteer.has_password else None
    # Unknown, inactive and not-yet-set accounts still cost one full verification (against the dummy hash).
    verified = passwords.verify_password(stored, password)
    if not verified or volunteer is None:
        context.throttle.failed(typed, ip, device)
        context.audit.record(None, "login_failed", "account", email_hash(secret, typed), network=network_of(ip))
        return login_page(request, 400, error=LOGIN_FAILED, email=typed)
    context.throttle.succeeded(typed, ip, device)
    return _start_session(request, volunteer, password)


def _start_session(request: Request, volunteer: Volunteer, password: str) -> Response:
    context = ctx(request)
    if passwords.needs_rehash(volunteer.password_hash):
        context.volunteers.set_password_hash(volunteer.id, passwords.hash_password(password))
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        context.review_sessions.end(old)  # never carry a session id across a login
    token, _ = context.review_sessions.create(volunteer.id)
    context.volunteers.record_login(volunteer.id)
    context.audit.record(volunteer.id, "login", network=network_of(client_ip(request)))
    response = redirect(request, "queue")
    set_cookie(response, request, SESSION_COOKIE, token)
    set_cookie(response, request, DEVICE_COOKIE, new_device_cookie(context.settings.secret_key, volunteer.email),
               max_age=int(DEVICE_MAX_AGE.total_seconds()))
    clear_cookie(response, request, LOGIN_COOKIE)
    return response


@action()
def logout(request: Request, live: LiveSession, form: Form) -> Response:
    """End the session and go back to the login page."""
    context = ctx(request)
    context.review_sessions.end(request.cookies.get(SESSION_COOKIE, ""))
    context.audit.record(live.volunteer_id, "logout")
    response = redirect(request, "login")
    clear_cookie(response, request, SESSION_COOKIE)
    return response
