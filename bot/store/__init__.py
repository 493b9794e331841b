"""Storage: SQLAlchemy models and one repository class per aggregate."""

from bot.store.db import make_engine, make_session_factory
from bot.store.escalations import EscalationRepository, TransitionError
from bot.store.feedback import FeedbackRepository
from bot.store.unanswered import UnansweredRecord, UnansweredRepository
from bot.store.web_sessions import WebSessionRepository

__all__ = [
    "make_engine", "make_session_factory", "EscalationRepository", "TransitionError", "FeedbackRepository",
    "UnansweredRecord", "UnansweredRepository", "WebSessionRepository",
]
