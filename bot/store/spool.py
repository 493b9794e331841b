"""An append-only file that keeps records while the database is down.

Records are written here already redacted. Each line is one JSON object
with a unique `record_key`, so replaying a line that did reach the database
before a crash cannot create a duplicate.
"""

from __future__ import annotations

import fcntl
import json
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List


class Spool:
    """A JSON-lines file guarded by an exclusive lock."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_suffix(".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def append(self, record: Dict[str, Any]) -> None:
        """Add a record durably (flushed and fsynced before returning)."""
        line = json.dumps(record, ensure_ascii=False, default=str) + "\n"
        with self._locked():
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                os.write(fd, line.encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)

    def pending(self) -> int:
        """Return how many records are waiting."""
        if not self.path.exists():
            return 0
        with open(self.path, encoding="utf-8") as handle:
            return sum(1 for line in handle if line.strip())

    def drain(self, handler: Callable[[Dict[str, Any]], object]) -> int:
        """Pass each record to handler; keep the ones it fails on. Return how many were handled."""
        with self._locked():
            if not self.path.exists():
                return 0
            lines = [l for l in self.path.read_text(encoding="utf-8").splitlines() if l.strip()]
            kept: List[str] = []
            done = 0
            for line in lines:
                try:
                    handler(json.loads(line))
                    done += 1
                except Exception:  # noqa: BLE001 - keep the record, try again later
                    kept.append(line)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text("".join(l + "\n" for l in kept), encoding="utf-8")
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
            return done
