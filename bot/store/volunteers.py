"""Volunteer accounts and their dashboard sessions (the audit log is in bot/store/audit.py).

A session row is known only by a keyed hash (HMAC-SHA256 with the secret key)
of the random token in the volunteer's cookie, so a copy of the database
cannot be used to log in as anyone. An account with an empty password hash
has no password yet (invited, or reset): nothing can log in to it until the
volunteer uses their link (bot/store/account_links.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Tuple

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.store.account_links import AccountLink
from bot.store.models import Base, utcnow

ROLES = ("volunteer", "coordinator")
IDLE_TIMEOUT = dt.timedelta(hours=2)
MAX_AGE = dt.timedelta(hours=12)
TOKEN_BYTES = 32


class DuplicateEmail(ValueError):
    """An account with this email already exists."""


class Volunteer(Base):
    """A forum volunteer or coordinator who may answer escalated questions."""

    __tablename__ = "volunteers"

    id = Column(Integer, primary_key=True)
    email = Column(String(254), unique=True, nullable=False)
    display_name = Column(String(80), nullable=False)
    role = Column(String(16), nullable=False, default="volunteer")
    password_hash = Column(String(255), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    last_login_at = Column(DateTime, nullable=True)

    @property
    def has_password(self) -> bool:
        """Return True once the volunteer has chosen a password."""
        return bool(self.password_hash)


class ReviewSession(Base):
    """A logged-in dashboard session, known by a keyed hash of its cookie token."""

    __tablename__ = "review_sessions"

    id = Column(String(64), primary_key=True)
    volunteer_id = Column(Integer, ForeignKey("volunteers.id", ondelete="CASCADE"), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    last_seen = Column(DateTime, nullable=False, default=utcnow)
    expires = Column(DateTime, nullable=False, index=True)


def normalise_email(email: str) -> str:
    """Return the form an email is stored and looked up in."""
    return email.strip().lower()


class VolunteerRepository:
    """Create, find and list volunteer accounts."""

    def __init__(self, sessions: "sessionmaker[Session]") -> None:
        self.sessions = sessions

    def add(self, email: str, display_name: str, role: str, password_hash: str) -> int:
        """Create an account and return its id; raise DuplicateEmail if the email is taken."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}")
        try:
            with self.sessions.begin() as session:
                row = Volunteer(
                    email=normalise_email(email), display_name=display_name.strip()[:80], role=role,
                    password_hash=password_hash, active=True,
                )
                session.add(row)
                session.flush()
                return int(row.id)
        except IntegrityError as exc:
            raise DuplicateEmail(f"an account for {normalise_email(email)} already exists") from exc

    def by_email(self, email: str) -> Optional[Volunteer]:
        """Return the account with this email, or None."""
        with self.sessions() as session:
            return session.execute(
                select(Volunteer).where(Volunteer.email == normalise_email(email))
            ).scalar_one_or_none()

    def get(self, volunteer_id: int) -> Optional[Volunteer]:
        """Return one account, or None."""
        with self.sessions() as session:
            return session.get(Volunteer, volunteer_id)

    def all(self, active_only: bool = False) -> List[Volunteer]:
        """Return every account, by name."""
        query = select(Volunteer).order_by(Volunteer.display_name, Volunteer.id)
        if active_only:
            query = query.where(Volunteer.active.is_(True))
        with self.sessions() as session:
            return list(session.execute(query).scalars())

    def names(self) -> Dict[int, str]:
        """Return {id: display name} for showing who claimed or answered."""
        with self.sessions() as session:
            return {int(i): str(n) for i, n in session.execute(select(Volunteer.id, Volunteer.display_name))}

    def set_password_hash(self, volunteer_id: int, password_hash: str) -> None:
        """Replace an account's password hash (after a rehash or a change)."""
        with self.sessions.begin() as session:
            session.execute(update(Volunteer).where(Volunteer.id == volunteer_id).values(password_hash=password_hash))

    def record_login(self, volunteer_id: int) -> None:
        """Note when the account last logged in (coordinators see it)."""
        with self.sessions.begin() as session:
            session.execute(update(Volunteer).where(Volunteer.id == volunteer_id).values(last_login_at=utcnow()))

    def set_active(self, volunteer_id: int, active: bool) -> bool:
        """Switch an account on or off; switching off ends its sessions and unused links at once."""
        with self.sessions.begin() as session:
            changed = session.execute(update(Volunteer).where(Volunteer.id == volunteer_id).values(active=active)).rowcount
            if not active:
                session.execute(delete(ReviewSession).where(ReviewSession.volunteer_id == volunteer_id))
                session.execute(delete(AccountLink).where(AccountLink.volunteer_id == volunteer_id))
            return bool(changed)

    def clear_password(self, volunteer_id: int) -> None:
        """Make the password unusable and end every session (a reset: the old password must stop working)."""
        with self.sessions.begin() as session:
            session.execute(update(Volunteer).where(Volunteer.id == volunteer_id).values(password_hash=""))
            session.execute(delete(ReviewSession).where(ReviewSession.volunteer_id == volunteer_id))


