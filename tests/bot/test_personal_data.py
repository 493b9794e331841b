"""The personal-data registry: complete, true to the schema, and what erasure and the purge both follow.

The rule for "a column that links a row to a conversation", by name: any
column called `key_hash`, or whose name has one of the words sender,
conversation, chat or session (split on "_"): sender_id, conversation_id,
conversation_ref, chat_id, session_id. Each such column must be a holding's
key or one of its `also` columns.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List

import pytest
from sqlalchemy import func, insert, select, true

from bot.ops.purge import purge
from bot.personal_data import BY_TABLE, HOLDINGS, NOT_CONVERSATION_DATA, Keys, Link, forget_conversation
from bot.safety.privacy import conversation_ref
from bot.settings import Settings, load_settings
from bot.store import make_engine
from bot.store.registry import metadata
from bot.store.web_sessions import session_key_hash
from tests.helpers.databases import KINDS, empty_database
from tests.helpers.rasa_events import EVENTS

LINK_WORDS = {"sender", "conversation", "chat", "session"}
SECRET = "personal-data-secret-" + "x" * 30
NOW = dt.datetime(2026, 11, 28, 12, 0)


def links_to_conversation(column: str) -> bool:
    """Return True if a column's name says it ties a row to a conversation (the rule above)."""
    return column == "key_hash" or bool(LINK_WORDS & set(column.split("_")))


def _tracker_table() -> Any:
    # Rasa's events table, as tests/components/test_rasa_events.py checks in the Rasa environment.
    return EVENTS


@pytest.mark.parametrize("column, links", [
    ("sender_id", True), ("conversation_ref", True), ("conversation_id", True), ("chat_id", True),
    ("session_id", True), ("key_hash", True), ("volunteer_id", False), ("password_hash", False),
    ("csrf_token", False), ("target_id", False),
])
def test_the_rule_for_conversation_links(column: str, links: bool) -> None:
    assert links_to_conversation(column) is links


@pytest.mark.parametrize("table, column", sorted(
    (t.name, c.name) for t in metadata.sorted_tables for c in t.columns if links_to_conversation(c.name)
))
def test_every_column_linking_to_a_conversation_is_in_the_registry(table: str, column: str) -> None:
    holding = BY_TABLE.get(table)
    assert holding is not None and column in (holding.key,) + holding.also, f"add {table}.{column} to bot/personal_data.py"


def test_every_table_is_either_a_holding_or_declared_not_conversation_data() -> None:
    held = {h.table for h in HOLDINGS if not h.tracker}
    assert not held & set(NOT_CONVERSATION_DATA)
    assert held | set(NOT_CONVERSATION_DATA) == set(metadata.tables)


@pytest.mark.parametrize("holding", HOLDINGS, ids=lambda h: h.table)
def test_each_holding_names_real_tables_and_columns(holding) -> None:
    table = _tracker_table() if holding.tracker else metadata.tables[holding.table]
    assert table.name == holding.table
    named = [holding.clock, *holding.also] + ([holding.key] if holding.link is not Link.NONE else [])
    assert set(named) <= set(table.c.keys()), named
    assert (holding.link is Link.NONE) == (holding.key == "")
    if holding.parent:  # a child comes first, so its rows go while the parent still identifies them
        assert HOLDINGS.index(holding) < HOLDINGS.index(BY_TABLE[holding.parent])
        assert list(table.c[holding.clock].foreign_keys)[0].column.table.name == holding.parent


# --- erasure and the purge, over every holding ---------------------------------------------

def _seed(i: int, keys: Keys, when: dt.datetime, due: dt.date) -> Dict[str, List[Dict[str, Any]]]:
    """Return one row per table for conversation `keys` (row ids are i)."""
    return {
        "events": [dict(sender_id=keys.sender_id, type_name="user", timestamp=when.replace(tzinfo=dt.timezone.utc).timestamp(), data="{}")],
        "unanswered_log": [dict(id=i, record_key=f"u{i}", created_at=when, channel="rest", reason="out_of_scope",
                                text_redacted="[redacted]", intents=[], conversation_ref=keys.ref, status="new")],
        "feedback": [dict(id=i, record_key=f"f{i}", created_at=when, kb_id="mediation", helpful=True, channel="widget",
                          conversation_ref=keys.ref)],
        "button_payload": [dict(id=f"b{i}", conversation_ref=keys.ref, kind="rasa", payload="/x", created_at=when)],
        # Set long before `when`: a reminder's age is not what the purge goes by.
        "telegram_reminders": [dict(id=i, conversation_ref=keys.ref, chat_id=100 + i, rule="r", due=due, notice_level=0,
                                    created_at=when - dt.timedelta(days=120))],
        "telegram_routes": [dict(conversation_id=keys.sender_id, chat_id=100 + i, created_at=when)],
        "escalations": [dict(id=i, conversation_id=keys.sender_id, channel="widget", state="open", created_at=when,
                             consent_at=when, packet={"turns": ["[redacted]"]}, risk=False, withdrawn=False,
                             kb_candidate=False, updated_at=when)],
        "deliveries": [dict(id=i, escalation_id=i, conversation_id=keys.sender_id, channel="widget", text="answer",
                            created_at=when)],
        "parent_notices": [dict(id=i, escalation_id=i, conversation_id=keys.sender_id, channel="widget", kind="claimed",
                                created_at=when)],
        "web_session": [dict(id=i, key_hash=keys.widget_key, created_at=when, last_seen=when)],
        "web_offered_payload": [dict(id=i, session_id=i, digest=str(i) * 64)],
        "volunteers": [dict(id=i, email=f"v{i}@example.org", display_name="V", role="volunteer", password_hash="h",
                            active=True, created_at=when)],
        "review_sessions": [dict(id=f"s{i}", volunteer_id=i, csrf_token="c", created_at=when, last_seen=when,
                                 expires=when + dt.timedelta(hours=12))],
        "volunteer_links": [dict(id=i, token_hash=str(i) * 64, volunteer_id=i, purpose="invite", created_by=None,
                                 created_at=when, expires_at=dt.datetime.combine(due, dt.time()), used_at=None)],
    }


