"""Login throttling that slows password guessing without letting anyone lock a volunteer out.

Threat: guessing volunteers' passwords online; and the opposite abuse, a
stranger typing a volunteer's email with wrong passwords until the real
volunteer is refused too (security review F6: five failures locked the
account for everyone, the right password included, for 15 minutes).

Design, after OWASP's Authentication and "device cookie" guidance:

- Increasing delays, not a hard lockout: after `free` failures on a key, the
  next attempt must wait `first_delay` seconds, doubling with each further
  failure up to `max_delay`. An attempt during the wait gets 429 and
  Retry-After before any password is checked, so guessing stays slow.
- Known clients are counted apart. A browser holding this account's signed
  device cookie (bot/review/devices.py, set after a successful login), or an
  address this account has logged in from, counts its failures on its own
  key. Failures by anyone else (the account's "untrusted" key and the
  address's key) never delay a known client, so an attacker elsewhere can
  only slow themselves and other unknown clients.
- No user enumeration: keys use the email as typed (lower-cased), whether or
  not an account has it, and the answer is the same either way.
- Counters live in memory in the dashboard's one process; a restart resets
  them, which is acceptable for slowing guessing down. Keys with no recent
  failure are swept, and the table of known addresses has a fixed size.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Callable, Deque, Dict, List, Optional, Tuple

MAX_KNOWN = 10_000  # (account, address) pairs remembered, oldest forgotten first


@dataclass(frozen=True)
class LoginLimits:
    """How many failed logins are free per key, and how the delays after them grow."""

    per_account: int = 5  # failures for one email from unknown clients
    per_ip: int = 20  # failures from one unknown address, any email
    per_known: int = 5  # failures from one known device or address for one email
    first_delay: float = 30.0
    max_delay: float = 15 * 60.0
    window: float = 60 * 60.0  # failures older than this are forgotten


class LoginThrottle:
    """Count failed logins per key and say how long the next attempt must wait."""

    def __init__(self, limits: LoginLimits = LoginLimits(), clock: Callable[[], float] = time.monotonic,
                 sweep_every: int = 500) -> None:
        self.limits = limits
        self.clock = clock
        self._fails: Dict[str, Deque[float]] = {}
        self._known: "OrderedDict[Tuple[str, str], float]" = OrderedDict()
        self._lock = threading.Lock()  # handlers run in a thread pool
        self._sweep_every = sweep_every
        self._calls = 0

    def is_known(self, email: str, ip: str) -> bool:
        """Return True if this account has logged in from this address before."""
        with self._lock:
            return (_norm(email), ip) in self._known

    def _keys(self, email: str, ip: str, device: Optional[str]) -> List[Tuple[str, int]]:
        email = _norm(email)
        if device is not None:
            return [(f"device:{email}:{device}", self.limits.per_known)]
        if (email, ip) in self._known:
            return [(f"known:{email}:{ip}", self.limits.per_known)]
        return [("account:" + email, self.limits.per_account), ("ip:" + ip, self.limits.per_ip)]

    def retry_after(self, email: str, ip: str, device: Optional[str] = None) -> Optional[float]:
        """Return the seconds this attempt must still wait, or None if it may be checked now."""
        with self._lock:
            now = self.clock()
            waits = [self._wait(key, free, now) for key, free in self._keys(email, ip, device)]
        longest = max(waits)
        return max(longest, 1.0) if longest > 0 else None

    def failed(self, email: str, ip: str, device: Optional[str] = None) -> None:
        """Count one failed login on the keys that apply to this client."""
        with self._lock:
            now = self.clock()
            self._calls += 1
            if self._calls % self._sweep_every == 0:
                self._sweep(now)
            for key, _ in self._keys(email, ip, device):
                self._fails.setdefault(key, deque()).append(now)

    def succeeded(self, email: str, ip: str, device: Optional[str] = None) -> None:
        """Remember the address as known for this account and forget this client's own failures."""
        with self._lock:
            pair = (_norm(email), ip)
            self._known[pair] = self.clock()
            self._known.move_to_end(pair)
            while len(self._known) > MAX_KNOWN:
                self._known.popitem(last=False)
            self._fails.pop(f"known:{pair[0]}:{ip}", None)
            if device is not None:
                self._fails.pop(f"device:{pair[0]}:{device}", None)

    def _wait(self, key: str, free: int, now: float) -> float:
        hits = self._fails.get(key)
        if not hits:
            return 0.0
        while hits and hits[0] <= now - self.limits.window:
            hits.popleft()
        if len(hits) < free:
            return 0.0
        delay = min(self.limits.max_delay, self.limits.first_delay * 2 ** min(len(hits) - free, 32))
        return hits[-1] + delay - now

    def _sweep(self, now: float) -> None:
        for key in [k for k, hits in self._fails.items() if not hits or hits[-1] <= now - self.limits.window]:
            del self._fails[key]


def _norm(email: str) -> str:
    return email.strip().lower()
