"""Choosing a password: from an invitation or reset link, or by changing one's own.

A link's token travels in the query string of a GET and then in the form's
body, never in a path, so the request log (which records paths only) never
holds it; pages send no Referer. A link's page checks the token before
anything is hashed, so a stranger cannot make the server spend argon2 time
without a valid link. Changing one's own password needs the current one
(failures are throttled like logins) and ends every other session.
"""

from __future__ import annotations

from anyio import to_thread
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from bot.review import passwords
from bot.review.accounts import MAX_PASSWORD, MIN_PASSWORD, check_password
from bot.review.auditing import client_ip
from bot.review.auth_routes import check_pre_login, login_page
from bot.review.context import ctx, redirect, render
from bot.review.security import SESSION_COOKIE, Form, FormTooLarge, action, page, read_form
from bot.store.volunteers import LiveSession

GONE = "This link has expired or has already been used. Please ask your coordinator for a new one."
RULES = f"Use at least {MIN_PASSWORD} characters (at most {MAX_PASSWORD}). A few unrelated words make a good one."
TOO_LARGE = "What you typed was too long to send. Please choose a shorter password."


def _new_password(form: Form) -> str:
    """Return the new password from a form, or raise ValueError with a message for the volunteer."""
    new, again = form.get("new_password", ""), form.get("confirm_password", "")
    try:
        check_password(new)
    except ValueError:
        raise ValueError(f"Please choose a password of {MIN_PASSWORD} to {MAX_PASSWORD} characters.") from None
    if new != again:
        raise ValueError("The two new passwords are not the same. Please type them again.")
    return new


def _link_page(request: Request, token: str, status_code: int = 200, error: str = "") -> Response:
    context = ctx(request)
    holder = context.links.holder(token) if token else None
    if holder is None:
        return render(request, "error.html", 410, title="Link no longer works", message=GONE)
    account = context.volunteers.get(holder.volunteer_id)
    return login_page(request, status_code, error=error, template="set_password.html", token=token,
                      account=account, purpose=holder.purpose, rules=RULES)


def set_password_form(request: Request) -> Response:
    """Show the form for choosing a password, if the link still works."""
    return _link_page(request, request.query_params.get("token", "")[:128])


async def set_password(request: Request) -> Response:
    """Set the password from a link, once; every session of the account ends."""
    try:
        form = await read_form(request)
    except FormTooLarge:
        return await run_in_threadpool(render, request, "error.html", 413, title="Too long to send", message=TOO_LARGE)
    return await to_thread.run_sync(_redeem, request, form, limiter=ctx(request).login_limiter())


def _redeem(request: Request, form: Form) -> Response:
    context = ctx(request)
    check_pre_login(request, form)
    token = form.get("token", "")[:128]
    holder = context.links.holder(token) if token else None
    if holder is None:
        return render(request, "error.html", 410, title="Link no longer works", message=GONE)
    try:
        new = _new_password(form)
    except ValueError as exc:
        return _link_page(request, token, 400, error=str(exc))
    used = context.links.redeem(token, passwords.hash_password(new))
    if used is None:  # used or expired between the check and now
        return render(request, "error.html", 410, title="Link no longer works", message=GONE)
    context.audit.record(used.volunteer_id, "password_set", "volunteer", used.volunteer_id, purpose=used.purpose)
    response = redirect(request, "login")
    response.headers["location"] += "?done=password_set"
    return response


def _change_page(request: Request, status_code: int = 200, error: str = "") -> Response:
    done = "Your password has been changed. You have been logged out everywhere else." \
        if request.query_params.get("done") == "changed" and status_code == 200 else ""
    return render(request, "password.html", status_code, error=error, done=done, rules=RULES, active="password")


@page
def change_password_form(request: Request, live: LiveSession) -> Response:
    """Show the form for changing one's own password."""
    return _change_page(request)


@action()
def change_password(request: Request, live: LiveSession, form: Form) -> Response:
    """Change one's own password: the current one is needed, and every other session ends."""
    context = ctx(request)
    key, ip = f"password-change:{live.volunteer_id}", client_ip(request)
    wait = context.throttle.retry_after(key, ip)
    if wait is not None:
        return _change_page(request, 429, error="Too many wrong passwords. Please wait a few minutes and try again.")
    account = context.volunteers.get(live.volunteer_id)
    if account is None or not passwords.verify_password(account.password_hash or None, form.get("current_password", "")):
        context.throttle.failed(key, ip)
        context.audit.record(live.volunteer_id, "password_change_failed")
        return _change_page(request, 400, error="Your current password is not right.")
    try:
        new = _new_password(form)
    except ValueError as exc:
        return _change_page(request, 400, error=str(exc))
    context.volunteers.set_password_hash(account.id, passwords.hash_password(new))
    ended = context.review_sessions.end_all(account.id, keep=request.cookies.get(SESSION_COOKIE))
    context.audit.record(live.volunteer_id, "password_changed", "volunteer", account.id, other_sessions_ended=ended)
    response = redirect(request, "password")
    response.headers["location"] += "?done=changed"
    return response
