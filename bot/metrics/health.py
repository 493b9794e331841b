"""Readiness checks: can this process do its work now? Each check names a dependency and tries it.

/healthz says only that the process is up (a supervisor or liveness probe
restarts it if not). /readyz runs the checks: a `required` one failing makes
it 503 (a load balancer stops sending traffic); an optional one is reported
but does not (the action server still answers from the knowledge base with
its database down). Answers carry check names and "ok"/"failed" only, never
an error message, which could quote a URL with a password in it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable, Dict, Sequence, Tuple

from sqlalchemy import text
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

CHECK_TIMEOUT = 2.0


@dataclass(frozen=True)
class Check:
    """One dependency: its name, a function that raises if it is not usable, and whether readiness needs it."""

    name: str
    probe: Callable[[], None]
    required: bool = True


def database(engine: Engine, name: str = "database") -> Check:
    """Return a check that runs SELECT 1 on the engine."""
    def probe() -> None:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    return Check(name, probe)


def rasa(urls: Sequence[str], timeout: float = CHECK_TIMEOUT) -> Check:
    """Return a check that at least one Rasa replica answers its REST channel's health route."""
    import httpx  # here, not at the top: the action server's image (deploy/actions.Dockerfile) has no httpx

    def probe() -> None:
        for base in urls:
            try:
                if httpx.get(base.rstrip("/") + "/webhooks/rest/", timeout=timeout).status_code == 200:
                    return
            except httpx.HTTPError:
                continue
        raise ConnectionError("no Rasa replica answered")
    return Check("rasa", probe)


def run_checks(checks: Sequence[Check]) -> Tuple[bool, Dict[str, str]]:
    """Run every check; return whether all required ones passed, and each check's result by name."""
    results: Dict[str, str] = {}
    ready = True
    for check in checks:
        try:
            check.probe()
            results[check.name] = "ok"
        except Exception as exc:  # noqa: BLE001 - any failure means not usable; only its class is logged
            log.warning("readiness: %s failed (%s)", check.name, exc.__class__.__name__)
            results[check.name] = "failed" if check.required else "failed (optional)"
            ready = ready and not check.required
    return ready, results
