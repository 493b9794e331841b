"""The dashboard's audit log: append-only in the database itself, searchable by action, person and date.

Threat: the log is what shows who read which parent's question, so it is
only worth something if no one can quietly change it: not a bug in our
code, not a request that reaches SQL, not a volunteer with the dashboard's
database login. Design: the application has no update or delete, and the
database refuses both with a trigger (SQLite: BEFORE UPDATE/DELETE raising
ABORT; PostgreSQL: a statement trigger on UPDATE, DELETE and TRUNCATE). The
triggers are created with the table (`after_create`), and `APPEND_ONLY_DDL`
holds the same statements for a migration to run on existing databases.
Dropping the table (a deliberate schema change) is still possible.

Rows hold ids, states, counts, a keyed hash of a typed login email and a
truncated client address; never message text. The retention policy keeps
the audit log (README, bot/ops/purge.py), so nothing needs to delete rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

from sqlalchemy import JSON, DDL, Column, DateTime, Integer, String, and_, event, func, or_, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from bot.store.models import Base, utcnow

TABLE = "review_audit_log"
APPEND_ONLY_DDL: Dict[str, Tuple[str, ...]] = {
    "sqlite": (
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only'); END",
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only'); END",
    ),
    "postgresql": (
        f"CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{TABLE} is append-only'; END $$",
        f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
        f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON {TABLE} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_append_only()",
    ),
}


class AuditLog(Base):
    """One thing done in the dashboard. Append-only; holds ids and counts, never message text."""

    __tablename__ = TABLE

    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False, default=utcnow, index=True)
    volunteer_id = Column(Integer, nullable=True, index=True)
    action = Column(String(32), nullable=False, index=True)
    target_type = Column(String(32), nullable=True)
    target_id = Column(String(64), nullable=True)
    detail = Column(JSON, nullable=False, default=dict)


for _dialect, _statements in APPEND_ONLY_DDL.items():
    for _statement in _statements:
        event.listen(AuditLog.__table__, "after_create", DDL(_statement).execute_if(dialect=_dialect))


@dataclass(frozen=True)
class AuditQuery:
    """Which rows to show: all of them unless narrowed."""

    action: str = ""
    volunteer_id: Optional[int] = None
    volunteer_email_hash: str = ""  # failed logins typed this account's email
    since: Optional[dt.datetime] = None
    until: Optional[dt.datetime] = None  # exclusive

    def where(self) -> List[ColumnElement]:
        """Return the SQL conditions for this query."""
        conditions: List[ColumnElement] = []
        if self.action:
            conditions.append(AuditLog.action == self.action)
        if self.volunteer_id is not None:
            about = [AuditLog.volunteer_id == self.volunteer_id,
                     and_(AuditLog.target_type == "volunteer", AuditLog.target_id == str(self.volunteer_id))]
            if self.volunteer_email_hash:
                about.append(and_(AuditLog.target_type == "account", AuditLog.target_id == self.volunteer_email_hash))
            conditions.append(or_(*about))
        if self.since is not None:
            conditions.append(AuditLog.at >= self.since)
        if self.until is not None:
            conditions.append(AuditLog.at < self.until)
        return conditions


class AuditRepository:
    """Append to and read the audit log. There is deliberately no update or delete."""

    def __init__(self, sessions: "sessionmaker[Session]") -> None:
        self.sessions = sessions

    def record(
        self, volunteer_id: Optional[int], action: str, target_type: Optional[str] = None,
        target_id: Optional[Any] = None, **detail: Any,
    ) -> None:
        """Append one row; detail holds ids, states and counts only."""
        with self.sessions.begin() as session:
            session.add(AuditLog(
                volunteer_id=volunteer_id, action=action[:32], target_type=target_type,
                target_id=None if target_id is None else str(target_id)[:64], detail=detail,
            ))

    def latest(self, limit: int = 200) -> List[AuditLog]:
        """Return the newest rows first."""
        return self.search(AuditQuery(), limit=limit)

    def search(self, query: AuditQuery, before: Optional[int] = None, limit: int = 50) -> List[AuditLog]:
        """Return up to `limit` matching rows older than row `before`, newest first."""
        statement = select(AuditLog).where(*query.where())
        if before is not None:
            statement = statement.where(AuditLog.id < before)
        with self.sessions() as session:
            return list(session.execute(statement.order_by(AuditLog.id.desc()).limit(limit)).scalars())

    def count(self, query: AuditQuery) -> int:
        """Return how many rows match."""
        with self.sessions() as session:
            return int(session.execute(select(func.count(AuditLog.id)).where(*query.where())).scalar_one())

    def actions(self) -> List[str]:
        """Return every action that has been recorded, for the filter."""
        with self.sessions() as session:
            return sorted(str(a) for a in session.execute(select(AuditLog.action).distinct()).scalars())
