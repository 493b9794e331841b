"""Coordinators manage accounts: invite by link, deactivate and reactivate, reset a password by link.

Every change is in the audit log, with the account as its target. A
coordinator cannot deactivate or reset their own account here (they would
lock themselves out; they change their own password on the password page).
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from bot.review import accounts
from bot.review.context import ctx, redirect, render
from bot.review.inputs import InvalidEmail, check_email, row_id
from bot.review.security import Form, action, coordinator_only, page
from bot.store.volunteers import ROLES, DuplicateEmail, LiveSession, Volunteer

DONE = {"deactivated": "The account is deactivated and every session of it has ended.",
        "reactivated": "The account is active again."}
NOT_YOURSELF = "You cannot do this to your own account. To change your password, use Your password."


def _page(request: Request, status_code: int = 200, error: str = "", link: Optional[Dict[str, Any]] = None) -> Response:
    done = DONE.get(request.query_params.get("done", ""), "") if status_code == 200 and link is None else ""
    return render(request, "volunteers.html", status_code, people=ctx(request).volunteers.all(), roles=ROLES,
                  link=link, error=error, done=done, invite_days=accounts.INVITE_TTL.days,
                  reset_hours=int(accounts.RESET_TTL.total_seconds() // 3600))


@page
def volunteers(request: Request, live: LiveSession) -> Response:
    """List accounts with their last login, and offer invitations and account actions (coordinators only)."""
    coordinator_only(live)
    ctx(request).audit.record(live.volunteer_id, "view", "volunteers")
    return _page(request)


def _invitation(form: Form) -> Tuple[str, str, str]:
    """Return (email, name, role) from the invite form, or raise ValueError with a message for the coordinator."""
    email = check_email(form.get("email", ""))  # InvalidEmail says what is wrong with the address
    try:
        name = accounts.check_name(form.get("display_name", ""))
    except ValueError:
        raise ValueError(f"Please give a name of at most {accounts.MAX_NAME} characters.") from None
    role = form.get("role", "")
    if role not in ROLES:
        raise ValueError("Please choose a role: volunteer or coordinator.")
    return email, name, role


@action(coordinator=True)
def invite(request: Request, live: LiveSession, form: Form) -> Response:
    """Create an account with no password, and show the single-use link that lets the volunteer choose one."""
    context = ctx(request)
    try:
        email, name, role = _invitation(form)
        new_id, url = accounts.invite(context.settings, context.volunteers, context.links, email, name, role,
                                      live.volunteer_id)
    except DuplicateEmail:
        return _page(request, 400, error="There is already an account with this email address.")
    except (InvalidEmail, ValueError) as exc:
        return _page(request, 400, error=str(exc))
    context.audit.record(live.volunteer_id, "invite", "volunteer", new_id, role=role)
    return _page(request, 201, link={"purpose": "invite", "name": name, "email": email, "url": url})


def _target(request: Request) -> Volunteer:
    volunteer_id = row_id(request.path_params["vid"])
    target = ctx(request).volunteers.get(volunteer_id) if volunteer_id is not None else None
    if target is None:
        raise HTTPException(404, "There is no account with this number.")
    return target


@action(coordinator=True)
def deactivate(request: Request, live: LiveSession, form: Form) -> Response:
    """Switch an account off: its sessions and unused links end at once."""
    context, target = ctx(request), _target(request)
    if target.id == live.volunteer_id:
        return _page(request, 400, error=NOT_YOURSELF)
    context.volunteers.set_active(target.id, False)
    context.audit.record(live.volunteer_id, "deactivate", "volunteer", target.id)
    return _done(request, "deactivated")


@action(coordinator=True)
def reactivate(request: Request, live: LiveSession, form: Form) -> Response:
    """Switch an account back on (with the password it had; reset it if that is in doubt)."""
    context, target = ctx(request), _target(request)
    context.volunteers.set_active(target.id, True)
    context.audit.record(live.volunteer_id, "reactivate", "volunteer", target.id)
    return _done(request, "reactivated")


@action(coordinator=True)
def reset(request: Request, live: LiveSession, form: Form) -> Response:
    """Stop the account's password working, end its sessions, and show a link to choose a new one."""
    context, target = ctx(request), _target(request)
    if target.id == live.volunteer_id:
        return _page(request, 400, error=NOT_YOURSELF)
    if not target.active:
        return _page(request, 409, error="This account is deactivated. Reactivate it first.")
    url = accounts.reset(context.settings, context.volunteers, context.links, target.id, live.volunteer_id)
    context.audit.record(live.volunteer_id, "reset", "volunteer", target.id)
    return _page(request, 200, link={"purpose": "reset", "name": target.display_name, "email": target.email, "url": url})


def _done(request: Request, what: str) -> Response:
    response = redirect(request, "volunteers")
    response.headers["location"] += f"?done={what}"
    return response
