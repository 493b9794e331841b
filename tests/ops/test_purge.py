"""Retention: data older than the period is gone, newer data stays."""

from __future__ import annotations

from contextlib import closing
import datetime as dt
import json
import sqlite3

from bot.ops.purge import purge
from bot.settings import load_settings
from bot.store import EscalationRepository, FeedbackRepository, UnansweredRepository, make_engine, make_session_factory
from bot.store.buttons import ButtonRepository
from bot.store.models import utcnow
from bot.store.unanswered import UnansweredRecord

NOW = dt.datetime(2026, 11, 28, 12, 0)
OLD = NOW - dt.timedelta(days=91)
NEW = NOW - dt.timedelta(days=89)


def _tracker_db(path: str) -> None:
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("create table events (id integer primary key, sender_id text, type_name text, timestamp real, data text)")
        for sender, when in (("old", OLD), ("new", NEW)):
            ts = when.replace(tzinfo=dt.timezone.utc).timestamp()
            conn.execute("insert into events (sender_id, type_name, timestamp, data) values (?, 'user', ?, ?)",
                         (sender, ts, json.dumps({"text": "[redacted]"})))


def test_purge_removes_old_and_keeps_new(tmp_path) -> None:
    settings = load_settings({
        "SEND_NAV_DATA_DIR": str(tmp_path), "SEND_NAV_SECRET_KEY": "r" * 40, "SEND_NAV_RETENTION_DAYS": "90",
    })
    _tracker_db(settings.tracker_url.split("///", 1)[1])
    sessions = make_session_factory(make_engine(settings.database_url))
    unanswered, feedback = UnansweredRepository(sessions), FeedbackRepository(sessions)
    escalations, buttons = EscalationRepository(sessions), ButtonRepository(sessions)
    for label, when in (("old", OLD), ("new", NEW)):
        unanswered.add(UnansweredRecord("rest", "out_of_scope", f"{label} question", [], f"ref-{label}", created_at=when))
        feedback.add("mediation", True, "widget", f"ref-{label}", created_at=when)
        escalation_id = escalations.create(f"conv-{label}", "widget", {"turns": [label]}, consent_at=when)
        with sessions.begin() as session:
            from bot.store.escalations import Escalation
            session.get(Escalation, escalation_id).created_at = when
        buttons.add(f"ref-{label}", "/ask_mediation", created_at=when)

    counts = purge(settings, now=NOW)

    assert counts["unanswered_log"] == counts["feedback"] == counts["escalations"] == counts["button_payload"] == 1
    assert counts["tracker_events"] == 1
    assert [r.text_redacted for r in unanswered.since(NOW - dt.timedelta(days=365))] == ["new question"]
    assert feedback.counts() == {"mediation": (1, 0)}
    assert escalations.latest_for("conv-old") is None and escalations.latest_for("conv-new") is not None
    with closing(sqlite3.connect(settings.tracker_url.split("///", 1)[1])) as conn, conn:
        assert [r[0] for r in conn.execute("select sender_id from events")] == ["new"]
    assert purge(settings, now=NOW)["unanswered_log"] == 0
    assert utcnow() > NOW - dt.timedelta(days=1)


def test_purge_keeps_future_reminders_removes_passed_ones_and_old_routes(tmp_path) -> None:
    from bot.store.reminders import Reminder, ReminderRepository
    from bot.store.telegram_routes import TelegramRoute, TelegramRouteRepository

    settings = load_settings({"SEND_NAV_DATA_DIR": str(tmp_path), "SEND_NAV_SECRET_KEY": "r" * 40})
    _tracker_db(settings.tracker_url.split("///", 1)[1])
    sessions = make_session_factory(make_engine(settings.database_url))
    reminders, routes = ReminderRepository(sessions), TelegramRouteRepository(sessions)
    # A reminder set long ago for a date still to come must survive; one whose date has passed must not.
    for label, when, due in (("old", OLD, NOW.date() - dt.timedelta(days=1)), ("new", OLD, dt.date(2027, 6, 1))):
        reminder_id = reminders.add(f"ref-{label}", 42, "appeal-deadline", due, False, NOW.date() - dt.timedelta(days=100))
        routes.remember(f"conv-{label}", 42)
        with sessions.begin() as session:
            session.get(Reminder, reminder_id).created_at = when
            session.get(TelegramRoute, f"conv-{label}").created_at = OLD if label == "old" else NEW

    counts = purge(settings, now=NOW)

    assert counts["telegram_reminders"] == counts["telegram_routes"] == 1
    assert [r.conversation_ref for r in reminders.for_conversation("ref-new")] == ["ref-new"]
    assert reminders.for_conversation("ref-old") == []
    assert routes.chat_for("conv-old") is None and routes.chat_for("conv-new") == 42
