"""Delete data older than the retention period (`python -m bot purge`).

Parents' messages are special-category data, so nothing about a
conversation is kept longer than the service needs it. After
`retention_days` (default 90) the purge removes: escalations with their
handover packets and answers, the delivery outbox, unanswered-log rows,
feedback, stored button payloads, volunteer-answer routes (they hold a chat
id), idle widget sessions and Rasa's stored events. Telegram reminders are
kept until their date and deleted once it has passed.
Volunteer accounts and the audit log (which holds no message text) are kept;
expired dashboard sessions and expired password links go too.
"""

from __future__ import annotations

import datetime as dt
from typing import Dict, Optional

from sqlalchemy import MetaData, Table, delete, inspect

from bot.settings import Settings
from bot.store import EscalationRepository, make_engine, make_session_factory
from bot.store.account_links import AccountLinkRepository
from bot.store.db import compact_after_erasure
from bot.store.buttons import ButtonPayload  # noqa: F401  (registers its table for the purge)
from bot.store.models import Base, utcnow
from bot.store.reminders import Reminder
from bot.store.telegram_routes import TelegramRoute  # noqa: F401  (registers its table for the purge)
from bot.store.volunteers import ReviewSessionRepository
from bot.store.web_sessions import WebSessionRepository

# Tables whose rows are removed by their created_at date (escalations have their own rule).
BY_CREATED_AT = ("unanswered_log", "feedback", "button_payload", "telegram_routes")
TRACKER_TABLE = "events"


def purge(settings: Settings, now: Optional[dt.datetime] = None) -> Dict[str, int]:
    """Delete everything older than the retention period; return counts per table."""
    cutoff = (now or utcnow()) - dt.timedelta(days=settings.retention_days)
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    counts: Dict[str, int] = {
        "escalations": EscalationRepository(sessions).purge_before(cutoff),
        "web_session": WebSessionRepository(sessions, settings.secret_key).purge_idle(cutoff),
        "review_sessions": ReviewSessionRepository(sessions, settings.secret_key).purge_expired(),
        "volunteer_links": AccountLinkRepository(sessions, settings.secret_key, clock=lambda: now or utcnow()).purge_stale(),
    }
    with engine.begin() as connection:
        for name in BY_CREATED_AT:
            table = Base.metadata.tables.get(name)
            if table is not None:
                counts[name] = int(connection.execute(delete(table).where(table.c.created_at < cutoff)).rowcount or 0)
        # A reminder is kept until its date (which may be more than the retention period away), never after.
        reminders = Reminder.__table__
        today = (now or utcnow()).date()
        counts["telegram_reminders"] = int(connection.execute(delete(reminders).where(reminders.c.due < today)).rowcount or 0)
    compact_after_erasure(engine)  # no copy of the purged rows left in a WAL file
    engine.dispose()
    counts["tracker_events"] = _purge_tracker(settings.tracker_url, cutoff)
    return counts


def _purge_tracker(tracker_url: str, cutoff: dt.datetime) -> int:
    engine = make_engine(tracker_url, create_schema=False)
    try:
        if not inspect(engine).has_table(TRACKER_TABLE):
            return 0
        events = Table(TRACKER_TABLE, MetaData(), autoload_with=engine)
        epoch = cutoff.replace(tzinfo=dt.timezone.utc).timestamp()
        with engine.begin() as connection:
            deleted = int(connection.execute(delete(events).where(events.c.timestamp < epoch)).rowcount or 0)
        compact_after_erasure(engine)
        return deleted
    finally:
        engine.dispose()
