"""The retention purge's results, for a job that is not running when Prometheus scrapes.

`python -m bot purge` is a one-shot job (a Kubernetes CronJob, or the daily
run inside `make run`), so there is nothing to scrape while the figures
matter. Rather than a Pushgateway (one more service to run and secure, which
keeps stale figures for ever), each run writes them to a Prometheus text
file, atomically (write and rename), in the format node_exporter's textfile
collector reads; the dashboard's own /metrics also re-exports that file when
it shares the data folder (`make run`). The long-running `--every` service
(compose) also serves the same figures live from its metrics port.

Only counts, times and table names are written: never content.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Dict, Iterator, List, Optional

from prometheus_client import CollectorRegistry, Gauge, write_to_textfile
from prometheus_client.metrics_core import Metric
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)

LAST_SUCCESS = "send_nav_purge_last_success_timestamp_seconds"


class PurgeMetrics:
    """Gauges describing the latest purge run."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self.last_run = Gauge("send_nav_purge_last_run_timestamp_seconds", "When the latest purge run ended (Unix time)",
                              registry=registry)
        self.last_success = Gauge(LAST_SUCCESS, "When the latest successful purge run ended (Unix time; 0 if none yet)",
                                  registry=registry)
        self.ok = Gauge("send_nav_purge_last_run_ok", "1 if the latest purge run deleted everything due, 0 if it failed",
                        registry=registry)
        self.duration = Gauge("send_nav_purge_last_run_seconds", "How long the latest purge run took", registry=registry)
        self.rows = Gauge("send_nav_purge_rows_deleted", "Rows the latest successful purge deleted, by holding (table)",
                          ["holding"], registry=registry)

    def record(self, counts: Optional[Dict[str, int]], seconds: float, now: Optional[float] = None) -> None:
        """Record a run: its counts by holding, or None if it failed."""
        now = time.time() if now is None else now
        self.last_run.set(now)
        self.duration.set(seconds)
        self.ok.set(0 if counts is None else 1)
        if counts is not None:
            self.last_success.set(now)
            for holding, count in counts.items():
                self.rows.labels(holding).set(count)

    def remember(self, path: Path) -> None:
        """Take the last success time from a file an earlier run wrote, so a failed run does not lose it."""
        for family in read_textfile(path):
            for sample in family.samples:
                if sample.name == LAST_SUCCESS:
                    self.last_success.set(sample.value)

    def write(self, path: Path) -> bool:
        """Write the figures to the text file (atomically); return False, having said why by class, if it failed."""
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            write_to_textfile(str(path), self.registry)
        except OSError as exc:
            log.warning("purge metrics not written (%s)", exc.__class__.__name__)
            return False
        return True


def read_textfile(path: Path) -> List[Metric]:
    """Return the metric families in a text file, or none if it is missing or unreadable."""
    try:
        return list(text_string_to_metric_families(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return []


class TextfileCollector(Collector):
    """Re-export a text file's figures on each scrape (the dashboard shows the purge's, in `make run`)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def describe(self) -> List[Metric]:
        """Say nothing at registration: the file may not exist yet."""
        return []

    def collect(self) -> Iterator[Metric]:
        """Yield the families in the file now."""
        yield from read_textfile(self.path)
