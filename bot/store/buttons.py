"""Server-side store for what an inline button does when tapped.

Telegram allows only 64 bytes of callback data, and whatever a chat client
sends back must not be trusted as a Rasa payload. So each button gets a short
random id, and the payload it stands for is kept here, tied to the keyed
conversation reference, so a tap is honoured only in the conversation that was
offered the button. Rows are erased by /forget and by age.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Optional

from sqlalchemy import Column, DateTime, String, Text, delete, select
from sqlalchemy.orm import Session, sessionmaker

from bot.store.models import Base, utcnow

KIND_RASA = "rasa"
KIND_FEEDBACK = "feedback"
KIND_REMIND = "remind"  # payload: the deadline to remind of (`rule|YYYY-MM-DD`)
KIND_CANCEL = "cancel_reminder"  # payload: the id of the reminder to cancel


class ButtonPayload(Base):
    """What one offered button does: a Rasa payload or the kb id of a feedback vote."""

    __tablename__ = "button_payload"

    id = Column(String(16), primary_key=True)
    conversation_ref = Column(String(64), nullable=False, index=True)
    kind = Column(String(16), nullable=False)
    payload = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)


class ButtonRepository:
    """Store button payloads and look them up for the conversation that was offered them."""

    def __init__(self, sessions: "sessionmaker[Session]") -> None:
        self.sessions = sessions

    def add(self, conversation_ref: str, payload: str, kind: str = KIND_RASA,
            created_at: Optional[dt.datetime] = None) -> str:
        """Store a payload and return the short id to put in the button."""
        button_id = secrets.token_urlsafe(8)
        with self.sessions.begin() as session:
            session.add(ButtonPayload(
                id=button_id, conversation_ref=conversation_ref, kind=kind, payload=payload,
                created_at=created_at or utcnow(),
            ))
        return button_id

    def get(self, button_id: str, conversation_ref: str, kind: str = KIND_RASA) -> Optional[str]:
        """Return the payload behind a button id, or None if unknown, expired or offered elsewhere."""
        query = select(ButtonPayload.payload).where(
            ButtonPayload.id == button_id,
            ButtonPayload.conversation_ref == conversation_ref,
            ButtonPayload.kind == kind,
        )
        with self.sessions() as session:
            return session.execute(query).scalar_one_or_none()

    def delete_conversation(self, conversation_ref: str) -> int:
        """Erase one conversation's buttons; return how many rows went."""
        with self.sessions.begin() as session:
            result = session.execute(delete(ButtonPayload).where(ButtonPayload.conversation_ref == conversation_ref))
            return int(result.rowcount or 0)

    def purge_before(self, cutoff: dt.datetime) -> int:
        """Delete buttons offered before the cutoff; return how many rows went."""
        with self.sessions.begin() as session:
            result = session.execute(delete(ButtonPayload).where(ButtonPayload.created_at < cutoff))
            return int(result.rowcount or 0)