def _keys(widget_id: str) -> Keys:
    sender = "web:" + widget_id
    return Keys(sender, conversation_ref(SECRET, sender), session_key_hash(SECRET.encode(), widget_id))


@pytest.fixture(params=KINDS)
def settings(request, tmp_path: Path) -> Iterator[Settings]:
    env = {"SEND_NAV_ENV": "test", "SEND_NAV_DATA_DIR": str(tmp_path), "SEND_NAV_SECRET_KEY": SECRET}
    with empty_database(request.param, tmp_path) as url:
        if request.param == "postgresql":  # one database for both, as when scaling out
            env.update(SEND_NAV_DATABASE_URL=url, SEND_NAV_TRACKER_URL=url)
        yield load_settings(env)


def _fill(settings: Settings, seeds: List[Dict[str, List[Dict[str, Any]]]]) -> None:
    assert {h.table for h in HOLDINGS} <= set(seeds[0]), "seed a row for every holding"
    for url, tracker in ((settings.database_url, False), (settings.tracker_url, True)):
        engine = make_engine(url, create_schema=not tracker)
        tables = [_tracker_table()] if tracker else metadata.sorted_tables
        if tracker:
            _tracker_table().create(engine, checkfirst=True)
        with engine.begin() as connection:
            for table in tables:
                for seed in seeds:
                    if table.name in seed:
                        connection.execute(insert(table), seed[table.name])
        engine.dispose()


def _count(settings: Settings, table: str, where: Callable[[Any], Any] = lambda t: true()) -> int:
    """Return how many rows of a table (project or tracker) match `where(table)`."""
    tracker = table == "events"
    engine = make_engine(settings.tracker_url if tracker else settings.database_url, create_schema=False)
    try:
        found = _tracker_table() if tracker else metadata.tables[table]
        with engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(found).where(where(found))).scalar_one())
    finally:
        engine.dispose()


def test_forget_erases_one_conversation_from_every_holding(settings: Settings) -> None:
    mine, other = _keys("mine"), _keys("other")
    due = NOW.date() + dt.timedelta(days=30)
    _fill(settings, [_seed(1, mine, NOW, due), _seed(2, other, NOW, due)])

    erased = forget_conversation(settings.database_url, settings.tracker_url, SECRET, mine.sender_id, "mine")

    for holding in (h for h in HOLDINGS if h.link is not Link.NONE):
        assert erased.counts[holding.name] == 1, holding.table
        # Escalations stay, withdrawn and emptied (checked below); every other row of mine goes.
        assert _count(settings, holding.table, lambda t: mine.matching(holding, t)) == (1 if holding.erase else 0), holding.table
        assert _count(settings, holding.table, lambda t: other.matching(holding, t)) == 1, holding.table
    withdrawn = {"withdrawn": True}
    assert _count(settings, "escalations", lambda t: (t.c.id == 1) & (t.c.state == "cancelled") & t.c.withdrawn) == 1
    assert _count(settings, "escalations", lambda t: (t.c.id == 2) & (t.c.state == "open")) == 1
    assert _count(settings, "review_sessions") == _count(settings, "volunteer_links") == 2  # no conversation's
    engine = make_engine(settings.database_url)
    with engine.connect() as connection:
        packets = dict(connection.execute(select(metadata.tables["escalations"].c.id, metadata.tables["escalations"].c.packet)).all())
    engine.dispose()
    assert packets == {1: withdrawn, 2: {"turns": ["[redacted]"]}}


def test_purge_removes_what_each_rule_says_and_keeps_the_rest(settings: Settings) -> None:
    old, new = NOW - dt.timedelta(days=91), NOW - dt.timedelta(days=89)
    # Both reminders were set over 90 days ago (see _seed); only the one whose date has passed goes.
    # The same dates are the password links' expiry: only the expired one goes.
    _fill(settings, [_seed(1, _keys("old"), old, NOW.date() - dt.timedelta(days=1)),
                     _seed(2, _keys("new"), new, NOW.date() + dt.timedelta(days=1))])
    engine = make_engine(settings.database_url)
    with engine.begin() as connection:  # the newer dashboard session is still live
        sessions = metadata.tables["review_sessions"]
        connection.execute(sessions.update().where(sessions.c.id == "s2").values(last_seen=NOW, expires=NOW + dt.timedelta(hours=1)))
    engine.dispose()

    counts = purge(settings, now=NOW)

    assert counts == {h.name: 1 for h in HOLDINGS}
    kept = _keys("new")
    for holding in HOLDINGS:
        newer = (lambda t: t.c.volunteer_id == 2) if holding.link is Link.NONE else (lambda t: kept.matching(holding, t))
        assert _count(settings, holding.table) == _count(settings, holding.table, newer) == 1, holding.table
    assert purge(settings, now=NOW) == {h.name: 0 for h in HOLDINGS}
