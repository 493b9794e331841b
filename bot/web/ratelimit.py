"""In-memory sliding-window rate limits for the widget API.

One process serves the widget, so counters live in memory: a restart resets
them, which is acceptable for flood protection (not billing). A conversation
is counted under the keyed hash of its random id, never a database row id,
which SQLite reuses after a delete: a new conversation must not inherit an
erased one's window (security review F11). Each key keeps
the times of its recent hits; keys with no recent hits are swept so memory
stays bounded by the number of active clients.
"""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Deque, Dict, Optional

if TYPE_CHECKING:
    from bot.settings import Settings


@dataclass(frozen=True)
class Limits:
    """How many requests each client may make per window."""

    per_conversation: int = 20  # chat and feedback messages per conversation
    per_ip: int = 60  # every API request from one address
    sessions_per_ip: int = 10  # new conversations from one address
    window: float = 60.0  # seconds


def limits_for(settings: "Settings") -> Limits:
    """Return the limits configured by SEND_NAV_RATE_* (the defaults above unless set)."""
    return Limits(
        per_conversation=settings.rate_per_conversation, per_ip=settings.rate_per_ip,
        sessions_per_ip=settings.rate_sessions_per_ip,
    )


class SlidingWindow:
    """Allow at most `limit` hits per key in any `window` seconds."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic, sweep_every: int = 1000) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._hits: Dict[str, Deque[float]] = {}
        self._sweep_every = sweep_every
        self._calls = 0

    def hit(self, key: str) -> Optional[float]:
        """Count a request; return None if allowed, else the seconds until it would be."""
        now = self.clock()
        self._calls += 1
        if self._calls % self._sweep_every == 0:
            self._sweep(now)
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return max(hits[0] + self.window - now, 0.0)
        hits.append(now)
        return None

    def forget(self, key: str) -> None:
        """Drop a key's hits (an erased conversation leaves no trace here)."""
        self._hits.pop(key, None)

    def _sweep(self, now: float) -> None:
        for key in [k for k, hits in self._hits.items() if not hits or hits[-1] <= now - self.window]:
            del self._hits[key]


def retry_after(seconds: float) -> str:
    """Return a Retry-After header value: whole seconds, at least 1."""
    return str(max(1, math.ceil(seconds)))
