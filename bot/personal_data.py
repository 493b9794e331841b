"""The one list of what is kept about a conversation, for how long, and how it is erased.

Parents' messages are special-category (health) data. HOLDINGS names every
table holding personal data: the column tying each row to a conversation,
what that column holds, and when the retention purge deletes the row.
Erasure (`forget_conversation`: /forget in Telegram, "Delete my
conversation" in the widget) and the purge (bot/ops/purge.py) both read it,
so a table cannot be covered by one and missed by the other. A new table is
either listed here or in NOT_CONVERSATION_DATA, with the reason:
tests/bot/test_personal_data.py fails otherwise, and when a model has a
column that looks like a conversation link and is not listed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Callable, Dict, Optional, Tuple

from sqlalchemy import MetaData, Table, delete, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from bot.safety.privacy import conversation_ref
from bot.store import make_engine
from bot.store.db import compact_after_erasure
from bot.store.escalations import withdraw
from bot.store.registry import metadata
from bot.store.web_sessions import session_key_hash


class Link(enum.Enum):
    """What a holding's key column holds."""

    SENDER_ID = "the Rasa sender id (itself a keyed hash of the Telegram chat or widget conversation)"
    CONVERSATION_REF = "conversation_ref(secret key, sender id), a keyed hash of the sender id"
    WIDGET_KEY = "a keyed hash of the widget's conversation id (session_key_hash)"
    PARENT = "the id of a row of the parent holding"
    NONE = "nothing: the rows are not tied to one conversation"


class Rule(enum.Enum):
    """When the retention purge deletes a row."""

    OLDER = "when `clock` is older than the retention period"
    DATE_PASSED = "once the date in `clock` has passed, however long ago it was set"
    EPOCH_OLDER = "when `clock`, in seconds since the epoch as Rasa stores it, is older than the retention period"
    WITH_PARENT = "with its parent row (`clock` is the foreign key to it)"
    EXPIRED = "once the expiry time in `clock` has passed"
    SESSION_EXPIRED = "when the dashboard session has expired (`clock`) or been idle for 2 hours"


@dataclass(frozen=True)
class Holding:
    """A table that holds personal data, and the rules for its rows."""

    table: str
    key: str  # the column tying a row to a conversation ("" with Link.NONE)
    link: Link
    rule: Rule
    clock: str  # the column the rule reads
    parent: str = ""  # Link.PARENT / Rule.WITH_PARENT: the parent holding's table
    also: Tuple[str, ...] = ()  # other columns linked to the conversation, erased with the row
    erase: Optional[Callable[[Connection, ColumnElement], int]] = None  # None: delete the rows
    tracker: bool = False  # in Rasa's tracker database rather than the project's
    count_as: str = ""  # its name in erasure and purge counts; the table's name if empty

    @property
    def name(self) -> str:
        """Return the name this holding's counts are reported under."""
        return self.count_as or self.table


# A child comes before its parent: its rows go while the parent's rows still identify them.
HOLDINGS: Tuple[Holding, ...] = (
    Holding("events", "sender_id", Link.SENDER_ID, Rule.EPOCH_OLDER, "timestamp", tracker=True, count_as="tracker_events"),
    Holding("unanswered_log", "conversation_ref", Link.CONVERSATION_REF, Rule.OLDER, "created_at"),
    Holding("feedback", "conversation_ref", Link.CONVERSATION_REF, Rule.OLDER, "created_at"),
    Holding("button_payload", "conversation_ref", Link.CONVERSATION_REF, Rule.OLDER, "created_at"),
    Holding("telegram_reminders", "conversation_ref", Link.CONVERSATION_REF, Rule.DATE_PASSED, "due", also=("chat_id",)),
    Holding("telegram_routes", "conversation_id", Link.SENDER_ID, Rule.OLDER, "created_at", also=("chat_id",)),
    Holding("deliveries", "conversation_id", Link.SENDER_ID, Rule.WITH_PARENT, "escalation_id", parent="escalations"),
    Holding("parent_notices", "conversation_id", Link.SENDER_ID, Rule.WITH_PARENT, "escalation_id", parent="escalations"),
    # Kept as "withdrawn" with every text gone, so a volunteer sees why a question vanished.
    Holding("escalations", "conversation_id", Link.SENDER_ID, Rule.OLDER, "created_at", erase=withdraw),
    Holding("web_offered_payload", "session_id", Link.PARENT, Rule.WITH_PARENT, "session_id", parent="web_session"),
    Holding("web_session", "key_hash", Link.WIDGET_KEY, Rule.OLDER, "last_seen"),
    Holding("review_sessions", "", Link.NONE, Rule.SESSION_EXPIRED, "expires"),
    Holding("volunteer_links", "", Link.NONE, Rule.EXPIRED, "expires_at"),  # single-use password links
)
BY_TABLE: Dict[str, Holding] = {holding.table: holding for holding in HOLDINGS}

