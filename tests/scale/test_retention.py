"""Scale-out: erasure and the retention purge remove rows from PostgreSQL too."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from bot.personal_data import forget_conversation
from bot.safety.privacy import conversation_ref
from bot.ops.purge import purge
from bot.store.models import utcnow
from tests.helpers.rest import new_sender

pytestmark = pytest.mark.e2e

OUT_OF_SCOPE = "what's the best recipe for banana bread"


def _count(cluster, sql: str, **params: str) -> int:
    with cluster.engine.connect() as connection:
        return int(connection.execute(text(sql), params).scalar_one())


def _unanswered(cluster, sender: str) -> int:
    ref = conversation_ref(cluster.settings.secret_key, sender)
    return _count(cluster, "SELECT count(*) FROM unanswered_log WHERE conversation_ref = :r", r=ref)


def _events(cluster, sender: str) -> int:
    return _count(cluster, "SELECT count(*) FROM events WHERE sender_id = :s", s=sender)


def test_forget_erases_the_conversation_in_postgresql(cluster) -> None:
    sender, other = new_sender(), new_sender()
    for who in (sender, other):
        cluster.send(0, who, OUT_OF_SCOPE)
        cluster.send(1, who, "what is mediation")
    assert _events(cluster, sender) > 0 and _unanswered(cluster, sender) == 1

    s = cluster.settings
    erased = forget_conversation(s.database_url, s.tracker_url, s.secret_key, sender)

    assert erased.tracker_events > 0 and erased.unanswered == 1
    assert _events(cluster, sender) == 0 and _unanswered(cluster, sender) == 0
    assert _events(cluster, other) > 0 and _unanswered(cluster, other) == 1  # only that conversation went


def test_purge_removes_old_rows_from_postgresql(cluster) -> None:
    sender = new_sender()
    cluster.send(1, sender, OUT_OF_SCOPE)
    assert _events(cluster, sender) > 0 and _unanswered(cluster, sender) == 1

    purge(cluster.settings)
    assert _events(cluster, sender) > 0 and _unanswered(cluster, sender) == 1  # nothing recent goes

    later = utcnow() + dt.timedelta(days=cluster.settings.retention_days + 1)
    counts = purge(cluster.settings, now=later)

    assert counts["tracker_events"] > 0 and counts["unanswered_log"] >= 1
    assert _events(cluster, sender) == 0 and _unanswered(cluster, sender) == 0
