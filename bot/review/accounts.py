"""Volunteer accounts from invitation to deactivation, for the dashboard and `python -m bot volunteers`.

A coordinator never sees or sets anyone's password (security review F3): an
invitation or a reset gives a single-use link (bot/store/account_links.py)
that lets the volunteer choose their own. A reset makes the old password
stop working and ends every session at once; so does deactivation, which a
coordinator can undo. Links are built from the settings, never from a
request's Host header, so a forged Host cannot redirect them elsewhere.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from typing import Iterator, List, Optional, Tuple

from bot.review.inputs import check_email, clean_line
from bot.review.passwords import hash_password
from bot.settings import Settings
from bot.store import make_engine, make_session_factory
from bot.store.account_links import AccountLinkRepository
from bot.store.audit import AuditRepository
from bot.store.volunteers import ROLES, Volunteer, VolunteerRepository

MIN_PASSWORD = 12
MAX_PASSWORD = 256  # long passphrases are welcome; megabytes to hash are not
MAX_NAME = 80
INVITE_TTL = dt.timedelta(days=7)
RESET_TTL = dt.timedelta(hours=24)
LINK_PATH = "/set-password"


class UnknownAccount(LookupError):
    """No account has this email address."""


def check_name(display_name: str) -> str:
    """Return a display name as one clean line, or raise ValueError if it is empty or too long."""
    name = clean_line(display_name)
    if not name:
        raise ValueError("display name must not be empty")
    if len(name) > MAX_NAME:
        raise ValueError(f"display name must be at most {MAX_NAME} characters")
    return name


def check_password(password: str) -> str:
    """Return the password if it is long enough and not too long, or raise ValueError saying why."""
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"password must be at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise ValueError(f"password must be at most {MAX_PASSWORD} characters")
    return password


def password_link(settings: Settings, token: str) -> str:
    """Return the address a volunteer opens to choose their password."""
    return f"{settings.review_url}{LINK_PATH}?token={token}"


def invite(settings: Settings, volunteers: VolunteerRepository, links: AccountLinkRepository, email: str,
           display_name: str, role: str, by: Optional[int]) -> Tuple[int, str]:
    """Create an account with no password yet; return its id and the link to choose one."""
    email, name = check_email(email), check_name(display_name)
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    volunteer_id = volunteers.add(email, name, role, "")
    return volunteer_id, password_link(settings, links.issue(volunteer_id, "invite", INVITE_TTL, by))


def reset(settings: Settings, volunteers: VolunteerRepository, links: AccountLinkRepository, volunteer_id: int,
          by: Optional[int]) -> str:
    """Stop the old password working, end every session, and return a link to choose a new one."""
    volunteers.clear_password(volunteer_id)
    return password_link(settings, links.issue(volunteer_id, "reset", RESET_TTL, by))


@contextmanager
def _repositories(settings: Settings) -> Iterator[Tuple[VolunteerRepository, AccountLinkRepository, AuditRepository]]:
    engine = make_engine(settings.database_url)
    try:
        sessions = make_session_factory(engine)
        yield VolunteerRepository(sessions), AccountLinkRepository(sessions, settings.secret_key), AuditRepository(sessions)
    finally:
        engine.dispose()


def _account(volunteers: VolunteerRepository, email: str) -> Volunteer:
    found = volunteers.by_email(email)
    if found is None:
        raise UnknownAccount(f"there is no account for {email.strip().lower()}")
    return found


def add_volunteer(settings: Settings, email: str, display_name: str, role: str, password: str) -> int:
    """Create an account with an argon2id-hashed password and return its id (the first coordinator's way in)."""
    email, name = check_email(email), check_name(display_name)
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    check_password(password)
    with _repositories(settings) as (volunteers, _, _audit):
        return volunteers.add(email, name, role, hash_password(password))


def list_accounts(settings: Settings) -> List[Volunteer]:
    """Return every account, by name."""
    with _repositories(settings) as (volunteers, _, _audit):
        return volunteers.all()


def deactivate_account(settings: Settings, email: str) -> Volunteer:
    """Switch an account off, ending its sessions and links; return it."""
    with _repositories(settings) as (volunteers, _, audit):
        account = _account(volunteers, email)
        volunteers.set_active(account.id, False)
        audit.record(None, "deactivate", "volunteer", account.id, via="cli")
        return account


def reset_account(settings: Settings, email: str) -> str:
    """Reset an active account's password; return the link for the volunteer."""
    with _repositories(settings) as (volunteers, links, audit):
        account = _account(volunteers, email)
        if not account.active:
            raise ValueError(f"{account.email} is deactivated; a coordinator can reactivate it in the dashboard")
        link = reset(settings, volunteers, links, account.id, None)
        audit.record(None, "reset", "volunteer", account.id, via="cli")
        return link
