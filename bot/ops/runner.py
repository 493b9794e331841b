"""Start, watch and stop the assistant's processes.

Each child runs in its own process group and is asked by the kernel to stop
if this supervisor dies (PR_SET_PDEATHSIG), so Ctrl-C, a crash or a kill of
the supervisor leaves no orphans listening on a port. A child that crashes
is started again with a growing back-off; only a service that keeps
crashing stops the whole assistant (RestartPolicy).

With SEND_NAV_SCALE_OUT=1 it starts several Rasa replicas and action servers
on consecutive ports (see bot/ops/scale.py for the shared back ends).
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

from bot.ops import data_dir
from bot.ops.data_dir import OWNER_ONLY_UMASK, open_owner_only
from bot.ops.scale import check_redis, ensure_database, redis_env
from bot.ops.training import NO_TELEMETRY
from bot.settings import PROJECT_ROOT, Settings
from bot.store import make_engine
from bot.web.hosts import health_host

_PR_SET_PDEATHSIG = 1


def _child_setup() -> None:  # pragma: no cover - runs in the child before exec
    os.umask(OWNER_ONLY_UMASK)  # databases, WAL/SHM files, logs and spool: owner-only (security review F2)
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
    health_headers: Dict[str, str] = field(default_factory=dict)

    def start(self, log_dir: Path) -> None:
        """Start the process, sending its output to a log file."""
        log = open_owner_only(log_dir / f"{self.name}.log")
        try:
            self.process = subprocess.Popen(
                list(self.argv), cwd=PROJECT_ROOT, env={**os.environ, **self.env},
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_child_setup,
            )
        finally:
            os.close(log)

    def healthy(self) -> bool:
        """Return True if the health URL answers 200 (or, with no URL, if the process runs)."""
        if self.health_url is None:
            return self.alive()
        try:
            request = urllib.request.Request(self.health_url, headers=self.health_headers)
            with urllib.request.urlopen(request, timeout=2) as response:
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


SCALE_ENDPOINTS = "deploy/endpoints.scale.yml"


def assistant_services(settings: Settings, model: Path) -> List[Service]:
    """Return the action servers and the Rasa servers (one each unless scaling out).

    The action servers run on this (the service environment's) interpreter; Rasa runs
    from the Rasa environment (settings.rasa_python), which is all it shares with them.
    """
    python = sys.executable
    common = {**settings.to_env(), **NO_TELEMETRY, "PYTHONPATH": str(PROJECT_ROOT)}
    if settings.scale_out:
        common.update(redis_env(settings.redis_url))
    scaled = settings.scale_out  # names stay "rasa" and "actions" for a single node
    actions = [
        Service(
            name=f"actions-{i}" if scaled else "actions",
            argv=[python, "-m", "actions.server", "--actions", "actions", "--port", str(settings.actions_port + i)],
            health_url=f"http://{settings.actions_host}:{settings.actions_port + i}/health",
            env={**common, "SANIC_HOST": settings.actions_host, "SEND_NAV_ACTIONS_URL": settings.actions_urls[i]},
        )
        for i in range(settings.actions_replicas)
    ]
    rasa = [
        Service(
            name=f"rasa-{i}" if scaled else "rasa",
            argv=_rasa_argv(settings, model, settings.rasa_port + i),
            health_url=f"http://{settings.rasa_host}:{settings.rasa_port + i}/",
            env={**common, "SEND_NAV_ACTIONS_URL": settings.actions_urls[i % settings.actions_replicas]},
        )
        for i in range(settings.rasa_replicas)
    ]
    return actions + rasa


def _rasa_argv(settings: Settings, model: Path, port: int) -> List[str]:
    endpoints = SCALE_ENDPOINTS if settings.scale_out else "endpoints.yml"
    argv = [
        str(settings.rasa_executable), "run", "--model", str(model),
        "--interface", settings.rasa_host, "--port", str(port),
        "--credentials", "credentials.yml", "--endpoints", endpoints,
    ]
    if settings.rasa_jwt_secret:
        # The HTTP API can read and change any conversation, so it is only on with JWT auth.
        argv += ["--enable-api", "--jwt-secret", settings.rasa_jwt_secret]
    return argv


def prepare_backends(settings: Settings) -> None:
    """Make the data folder owner-only and migrate the project's database to the newest schema once,
    before any service starts; when scaling out, first create the PostgreSQL database(s), and check Redis."""
    data_dir.protect(settings.data_dir)
    if settings.scale_out:
        for url in dict.fromkeys((settings.database_url, settings.tracker_url)):
            ensure_database(url)
    # Here, so that the services starting together find it done (make_engine migrates, under a lock).
    make_engine(settings.database_url).dispose()
    data_dir.protect(settings.data_dir)  # the database file this process has just created
    if settings.scale_out:
        check_redis(settings.redis_url)


def channel_services(settings: Settings) -> List[Service]:
    """Return the web app (widget, proxy), the dashboard, the notifier and, if a token is set, the Telegram bridge.

    The dashboard is a process of its own, so its password hashing and
    database work can never slow the parents' widget API.
    """
    env = {**settings.to_env(), "PYTHONPATH": str(PROJECT_ROOT)}
    host = {"Host": health_host(settings)}  # both apps refuse a Host that is not theirs
    services = [
        Service(name="web", argv=[sys.executable, "-m", "bot.web"], env=env, health_headers=host,
                health_url=f"http://{settings.web_host}:{settings.web_port}/healthz"),
        Service(name="review", argv=[sys.executable, "-m", "bot.review"], env=env, health_headers=host,
                health_url=f"http://{settings.review_host}:{settings.review_port}/healthz"),
    ]
    if settings.telegram_token:
        services.append(Service(name="telegram", argv=[sys.executable, "-m", "bot.channels.telegram"], health_url=None, env=env))
    # Notices to volunteers and the reply-time promise to parents: its own process, so SMTP never slows a reply.
    services.append(Service(name="notify", argv=[sys.executable, "-m", "bot.notify"], health_url=None, env=env))
    return services


def _run_safely(job: Callable[[], object]) -> None:
    """Run a scheduled job; a failure is reported, and never stops the assistant."""
    try:
        job()
    except Exception as exc:  # noqa: BLE001 - the next run will try again
        print(f"Scheduled job failed ({exc.__class__.__name__}); it will run again tomorrow.", flush=True)


@dataclass
class RestartPolicy:
    """How often a crashed service is started again before the supervisor gives up.

    A service that dies is restarted after `backoff` seconds, doubling up to
    `max_backoff` while it keeps dying; more than `limit` restarts within
    `window` seconds means something is really wrong (a port taken, a broken
    model), so everything stops rather than looping.
    """

    limit: int = 5
    window: float = 600.0
    backoff: float = 1.0
    max_backoff: float = 30.0


class Supervisor:
    """Run a set of services, restarting any that crash, until stopped."""

    def __init__(self, services: List[Service], log_dir: Path, policy: Optional[RestartPolicy] = None) -> None:
        self.services = services
        self.log_dir = log_dir
        self.policy = policy or RestartPolicy()
        self.restarts: Dict[str, List[float]] = {}  # service name -> monotonic times it was restarted
        self._due: Dict[str, float] = {}  # service name -> when its next restart may happen

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

    def check(self) -> List[str]:
        """Restart services that have died (after their back-off); return the names restarted.

        Raises RuntimeError when a service has crashed more often than the
        policy allows.
        """
        restarted = []
        now = time.monotonic()
        for service in self.services:
            if service.alive():
                continue
            recent = [t for t in self.restarts.get(service.name, []) if now - t < self.policy.window]
            if service.name not in self._due:
                code = service.process.returncode if service.process else None
                if len(recent) >= self.policy.limit:
                    raise RuntimeError(
                        f"{service.name} stopped {len(recent) + 1} times in {self.policy.window:.0f}s; "
                        f"see {self.log_dir / service.name}.log"
                    )
                delay = min(self.policy.max_backoff, self.policy.backoff * 2 ** len(recent))
                self._due[service.name] = now + delay
                print(f"{service.name} stopped unexpectedly (exit code {code}); restarting in {delay:.0f}s. "
                      f"See {self.log_dir / service.name}.log", flush=True)
            if now >= self._due[service.name]:
                del self._due[service.name]
                self.restarts[service.name] = recent + [now]
                service.start(self.log_dir)
                restarted.append(service.name)
        return restarted

    def wait(self, daily: Optional[Callable[[], object]] = None, period: float = 86400.0) -> int:
        """Block until a stop signal arrives, restarting crashed services and running `daily` every period."""
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
                try:
                    self.check()
                except RuntimeError as exc:
                    print(f"Giving up: {exc}", flush=True)
                    return 1
                time.sleep(0.5)
            return 0
        finally:
            self.stop()

    def stop(self) -> None:
        """Stop every service, the last started first."""
        for service in reversed(self.services):
            service.stop()
