"""Crash-safety harness helpers: the real services under the real, restarting Supervisor, killed with SIGKILL.

Each scenario kills one process at a chosen moment (`Stack.kill`), lets the
Supervisor start it again as it would in production, and then checks the
database: nothing lost, nothing doubled, every conversation still answers.
What each scenario saw is written to `var/results/crash.md` (and to the
file named by SEND_NAV_CRASH_REPORT, which `make crash` points at
bench/results/crash.md).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.safety.privacy import conversation_ref
from bot.ops.runner import RestartPolicy, Service, Supervisor, prepare_backends
from bot.settings import Settings
from bot.store import make_engine, make_session_factory
from tests.helpers.rest import free_port

LAUNCH = Path(__file__).resolve().parents[1] / "crash" / "launch.py"
HIGH = "1000000"  # every simulated parent comes from 127.0.0.1
HIGH_LIMITS = {"SEND_NAV_RATE_PER_CONVERSATION": HIGH, "SEND_NAV_RATE_PER_IP": HIGH, "SEND_NAV_RATE_SESSIONS_PER_IP": HIGH}
# Restart quickly in tests; production keeps the default back-off.
POLICY = RestartPolicy(limit=10, window=600.0, backoff=0.5, max_backoff=2.0)


class Watcher:
    """Run Supervisor.check() in the background, as Supervisor.wait() does in production."""

    def __init__(self, supervisor: Supervisor) -> None:
        self.supervisor = supervisor
        self.error: Optional[BaseException] = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            try:
                self.supervisor.check()
            except RuntimeError as exc:  # gave up; the test that waits for the service reports it
                self.error = exc
                return

    def start(self) -> "Watcher":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


@dataclass
class Stack:
    """Running services, their settings, the project's database and the arm file for crash points."""

    settings: Settings
    supervisor: Supervisor
    watcher: Watcher
    sessions: "sessionmaker[Session]"
    arm_file: Path
    killed_at: Dict[str, float] = field(default_factory=dict)

    @property
    def web_url(self) -> str:
        return f"http://{self.settings.web_host}:{self.settings.web_port}"

    def service(self, name: str) -> Service:
        return next(s for s in self.supervisor.services if s.name == name)

    def pid(self, name: str) -> int:
        process = self.service(name).process
        assert process is not None
        return process.pid

    def kill(self, name: str) -> int:
        """SIGKILL a service's whole process group now; return the pid that died."""
        process = self.service(name).process
        assert process is not None and process.poll() is None, f"{name} is not running"
        self.killed_at[name] = time.monotonic()
        os.killpg(os.getpgid(process.pid), signal.SIGKILL)
        return process.pid

    def wait_dead(self, name: str, pid: int, timeout: float = 30.0) -> None:
        """Wait until the process with this pid (killed by itself or by us) has gone."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            process = self.service(name).process
            if process is None or process.pid != pid or process.poll() is not None:
                self.killed_at.setdefault(name, time.monotonic())
                return
            time.sleep(0.05)
        raise AssertionError(f"{name} (pid {pid}) did not die")

    def wait_back(self, name: str, old_pid: int, timeout: float = 180.0) -> float:
        """Wait until the Supervisor has started a new process and it is healthy; return seconds since the kill."""
        deadline = time.monotonic() + timeout
        service = self.service(name)
        while time.monotonic() < deadline:
            if self.watcher.error is not None:
                raise AssertionError(f"the supervisor gave up: {self.watcher.error}")
            process = service.process
            if process is not None and process.pid != old_pid and process.poll() is None and service.healthy():
                return time.monotonic() - self.killed_at.pop(name)
            time.sleep(0.1)
        raise AssertionError(f"{name} was not restarted within {timeout:.0f}s; see {self.supervisor.log_dir}")

    def arm(self, point: str) -> None:
        """Make the action server kill itself at `point` next time it gets there (once)."""
        self.arm_file.write_text(point, encoding="utf-8")

    def sender_for(self, conversation_id: str) -> str:
        """Return the Rasa sender id (and escalation key) of a widget conversation."""
        return conversation_ref(self.settings.secret_key, "web:" + conversation_id)

    def rows(self, model: Any, *where: Any) -> List[Any]:
        """Return rows of one table in the project's database, oldest first."""
        with self.sessions() as session:
            return list(session.execute(select(model).where(*where).order_by(model.id)).scalars())

    def count(self, model: Any, *where: Any) -> int:
        """Count rows of one table in the project's database."""
        with self.sessions() as session:
            return int(session.execute(select(func.count()).select_from(model).where(*where)).scalar_one())


def crash_env(data_dir: Path, extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    """Return settings for an isolated stack on free ports, with limits no test parent reaches."""
    return {
        "SEND_NAV_ENV": "test",
        "SEND_NAV_DATA_DIR": str(data_dir),
        "SEND_NAV_SECRET_KEY": "crash-secret-key-" + "x" * 40,
        "SEND_NAV_RASA_PORT": str(free_port()),
        "SEND_NAV_ACTIONS_PORT": str(free_port()),
        "SEND_NAV_WEB_PORT": str(free_port()),
        "SEND_NAV_REVIEW_PORT": str(free_port()),
        **HIGH_LIMITS,
        **(extra or {}),
    }


@contextmanager
def running(settings: Settings, services: List[Service], arm_file: Path) -> Iterator[Stack]:
    """Prepare the databases, start the services under a restarting Supervisor, and stop them all after."""
    prepare_backends(settings)
    supervisor = Supervisor(services, settings.data_dir / "logs", POLICY)
    supervisor.start(timeout=300, progress=False)
    watcher = Watcher(supervisor).start()
    engine = make_engine(settings.database_url)
    try:
        yield Stack(settings, supervisor, watcher, make_session_factory(engine), arm_file)
    finally:
        watcher.stop()
        supervisor.stop()
        engine.dispose()


def with_crash_points(services: List[Service]) -> List[Service]:
    """Run each action server through launch.py, so the harness can arm its crash points."""
    for service in services:
        if service.argv[1:3] == ["-m", "actions.server"]:
            service.argv = [sys.executable, str(LAUNCH), *service.argv[1:]]
    return services


# ---- the results file --------------------------------------------------------------------------

@dataclass
class Entry:
    """What one scenario did and saw."""

    scenario: str
    killed: str
    moment: str
    parent_saw: str
    restart_s: Optional[float]
    checks: List[str]


class Journal:
    """Collect entries and write them as a Markdown table at the end of the session."""

    def __init__(self) -> None:
        self.entries: List[Entry] = []

    def add(self, entry: Entry) -> None:
        self.entries.append(entry)

    def markdown(self) -> str:
        lines = [
            "# Crash safety (`make crash`: pytest tests/crash)",
            "",
            "Each row: one process killed with SIGKILL at the moment shown, restarted by the project's own",
            "Supervisor (bot/ops/runner.py), then checked against the database. Written by the test run itself.",
            "",
            "| scenario | killed | moment | what the parent saw | back after | checked afterwards |",
            "|---|---|---|---|---:|---|",
        ]
        for e in self.entries:
            back = f"{e.restart_s:.1f} s" if e.restart_s is not None else "-"
            lines.append(f"| {e.scenario} | {e.killed} | {e.moment} | {e.parent_saw} | {back} | {'; '.join(e.checks)} |")
        lines += ["", f"Run: {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, {os.cpu_count()} CPUs.", ""]
        return "\n".join(lines)
