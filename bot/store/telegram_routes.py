"""Where to send a volunteer's answer in Telegram: conversation id -> chat id, kept only while needed.

Everything else the project stores about a Telegram chat uses a keyed hash,
because nothing needs the chat id back. A volunteer's answer does: it arrives
after the conversation has gone quiet and must be sent to the chat. So when a
parent hands a question over, the bridge keeps the chat id against the Rasa
conversation id, and deletes it as soon as nothing is waiting for that
conversation (no open question and no undelivered answer), on /forget, and
in the retention purge.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import BigInteger, Column, DateTime, String, and_, delete, exists, select
from sqlalchemy.orm import Session, sessionmaker

from bot.store.escalations import WAITING, Delivery, Escalation
from bot.store.models import Base, utcnow


class TelegramRoute(Base):
    """The chat a conversation's volunteer answers go to."""

    __tablename__ = "telegram_routes"

    conversation_id = Column(String(64), primary_key=True)  # the Rasa sender id (a keyed hash)
    chat_id = Column(BigInteger, nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)


class TelegramRouteRepository:
    """Remember, look up and forget the chat for a conversation."""

    def __init__(self, sessions: "sessionmaker[Session]") -> None:
        self.sessions = sessions

    def remember(self, conversation_id: str, chat_id: int) -> None:
        """Keep the chat id for a conversation that has handed a question over."""
        with self.sessions.begin() as session:
            row = session.get(TelegramRoute, conversation_id)
            if row is None:
                session.add(TelegramRoute(conversation_id=conversation_id, chat_id=chat_id, created_at=utcnow()))
            else:
                row.chat_id, row.created_at = chat_id, utcnow()

    def chat_for(self, conversation_id: str) -> Optional[int]:
        """Return the chat id for a conversation, or None if there is no route."""
        with self.sessions() as session:
            row = session.get(TelegramRoute, conversation_id)
            return int(row.chat_id) if row is not None else None

    def forget(self, conversation_id: str) -> int:
        """Delete a conversation's route; return how many rows went."""
        with self.sessions.begin() as session:
            return int(session.execute(
                delete(TelegramRoute).where(TelegramRoute.conversation_id == conversation_id)
            ).rowcount or 0)

    def prune(self) -> int:
        """Delete every route whose conversation has no waiting question and no undelivered answer."""
        waiting = exists().where(and_(
            Escalation.conversation_id == TelegramRoute.conversation_id,
            Escalation.state.in_(WAITING + ("claimed",)),
        ))
        undelivered = exists().where(and_(
            Delivery.conversation_id == TelegramRoute.conversation_id, Delivery.delivered_at.is_(None),
        ))
        with self.sessions.begin() as session:
            stale = select(TelegramRoute.conversation_id).where(~waiting, ~undelivered)
            ids = list(session.execute(stale).scalars())
            if not ids:
                return 0
            return int(session.execute(
                delete(TelegramRoute).where(TelegramRoute.conversation_id.in_(ids))
            ).rowcount or 0)

    def purge_before(self, cutoff: dt.datetime) -> int:
        """Delete routes kept since before the cutoff; return how many rows went."""
        with self.sessions.begin() as session:
            return int(session.execute(delete(TelegramRoute).where(TelegramRoute.created_at < cutoff)).rowcount or 0)
