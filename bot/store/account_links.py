"""Single-use links that let a volunteer choose their own password (after an invitation or a reset).

Threat: a coordinator who sees or sends a volunteer's password can act as
that volunteer, and a password passed on by hand is rarely changed
(security review F3). A link that sets a password is as good as one, so it
must work once, not for long, and not from a copy of the database.

Design: the link carries a random 256-bit token; the table keeps only its
keyed hash (HMAC-SHA256 with the secret key) and an expiry. Redeeming it is
one conditional UPDATE (unused and unexpired), so two uses race safely and
only one wins; in the same transaction the password is set and every
session of the account ends. Issuing a link removes the account's other
unused links, so only the newest works.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Callable, Optional

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.store.models import Base, utcnow

PURPOSES = ("invite", "reset")
TOKEN_BYTES = 32


class AccountLink(Base):
    """A link that lets one volunteer set their password once, before it expires."""

    __tablename__ = "volunteer_links"

    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), unique=True, nullable=False)
    volunteer_id = Column(Integer, ForeignKey("volunteers.id", ondelete="CASCADE"), nullable=False, index=True)
    purpose = Column(String(16), nullable=False)
    created_by = Column(Integer, nullable=True)  # the coordinator; None when made with the CLI
    created_at = Column(DateTime, nullable=False, default=utcnow)
    expires_at = Column(DateTime, nullable=False, index=True)
    used_at = Column(DateTime, nullable=True)


@dataclass(frozen=True)
class LinkHolder:
    """Whom a valid link belongs to."""

    volunteer_id: int
    purpose: str
    expires_at: dt.datetime


class AccountLinkRepository:
    """Issue, check and redeem password links."""

    def __init__(self, sessions: "sessionmaker[Session]", secret_key: str,
                 clock: Callable[[], dt.datetime] = utcnow) -> None:
        self.sessions = sessions
        self._key = secret_key.encode("utf-8")
        self.clock = clock

    def key_hash(self, token: str) -> str:
        """Return the keyed hash stored in place of a link's token."""
        return hmac.new(self._key, ("account-link:" + token).encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()

    def issue(self, volunteer_id: int, purpose: str, ttl: dt.timedelta, created_by: Optional[int]) -> str:
        """Make a link for the account, replacing its unused ones; return the token (never stored)."""
        if purpose not in PURPOSES:
            raise ValueError(f"purpose must be one of {PURPOSES}")
        token, now = secrets.token_urlsafe(TOKEN_BYTES), self.clock()
        with self.sessions.begin() as session:
            session.execute(delete(AccountLink).where(
                AccountLink.volunteer_id == volunteer_id, AccountLink.used_at.is_(None)))
            session.add(AccountLink(token_hash=self.key_hash(token), volunteer_id=volunteer_id, purpose=purpose,
                                    created_by=created_by, created_at=now, expires_at=now + ttl))
        return token

    def holder(self, token: str) -> Optional[LinkHolder]:
        """Return whose unused, unexpired link this is, or None."""
        with self.sessions() as session:
            row = session.execute(select(AccountLink).where(
                AccountLink.token_hash == self.key_hash(token), AccountLink.used_at.is_(None),
                AccountLink.expires_at > self.clock(),
            )).scalar_one_or_none()
            return LinkHolder(int(row.volunteer_id), str(row.purpose), row.expires_at) if row else None

    def redeem(self, token: str, password_hash: str) -> Optional[LinkHolder]:
        """Use the link to set the password and end every session, at most once; None if it cannot be used."""
        from bot.store.volunteers import ReviewSession, Volunteer  # that module imports this one

        now = self.clock()
        with self.sessions.begin() as session:
            row = session.execute(select(AccountLink).where(
                AccountLink.token_hash == self.key_hash(token), AccountLink.used_at.is_(None),
                AccountLink.expires_at > now,
            )).scalar_one_or_none()
            volunteer = session.get(Volunteer, row.volunteer_id) if row is not None else None
            if row is None or volunteer is None or not volunteer.active:
                return None
            used = session.execute(update(AccountLink).where(AccountLink.id == row.id, AccountLink.used_at.is_(None))
                                   .values(used_at=now)).rowcount
            if used != 1:  # another request redeemed it first
                return None
            volunteer.password_hash = password_hash
            session.execute(delete(ReviewSession).where(ReviewSession.volunteer_id == row.volunteer_id))
            return LinkHolder(int(row.volunteer_id), str(row.purpose), row.expires_at)

    def purge_stale(self) -> int:
        """Delete links that have expired (used or not); return how many went."""
        with self.sessions.begin() as session:
            return int(session.execute(delete(AccountLink).where(AccountLink.expires_at <= self.clock())).rowcount or 0)
