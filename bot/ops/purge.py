"""Delete data older than the retention period (`python -m bot purge`).

Parents' messages are special-category data, so nothing about a
conversation is kept longer than the service needs it. What goes, and when,
is the list in bot/personal_data.py: after `retention_days` (default 90)
escalations with their delivery outbox, unanswered-log rows, feedback,
stored button payloads, volunteer-answer routes (they hold a chat id), idle
widget sessions and Rasa's stored events; Telegram reminders once their date
has passed (however long ago they were set); expired dashboard sessions and
password links. Volunteer accounts and the audit log (which holds no message
text) are kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Dict, Optional

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.schema import Table

from bot.personal_data import BY_TABLE, HOLDINGS, Holding, Rule, table_for
from bot.settings import Settings
from bot.store import make_engine
from bot.store.db import compact_after_erasure
from bot.store.models import utcnow
from bot.store.registry import metadata
from bot.store.volunteers import IDLE_TIMEOUT as DASHBOARD_IDLE


def purge(settings: Settings, now: Optional[dt.datetime] = None) -> Dict[str, int]:
    """Delete everything past its retention rule; return how many rows went, per holding."""
    now = now or utcnow()
    cutoff = now - dt.timedelta(days=settings.retention_days)
    counts: Dict[str, int] = {}
    for url, tracker in ((settings.database_url, False), (settings.tracker_url, True)):
        engine = make_engine(url, create_schema=not tracker)
        try:
            for holding in (h for h in HOLDINGS if h.tracker == tracker):
                with engine.begin() as connection:  # a transaction per table keeps each lock short
                    counts[holding.name] = _purge(connection, holding, cutoff, now)
            compact_after_erasure(engine)  # no copy of the purged rows left in a WAL file
        finally:
            engine.dispose()
    return counts


def _purge(connection: Connection, holding: Holding, cutoff: dt.datetime, now: dt.datetime) -> int:
    table = table_for(holding, connection)
    if table is None:
        return 0
    return int(connection.execute(delete(table).where(expired(holding, table, cutoff, now))).rowcount or 0)


def expired(holding: Holding, table: Table, cutoff: dt.datetime, now: dt.datetime) -> ColumnElement:
    """Return the condition selecting the holding's rows that its retention rule says must go."""
    clock = table.c[holding.clock]
    if holding.rule is Rule.OLDER:
        return clock < cutoff
    if holding.rule is Rule.DATE_PASSED:
        return clock < now.date()
    if holding.rule is Rule.EPOCH_OLDER:
        return clock < cutoff.replace(tzinfo=dt.timezone.utc).timestamp()
    if holding.rule is Rule.EXPIRED:
        return clock <= now
    if holding.rule is Rule.SESSION_EXPIRED:
        return (clock <= now) | (table.c.last_seen < now - DASHBOARD_IDLE)
    assert holding.rule is Rule.WITH_PARENT, holding.rule
    parent = metadata.tables[holding.parent]
    return clock.in_(select(parent.c.id).where(expired(BY_TABLE[holding.parent], parent, cutoff, now)))
