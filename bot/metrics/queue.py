"""Gauges read from the database at scrape time: questions waiting for volunteers, and the answers outbox.

Served by the dashboard's process (one per deployment, so each figure is
reported once). A scrape runs two small aggregate queries; the result is
kept for a few seconds so that several scrapers cannot load the database.
If the database cannot be read the gauges are left out and
`send_nav_queue_read_ok` is 0, rather than reporting a false zero.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from typing import Callable, Dict, Iterator, List, Optional, Tuple

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.store.escalations import WAITING, Delivery, Escalation
from bot.store.models import utcnow

log = logging.getLogger(__name__)

CHANNELS = ("widget", "telegram")  # any other channel name is reported as "other", never as written
CACHE_SECONDS = 5.0


class QueueSnapshot:
    """One reading of the queue and the outbox."""

    def __init__(self, waiting: int, oldest_waiting: float, claimed: int,
                 outbox: Dict[str, Tuple[int, float]]) -> None:
        self.waiting = waiting
        self.oldest_waiting = oldest_waiting
        self.claimed = claimed
        self.outbox = outbox  # channel -> (pending answers, age of the oldest in seconds)


def read_queue(engine: Engine) -> QueueSnapshot:
    """Count the questions waiting and claimed, and the undelivered answers by channel, with the oldest ages."""
    now = utcnow()
    with engine.connect() as connection:
        waiting, oldest = connection.execute(
            select(func.count(Escalation.id), func.min(Escalation.created_at)).where(Escalation.state.in_(WAITING))
        ).one()
        claimed = connection.execute(select(func.count(Escalation.id)).where(Escalation.state == "claimed")).scalar()
        rows = connection.execute(
            select(Delivery.channel, func.count(Delivery.id), func.min(Delivery.created_at))
            .where(Delivery.delivered_at.is_(None)).group_by(Delivery.channel)
        ).all()
    outbox: Dict[str, Tuple[int, float]] = {channel: (0, 0.0) for channel in CHANNELS + ("other",)}
    for channel, count, first in rows:
        name = channel if channel in CHANNELS else "other"
        held, age = outbox[name]
        outbox[name] = (held + int(count), max(age, _age(now, first)))
    return QueueSnapshot(int(waiting or 0), _age(now, oldest), int(claimed or 0), outbox)


def _age(now: dt.datetime, since: Optional[dt.datetime]) -> float:
    return max(0.0, (now - since).total_seconds()) if since is not None else 0.0


class QueueCollector(Collector):
    """Report the volunteer queue and the answers outbox on each scrape."""

    def __init__(self, engine: Engine, clock: Callable[[], float] = time.monotonic) -> None:
        self.engine = engine
        self.clock = clock
        self.lock = threading.Lock()
        self.cached: Optional[Tuple[float, Optional[QueueSnapshot]]] = None

    def snapshot(self) -> Optional[QueueSnapshot]:
        """Return a recent reading, or None if the database could not be read."""
        with self.lock:
            if self.cached is not None and self.clock() - self.cached[0] < CACHE_SECONDS:
                return self.cached[1]
            try:
                found: Optional[QueueSnapshot] = read_queue(self.engine)
            except Exception as exc:  # noqa: BLE001 - a scrape must not fail because the database did
                log.warning("metrics: queue not read (%s)", exc.__class__.__name__)
                found = None
            self.cached = (self.clock(), found)
            return found

    def describe(self) -> List[GaugeMetricFamily]:
        """Say nothing at registration (so registering does not query the database)."""
        return []

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """Yield the gauges from a fresh or cached reading."""
        snap = self.snapshot()
        yield GaugeMetricFamily("send_nav_queue_read_ok", "1 if the queue and outbox figures below could be read",
                                value=0 if snap is None else 1)
        if snap is None:
            return
        yield GaugeMetricFamily("send_nav_questions_waiting", "Questions handed to volunteers that nobody has claimed",
                                value=snap.waiting)
        yield GaugeMetricFamily("send_nav_questions_oldest_waiting_seconds",
                                "Age of the oldest question waiting for a volunteer (0 if none)", value=snap.oldest_waiting)
        yield GaugeMetricFamily("send_nav_questions_claimed", "Questions a volunteer has claimed but not yet answered",
                                value=snap.claimed)
        pending = GaugeMetricFamily("send_nav_outbox_pending", "Volunteers' answers not yet delivered, by channel",
                                    labels=["channel"])
        oldest = GaugeMetricFamily("send_nav_outbox_oldest_pending_seconds",
                                   "Age of the oldest undelivered answer, by channel (0 if none)", labels=["channel"])
        for channel, (count, age) in sorted(snap.outbox.items()):
            pending.add_metric([channel], count)
            oldest.add_metric([channel], age)
        yield pending
        yield oldest
