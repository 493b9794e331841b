"""The retention purge as a job: `python -m bot purge` once, or `--every 24h` as a long-running service.

`make run` purges daily inside its supervisor; a deployment runs this
instead (the compose `purge` service, or a Kubernetes CronJob running it
once a day), so the promise that nothing is kept past the retention period
holds wherever the assistant runs. Only counts are printed, never content.
Each run also writes its results for Prometheus (bot/metrics/purge.py).
"""

from __future__ import annotations

import datetime as dt
import re
import signal
import sys
import threading
import time
from typing import Dict, Optional

from prometheus_client import CollectorRegistry

from bot.metrics.purge import PurgeMetrics
from bot.ops.purge import purge
from bot.settings import Settings

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RETRY_AFTER = 900.0  # seconds before trying again after a failed run (if the period is longer)


def parse_period(text: str) -> float:
    """Return the seconds in a period such as 90s, 30m, 24h or 1d (an argparse type)."""
    match = re.fullmatch(r"([1-9][0-9]*)([smhd])", text.strip())
    if match is None:
        raise ValueError(f"not a period like 24h: {text!r}")
    return float(int(match.group(1)) * UNITS[match.group(2)])


def run_once(settings: Settings, now: Optional[dt.datetime] = None, metrics: Optional[PurgeMetrics] = None) -> int:
    """Purge once, print the counts and write the results file; return 0, or 1 if it failed."""
    metrics = metrics or PurgeMetrics(CollectorRegistry())
    metrics.remember(settings.purge_metrics_file)
    started = time.monotonic()
    counts: Optional[Dict[str, int]] = None
    try:
        counts = purge(settings, now=now)
    except Exception as exc:  # noqa: BLE001 - reported by class only: a message could quote data
        print(f"Purge failed ({exc.__class__.__name__}); some tables may not have been purged.", file=sys.stderr, flush=True)
    metrics.record(counts, time.monotonic() - started)
    if not metrics.write(settings.purge_metrics_file):
        print("Purge results not written for monitoring (see the log).", file=sys.stderr, flush=True)
    if counts is None:
        return 1
    print(f"Purged data older than {settings.retention_days} days: "
          + ", ".join(f"{name} {count}" for name, count in sorted(counts.items())), flush=True)
    return 0


def run_every(
    settings: Settings, period: float, stop: Optional[threading.Event] = None, metrics: Optional[PurgeMetrics] = None,
) -> int:
    """Purge now and then every period until SIGTERM or SIGINT; a failed run is retried sooner."""
    stop = stop or _stop_on_signals()
    print(f"Purging every {period:.0f} s; stop with SIGTERM.", flush=True)
    while not stop.is_set():
        failed = run_once(settings, metrics=metrics) != 0
        stop.wait(min(period, RETRY_AFTER) if failed else period)
    return 0


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()

    def request_stop(_signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    return stop