@dataclass(frozen=True)
class LiveSession:
    """A valid session joined to its volunteer."""

    csrf_token: str
    volunteer_id: int
    display_name: str
    role: str

    @property
    def is_coordinator(self) -> bool:
        """Return True for coordinators."""
        return self.role == "coordinator"


class ReviewSessionRepository:
    """Issue, look up and end dashboard sessions."""

    def __init__(
        self, sessions: "sessionmaker[Session]", secret_key: str, idle: dt.timedelta = IDLE_TIMEOUT,
        max_age: dt.timedelta = MAX_AGE, clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.sessions = sessions
        self._key = secret_key.encode("utf-8")
        self.idle = idle
        self.max_age = max_age
        self.clock = clock

    def key_hash(self, token: str) -> str:
        """Return the keyed hash stored in place of a session token."""
        return hmac.new(self._key, ("review-session:" + token).encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()

    def create(self, volunteer_id: int) -> Tuple[str, str]:
        """Start a session; return (cookie token, CSRF token). The token is never stored."""
        now = self.clock()
        token, csrf = secrets.token_urlsafe(TOKEN_BYTES), secrets.token_urlsafe(TOKEN_BYTES)
        with self.sessions.begin() as session:
            session.add(ReviewSession(
                id=self.key_hash(token), volunteer_id=volunteer_id, csrf_token=csrf,
                created_at=now, last_seen=now, expires=now + self.max_age,
            ))
        return token, csrf

    def lookup(self, token: str) -> Optional[LiveSession]:
        """Return the live session for a cookie token and mark it used, or None."""
        now = self.clock()
        with self.sessions.begin() as session:
            row = session.get(ReviewSession, self.key_hash(token))
            if row is None:
                return None
            volunteer = session.get(Volunteer, row.volunteer_id)
            if volunteer is None or not volunteer.active or now >= row.expires or now - row.last_seen > self.idle:
                session.delete(row)
                return None
            row.last_seen = now
            return LiveSession(str(row.csrf_token), int(volunteer.id), str(volunteer.display_name), str(volunteer.role))

    def end(self, token: str) -> None:
        """Delete a session (logout, or renewal at login)."""
        with self.sessions.begin() as session:
            session.execute(delete(ReviewSession).where(ReviewSession.id == self.key_hash(token)))

    def end_all(self, volunteer_id: int, keep: Optional[str] = None) -> int:
        """Delete every session of an account except the one with token `keep`; return how many went."""
        query = delete(ReviewSession).where(ReviewSession.volunteer_id == volunteer_id)
        if keep:
            query = query.where(ReviewSession.id != self.key_hash(keep))
        with self.sessions.begin() as session:
            return int(session.execute(query).rowcount or 0)

    def purge_expired(self) -> int:
        """Delete expired sessions; return how many went."""
        now = self.clock()
        with self.sessions.begin() as session:
            result = session.execute(delete(ReviewSession).where(
                (ReviewSession.expires <= now) | (ReviewSession.last_seen < now - self.idle)
            ))
            return int(result.rowcount or 0)
