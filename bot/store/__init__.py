"""Storage: SQLAlchemy models and one repository class per aggregate."""

from bot.store.db import make_engine, make_session_factory
from bot.store.feedback import FeedbackRepository
from bot.store.unanswered import UnansweredRecord, UnansweredRepository

__all__ = ["make_engine", "make_session_factory", "FeedbackRepository", "UnansweredRecord", "UnansweredRepository"]
