"""Build the shared services once, on first use (never at import)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from bot.conversation.decide import Decider
from bot.knowledge.entries import KnowledgeBase, load_kb
from bot.knowledge.follow_ups import load_follow_ups
from bot.knowledge.messages import Messages, load_messages
from bot.settings import Settings, load_settings
from bot.store import EscalationRepository, UnansweredRepository, make_engine, make_session_factory
from bot.store.evidence import EvidenceRepository
from bot.store.unanswered_groups import UnansweredGroupRepository
from bot.store.spool import Spool
from bot.unanswered.logger import UnansweredLogger

log = logging.getLogger(__name__)


@dataclass
class Services:
    """What the actions need: settings, knowledge, wording and storage."""

    settings: Settings
    kb: KnowledgeBase
    messages: Messages
    unanswered: UnansweredLogger
    decider: Decider

    def escalations(self) -> EscalationRepository:
        """Return the escalation repository (connecting on first use; raises if the database is down)."""
        return EscalationRepository(_sessions(self.settings.database_url))

    def evidence(self) -> EvidenceRepository:
        """Return the evidence report's counters (connecting on first use; raises if the database is down)."""
        return EvidenceRepository(_sessions(self.settings.database_url))

    def groups(self) -> UnansweredGroupRepository:
        """Return coordinators' decisions about unanswered groups (connecting on first use; raises if down)."""
        return UnansweredGroupRepository(_sessions(self.settings.database_url))


@lru_cache(maxsize=4)
def _sessions(url: str) -> "sessionmaker[Session]":
    return make_session_factory(make_engine(url))


def ping_database(url: str) -> None:
    """Run SELECT 1 on the actions' database (raises if it cannot be reached)."""
    with _sessions(url)() as session:
        session.execute(text("SELECT 1"))


def build_services(settings: Settings) -> Services:
    """Load the knowledge base and connect storage; storage may be down."""
    kb = load_kb(settings.knowledge_dir, settings.area, stale_days=settings.kb_stale_days)
    for warning in kb.warnings:
        log.warning("knowledge base: %s", warning)

    def connect() -> UnansweredRepository:
        # One engine per database for the whole action server, shared with the escalations.
        return UnansweredRepository(_sessions(settings.database_url))

    repository: Optional[UnansweredRepository]
    try:
        repository = connect()
    except Exception as exc:  # noqa: BLE001 - answers must still flow without a database
        log.warning("database unavailable at start (%s); unanswered records will be spooled", exc.__class__.__name__)
        repository = None
    spool = Spool(settings.spool_dir / "unanswered.jsonl")
    logger = UnansweredLogger(repository, spool, settings.secret_key, connect=connect)
    decider = Decider(load_follow_ups(settings.knowledge_dir, kb), kb.entries)
    return Services(settings, kb, load_messages(settings.knowledge_dir, forum=kb.forum), logger, decider)


@lru_cache(maxsize=1)
def get_services() -> Services:
    """Return the process-wide services, building them on first call."""
    return build_services(load_settings())
