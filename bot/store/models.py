"""SQLAlchemy models. Text columns hold redacted text only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Column, DateTime, Integer, String, Text
from sqlalchemy.orm import declarative_base

Base: Any = declarative_base()  # SQLAlchemy 1.4's declarative base has no static type

UNANSWERED_STATUSES = ("new", "reviewed", "answered-by-kb")


def utcnow() -> dt.datetime:
    """Return the current time in UTC, without tzinfo (portable across databases)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class UnansweredLog(Base):
    """A question the assistant could not answer, kept so the KB can grow."""

    __tablename__ = "unanswered_log"

    id = Column(Integer, primary_key=True)
    record_key = Column(String(36), unique=True, nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)
    channel = Column(String(32), nullable=False)
    reason = Column(String(32), nullable=False)
    text_redacted = Column(Text, nullable=False)
    intents = Column(JSON, nullable=False)
    conversation_ref = Column(String(64), nullable=False, index=True)
    status = Column(String(16), nullable=False, default="new")


class Feedback(Base):
    """A thumbs up or down on one answer. Holds no message text."""

    __tablename__ = "feedback"

    id = Column(Integer, primary_key=True)
    record_key = Column(String(36), unique=True, nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)
    kb_id = Column(String(64), nullable=False, index=True)
    helpful = Column(Boolean, nullable=False)
    channel = Column(String(32), nullable=False)
    conversation_ref = Column(String(64), nullable=False, index=True)
