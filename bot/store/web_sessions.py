"""Widget conversations: server-issued ids and the button payloads offered in each.

The raw conversation id is a bearer secret held only by the parent's browser.
The table keeps a keyed hash of it (HMAC-SHA256 with the secret key), so a
copy of the database cannot be used to continue, read or erase anyone's
conversation. A conversation unused for `idle` (24 hours) is expired.

Every button payload the server returns is recorded (as a SHA-256 digest) so
that only those can come back as `payload`; see bot/web/security.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Callable, Iterable, Optional

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, UniqueConstraint, bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.store.models import Base, utcnow

IDLE_TIMEOUT = dt.timedelta(hours=24)
TOUCH_EVERY = dt.timedelta(minutes=1)  # last_seen is rewritten at most this often
MAX_OFFERED = 200  # payloads remembered per conversation; the oldest go first
ID_BYTES = 32  # 256 bits; token_urlsafe(32) is 43 characters


class WebSession(Base):
    """A widget conversation, known only by a keyed hash of its id."""

    __tablename__ = "web_session"

    id = Column(Integer, primary_key=True)
    key_hash = Column(String(64), unique=True, nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    last_seen = Column(DateTime, nullable=False, default=utcnow, index=True)


class OfferedPayload(Base):
    """A button payload the server returned in one widget conversation."""

    __tablename__ = "web_offered_payload"
    __table_args__ = (UniqueConstraint("session_id", "digest"),)

    id = Column(Integer, primary_key=True)
    session_id = Column(Integer, ForeignKey("web_session.id", ondelete="CASCADE"), nullable=False, index=True)
    digest = Column(String(64), nullable=False)


def session_key_hash(secret_key: bytes, conversation_id: str) -> str:
    """Return the keyed hash a widget conversation's row is known by (never the id itself)."""
    message = ("web-session:" + conversation_id).encode("utf-8", "surrogatepass")
    return hmac.new(secret_key, message, hashlib.sha256).hexdigest()


def payload_digest(payload: str) -> str:
    """Return the fixed-length digest a payload is stored as."""
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


# The statements run on every chat message, built once: SQLAlchemy then reuses each one's cache
# key and compiled form, where building them per call cost more CPU than SQLite itself.
_sessions, _offered = WebSession.__table__, OfferedPayload.__table__
_FIND = select(_sessions.c.id, _sessions.c.last_seen).where(_sessions.c.key_hash == bindparam("key_hash"))
_FIND_AND_CHECK = _FIND.add_columns(select(_offered.c.id).where(
    _offered.c.session_id == _sessions.c.id, _offered.c.digest == bindparam("digest")
).exists())
_TOUCH = update(_sessions).where(_sessions.c.id == bindparam("row_id")).values(last_seen=bindparam("now"))
_DIGESTS = select(_offered.c.digest).where(_offered.c.session_id == bindparam("session_id"))
_ADD = _offered.insert()
_WAS_OFFERED = select(_offered.c.id).where(
    _offered.c.session_id == bindparam("session_id"), _offered.c.digest == bindparam("digest")
)


@dataclass(frozen=True)
class Visit:
    """A live conversation's row id, and whether the payload asked about was offered in it."""

    session_id: int
    offered: bool


