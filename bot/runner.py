"""Start, watch and stop the assistant's processes.

Each child runs in its own process group and is asked by the kernel to stop
if this supervisor dies (PR_SET_PDEATHSIG), so Ctrl-C, a crash or a kill of
the supervisor leaves no orphans listening on a port.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

from bot.settings import PROJECT_ROOT, Settings

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass


@dataclass
class Service:
    """A child process and the URL that says it is ready."""

    name: str
    argv: Sequence[str]
    health_url: Optional[str]
    env: Dict[str, str] = field(default_factory=dict)
    process: Optional["subprocess.Popen[bytes]"] = None

    def start(self, log_dir: Path) -> None:
        """Start the process, sending its output to a log file."""
        log_dir.mkdir(parents=True, exist_ok=True)
        log = open(log_dir / f"{self.name}.log", "ab")
        self.process = subprocess.Popen(
            list(self.argv), cwd=PROJECT_ROOT, env={**os.environ, **self.env},
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent,
        )
        log.close()

    def healthy(self) -> bool:
        """Return True if the health URL answers 200 (or, with no URL, if the process runs)."""
        if self.health_url is None:
            return self.alive()
        try:
            with urllib.request.urlopen(self.health_url, timeout=2) as response:
                return bool(response.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def alive(self) -> bool:
        """Return True if the process is still running."""
        return self.process is not None and self.process.poll() is None

    def stop(self, grace: float = 10.0) -> None:
        """Stop the whole process group: SIGTERM, then SIGKILL after the grace period."""
        if self.process is None or self.process.poll() is not None:
            return
        pgid = os.getpgid(self.process.pid)
        os.killpg(pgid, signal.SIGTERM)
        try:
            self.process.wait(grace)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.process.wait()


def assistant_services(settings: Settings, model: Path) -> List[Service]:
    """Return the action server and the Rasa server, configured from settings."""
    python = sys.executable
    common = {**settings.to_env(), "PYTHONPATH": str(PROJECT_ROOT), "SEND_NAV_ACTIONS_URL": settings.actions_url}
    actions = Service(
        name="actions",
        argv=[python, "-m", "rasa_sdk", "--actions", "actions", "--port", str(settings.actions_port)],
        health_url=f"http://{settings.actions_host}:{settings.actions_port}/health",
        env={**common, "SANIC_HOST": settings.actions_host},
    )
    rasa_argv = [
        str(Path(python).with_name("rasa")), "run", "--model", str(model),
        "--interface", settings.rasa_host, "--port", str(settings.rasa_port),
        "--credentials", "credentials.yml", "--endpoints", "endpoints.yml",
    ]
    if settings.rasa_jwt_secret:
        # The HTTP API can read and change any conversation, so it is only on with JWT auth.
        rasa_argv += ["--enable-api", "--jwt-secret", settings.rasa_jwt_secret]
    rasa = Service(name="rasa", argv=rasa_argv, health_url=f"{settings.rasa_url}/", env=common)
    return [actions, rasa]


def channel_services(settings: Settings) -> List[Service]:
    """Return the web app (widget, proxy) and, if a token is set, the Telegram bridge."""
    env = {**settings.to_env(), "PYTHONPATH": str(PROJECT_ROOT)}
    services = [Service(
        name="web", argv=[sys.executable, "-m", "bot.web"],
        health_url=f"http://{settings.web_host}:{settings.web_port}/healthz", env=env,
    )]
    if settings.telegram_token:
        services.append(Service(name="telegram", argv=[sys.executable, "-m", "bot.channels.telegram"], health_url=None, env=env))
    return services


def _run_safely(job: Callable[[], object]) -> None:
    """Run a scheduled job; a failure is reported, and never stops the assistant."""
    try:
        job()
    except Exception as exc:  # noqa: BLE001 - the next run will try again
        print(f"Scheduled job failed ({exc.__class__.__name__}); it will run again tomorrow.", flush=True)


class Supervisor:
    """Run a set of services until stopped or until one of them dies."""

    def __init__(self, services: List[Service], log_dir: Path) -> None:
        self.services = services
        self.log_dir = log_dir

    def start(self, timeout: float = 300.0, progress: bool = True) -> None:
        """Start every service and wait until each is healthy."""
        for service in self.services:
            service.start(self.log_dir)
        deadline = time.monotonic() + timeout
        waiting = list(self.services)
        while waiting:
            for service in list(waiting):
                if not service.alive():
                    self.stop()
                    raise RuntimeError(f"{service.name} stopped while starting; see {self.log_dir / service.name}.log")
                if service.healthy():
                    waiting.remove(service)
                    if progress:
                        print(f"  {service.name} is up", flush=True)
            if waiting and time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{', '.join(s.name for s in waiting)} did not start in {timeout:.0f}s")
            if waiting:
                time.sleep(0.5)

    def wait(self, daily: Optional[Callable[[], object]] = None, period: float = 86400.0) -> int:
        """Block until a service exits or a stop signal arrives, running `daily` now and every period."""
        stop = {"requested": False}
        next_run = time.monotonic()

        def request_stop(_signum: int, _frame: object) -> None:
            stop["requested"] = True

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        try:
            while not stop["requested"]:
                if daily is not None and time.monotonic() >= next_run:
                    next_run = time.monotonic() + period
                    _run_safely(daily)
                for service in self.services:
                    if not service.alive():
                        print(f"{service.name} stopped unexpectedly; see {self.log_dir / service.name}.log", flush=True)
                        return 1
                time.sleep(0.5)
            return 0
        finally:
            self.stop()

    def stop(self) -> None:
        """Stop every service, the last started first."""
        for service in reversed(self.services):
            service.stop()
