"""What the action server did: runs by action and result, and how long each took.

The action name is read from the call's `next_action` and kept only if it is
one of the server's own actions (anything else is `other`), so a label can
never carry what a caller sent. The body is otherwise not looked at: it holds
the conversation's tracker.
"""

from __future__ import annotations

import json
import zlib
from typing import FrozenSet, Optional

from prometheus_client import CollectorRegistry, Counter, Histogram

ACTION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
RESULTS = {200: "ok", 400: "rejected", 401: "refused", 403: "refused", 404: "not_found", 415: "refused"}
OTHER = "other"


def action_name(body: bytes, encoding: Optional[str], known: FrozenSet[str]) -> str:
    """Return the called action's name if it is a known one, else `other` (never raises)."""
    try:
        raw = zlib.decompress(body) if encoding == "deflate" else body
        name = json.loads(raw).get("next_action")
    except (ValueError, AttributeError, zlib.error):
        return OTHER
    return name if isinstance(name, str) and name in known else OTHER


def result_of(status: int) -> str:
    """Return the result label for an HTTP status (any 5xx is `error`)."""
    return RESULTS.get(status, "error" if status >= 500 else OTHER)


class ActionMetrics:
    """Counters and timings for the action server's /webhook."""

    def __init__(self, registry: CollectorRegistry, known: FrozenSet[str]) -> None:
        self.known = known
        self.runs = Counter("send_nav_action_runs", "Calls to the action server's webhook, by action and result",
                            ["action", "result"], registry=registry)
        self.seconds = Histogram("send_nav_action_seconds", "Time the action server took to run an action",
                                 ["action"], buckets=ACTION_BUCKETS, registry=registry)

    def observe(self, body: bytes, encoding: Optional[str], status: int, seconds: float) -> None:
        """Record one webhook call."""
        name = action_name(body, encoding, self.known)
        self.runs.labels(name, result_of(status)).inc()
        self.seconds.labels(name).observe(seconds)