class WebSessionRepository:
    """Issue, look up, expire and delete widget conversations."""

    def __init__(
        self, sessions: "sessionmaker[Session]", secret_key: str,
        idle: dt.timedelta = IDLE_TIMEOUT, clock: Callable[[], dt.datetime] = utcnow,
        touch_every: dt.timedelta = TOUCH_EVERY,
    ) -> None:
        self.sessions = sessions
        self._key = secret_key.encode("utf-8")
        self.idle = idle
        self.clock = clock
        self.touch_every = touch_every

    def key_hash(self, conversation_id: str) -> str:
        """Return the keyed hash stored in place of a conversation id."""
        return session_key_hash(self._key, conversation_id)

    def create(self) -> str:
        """Start a conversation and return its new random id (shown once, never stored)."""
        now = self.clock()
        for _ in range(3):
            conversation_id = secrets.token_urlsafe(ID_BYTES)
            try:
                with self.sessions.begin() as session:
                    session.add(WebSession(key_hash=self.key_hash(conversation_id), created_at=now, last_seen=now))
                return conversation_id
            except IntegrityError:  # a 256-bit collision; never expected, but never reuse an id
                continue
        raise RuntimeError("could not issue a unique conversation id")

    def touch(self, conversation_id: str) -> Optional[int]:
        """Return the session's row id and mark it used, or None if unknown or expired."""
        visit = self.visit(conversation_id)
        return None if visit is None else visit.session_id

    def visit(self, conversation_id: str, payload: Optional[str] = None) -> Optional[Visit]:
        """Mark the session used and check a payload against it; None if unknown or expired."""
        now = self.clock()
        params = {"key_hash": self.key_hash(conversation_id)}
        if payload is not None:  # checked in the same query: one round trip for a button press
            params["digest"] = payload_digest(payload)
        with self.sessions() as session:
            row = session.execute(_FIND if payload is None else _FIND_AND_CHECK, params).first()
            if row is None or now - row.last_seen > self.idle:
                return None
            if now - row.last_seen >= self.touch_every:
                session.execute(_TOUCH, {"row_id": row.id, "now": now})
                session.commit()
            return Visit(int(row.id), payload is not None and bool(row[2]))

    def exists(self, conversation_id: str) -> bool:
        """Return True while the conversation's row exists, expired or not (erasure still works)."""
        with self.sessions() as session:
            found = session.execute(
                select(WebSession.id).where(WebSession.key_hash == self.key_hash(conversation_id))
            ).scalar_one_or_none()
        return found is not None

    def offer(self, session_id: int, payloads: Iterable[str]) -> None:
        """Record payloads the server has just returned, keeping the newest MAX_OFFERED."""
        digests = {payload_digest(p) for p in payloads}
        if not digests:
            return
        with self.sessions() as session:
            known = set(session.execute(_DIGESTS, {"session_id": session_id}).scalars())
            new = sorted(digests - known)
            if not new:  # the same buttons again: nothing to write
                return
            session.execute(_ADD, [{"session_id": session_id, "digest": d} for d in new])
            if len(known) + len(new) > MAX_OFFERED:
                oldest = select(OfferedPayload.id).where(OfferedPayload.session_id == session_id).order_by(
                    OfferedPayload.id
                ).limit(len(known) + len(new) - MAX_OFFERED)
                session.execute(
                    delete(OfferedPayload).where(OfferedPayload.id.in_(oldest.scalar_subquery())),
                    execution_options={"synchronize_session": False},
                )
            session.commit()

    def was_offered(self, session_id: int, payload: str) -> bool:
        """Return True if the server returned this payload in this conversation."""
        with self.sessions() as session:
            found = session.execute(_WAS_OFFERED, {"session_id": session_id, "digest": payload_digest(payload)}).first()
        return found is not None

    def delete(self, conversation_id: str) -> bool:
        """Remove a conversation and its offered payloads; return False if it was not there."""
        with self.sessions.begin() as session:
            row_id = session.execute(
                select(WebSession.id).where(WebSession.key_hash == self.key_hash(conversation_id))
            ).scalar_one_or_none()
            if row_id is None:
                return False
            session.execute(delete(OfferedPayload).where(OfferedPayload.session_id == row_id))
            session.execute(delete(WebSession).where(WebSession.id == row_id))
            return True

    def purge_idle(self, cutoff: dt.datetime) -> int:
        """Delete conversations last used before the cutoff; return how many went."""
        with self.sessions.begin() as session:
            stale = select(WebSession.id).where(WebSession.last_seen < cutoff).scalar_subquery()
            session.execute(
                delete(OfferedPayload).where(OfferedPayload.session_id.in_(stale)),
                execution_options={"synchronize_session": False},
            )
            return int(session.execute(delete(WebSession).where(WebSession.last_seen < cutoff)).rowcount or 0)