NOT_CONVERSATION_DATA: Dict[str, str] = {
    "volunteers": "volunteers' own accounts, kept while the account exists",
    "review_audit_log": "who did what to which question: ids, states and counts, never message text",
    "evidence_counts": "monthly counters by measure, topic or stage id and channel: no text, no time finer than "
                       "the month, nothing tied to a conversation (bot/store/evidence.py)",
    "unanswered_groups": "coordinators' decisions about groups of similar unanswered questions: the group's shared "
                         "words and a canned reply, tied to no conversation (bot/store/unanswered_groups.py)",
    "notice_preferences": "volunteers' own notice settings (channel, rota, quiet hours), kept while the account exists",
    "volunteer_notices": "which question ids a volunteer notice covered, and whether it went: never text; pruned after 7 days",
}


def table_for(holding: Holding, connection: Connection) -> Optional[Table]:
    """Return the holding's table, or None if Rasa has not created its tracker table yet."""
    if not holding.tracker:
        return metadata.tables[holding.table]
    if not inspect(connection).has_table(holding.table):
        return None
    return Table(holding.table, MetaData(), autoload_with=connection)


@dataclass(frozen=True)
class Keys:
    """The values that stand for one conversation in each kind of key column."""

    sender_id: str
    ref: str
    widget_key: Optional[str] = None  # only the widget knows its conversation id

    def matching(self, holding: Holding, table: Table) -> Optional[ColumnElement]:
        """Return the condition selecting this conversation's rows of a holding, or None if it has none."""
        if holding.link is Link.NONE:
            return None
        column = table.c[holding.key]
        if holding.link is Link.PARENT:
            parent_table = metadata.tables[holding.parent]
            where = self.matching(BY_TABLE[holding.parent], parent_table)
            return None if where is None else column.in_(select(parent_table.c.id).where(where))
        value = {Link.SENDER_ID: self.sender_id, Link.CONVERSATION_REF: self.ref, Link.WIDGET_KEY: self.widget_key}[holding.link]
        return None if value is None else column == value


@dataclass(frozen=True)
class Erased:
    """How many rows went (or were withdrawn), per holding."""

    counts: Dict[str, int]

    @property
    def tracker_events(self) -> int:
        return self.counts.get("tracker_events", 0)

    @property
    def unanswered(self) -> int:
        return self.counts.get("unanswered_log", 0)

    @property
    def feedback(self) -> int:
        return self.counts.get("feedback", 0)

    @property
    def escalations(self) -> int:
        return self.counts.get("escalations", 0)


def forget_conversation(
    database_url: str, tracker_url: str, secret_key: str, sender_id: str, widget_id: Optional[str] = None,
) -> Erased:
    """Erase a conversation from Rasa's tracker store and from every project table that holds it.

    The widget passes its conversation id too, so that its session row goes last,
    once everything else has: if erasure fails, the parent can try again.
    """
    widget_key = None if widget_id is None else session_key_hash(secret_key.encode("utf-8"), widget_id)
    keys = Keys(sender_id, conversation_ref(secret_key, sender_id), widget_key)
    counts: Dict[str, int] = {}
    for url, tracker in ((tracker_url, True), (database_url, False)):
        engine = make_engine(url, create_schema=not tracker)
        try:
            with engine.begin() as connection:  # all of it or, on failure, none of it
                counts.update(_erase(connection, keys, tracker))
            compact_after_erasure(engine)  # no copy of the erased rows left in a WAL file
        finally:
            engine.dispose()
    return Erased(counts)


def _erase(connection: Connection, keys: Keys, tracker: bool) -> Dict[str, int]:
    counts: Dict[str, int] = {}
    for holding in (h for h in HOLDINGS if h.tracker == tracker and h.link is not Link.NONE):
        table = table_for(holding, connection)
        where = None if table is None else keys.matching(holding, table)
        if table is None or where is None:
            counts[holding.name] = 0
        elif holding.erase is not None:
            counts[holding.name] = holding.erase(connection, where)
        else:
            counts[holding.name] = int(connection.execute(delete(table).where(where)).rowcount or 0)
    return counts
