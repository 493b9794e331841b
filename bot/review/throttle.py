"""Login rate limiting: failed attempts per address and per email, in memory.

Threat: guessing volunteers' passwords online. Design: count failed logins in
a sliding window, separately per client address and per email (lower-cased),
and refuse further attempts with 429 once either is used up, before any
password is checked. Successful logins are not counted, so a volunteer who
gets in is never locked out by colleagues on the same office network. The
dashboard runs in one process, so counters live in memory; a restart resets
them, which is acceptable for slowing guessing down.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from typing import Callable, Deque, Dict, Optional


@dataclass(frozen=True)
class LoginLimits:
    """How many failed logins are allowed per window."""

    per_email: int = 5
    per_ip: int = 20
    window: float = 15 * 60.0


class LoginThrottle:
    """Track failed logins and say when to refuse."""

    def __init__(self, limits: LoginLimits = LoginLimits(), clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        self._fails: Dict[str, Deque[float]] = {}

    def _recent(self, key: str) -> Deque[float]:
        now = self.clock()
        hits = self._fails.setdefault(key, deque())
        while hits and hits[0] <= now - self.limits.window:
            hits.popleft()
        if not hits:
            del self._fails[key]  # keeps memory bounded by recent failures
            return deque()
        return hits

    def retry_after(self, ip: str, email: str) -> Optional[float]:
        """Return seconds to wait if this address or email is blocked, else None."""
        waits = []
        for key, limit in (("ip:" + ip, self.limits.per_ip), ("email:" + email.strip().lower(), self.limits.per_email)):
            hits = self._recent(key)
            if len(hits) >= limit:
                waits.append(hits[0] + self.limits.window - self.clock())
        return max(max(waits), 1.0) if waits else None

    def failed(self, ip: str, email: str) -> None:
        """Count one failed login for the address and the email."""
        now = self.clock()
        for key in ("ip:" + ip, "email:" + email.strip().lower()):
            self._fails.setdefault(key, deque()).append(now)
