"""The volunteer queue and the answers outbox, read at scrape time by the dashboard's process."""

from __future__ import annotations

import datetime as dt
from typing import Dict

from prometheus_client import CollectorRegistry, generate_latest
from sqlalchemy import update
from sqlalchemy.engine import Engine

from bot.metrics.queue import QueueCollector
from bot.store import EscalationRepository, make_engine
from bot.store.escalations import Escalation
from bot.store.models import utcnow
from tests.metrics.scrape import value


def scrape(engine: Engine) -> str:
    registry = CollectorRegistry()
    registry.register(QueueCollector(engine))
    return generate_latest(registry).decode()


def ask(repo: EscalationRepository, n: int, channel: str) -> int:
    return repo.create(conversation_id=f"conv-{n}", channel=channel, packet={"turns": []}, consent_at=utcnow())


def test_waiting_claimed_and_outbox(engine: Engine, sessions) -> None:  # type: ignore[no-untyped-def]
    repo = EscalationRepository(sessions)
    waiting = [ask(repo, n, "widget") for n in range(3)]
    with engine.begin() as connection:  # the first question has waited two hours
        connection.execute(update(Escalation).where(Escalation.id == waiting[0])
                           .values(created_at=utcnow() - dt.timedelta(hours=2)))
    claimed = ask(repo, 3, "telegram")
    repo.claim(claimed, volunteer_id=1)
    for n, channel in ((4, "telegram"), (5, "telegram"), (6, "rest")):
        escalation = ask(repo, n, channel)
        repo.claim(escalation, volunteer_id=1)
        repo.answer(escalation, volunteer_id=1, text="An answer with a name in it: Zyxwv")

    text = scrape(engine)
    assert value(text, "send_nav_queue_read_ok") == 1
    assert value(text, "send_nav_questions_waiting") == 3
    assert 7190 < value(text, "send_nav_questions_oldest_waiting_seconds") < 7300
    assert value(text, "send_nav_questions_claimed") == 1
    pending: Dict[str, float] = {c: value(text, "send_nav_outbox_pending", channel=c) for c in ("widget", "telegram", "other")}
    assert pending == {"widget": 0, "telegram": 2, "other": 1}  # an unknown channel name is never a label
    assert value(text, "send_nav_outbox_oldest_pending_seconds", channel="telegram") < 60
    assert "Zyxwv" not in text and "conv-" not in text and 'channel="rest"' not in text


def test_empty_queue_reports_zeros(engine: Engine) -> None:
    text = scrape(engine)
    assert value(text, "send_nav_questions_waiting") == 0
    assert value(text, "send_nav_questions_oldest_waiting_seconds") == 0


def test_database_down_is_not_a_false_zero(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'q.db'}")
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE deliveries")
    text = scrape(engine)
    assert value(text, "send_nav_queue_read_ok") == 0
    assert "send_nav_questions_waiting" not in text
    engine.dispose()
