"""The supervisor restarts a crashed service, backs off, and gives up on one that keeps crashing."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest

from bot.ops.runner import RestartPolicy, Service, Supervisor

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]
QUICK = RestartPolicy(limit=2, window=60.0, backoff=0.2, max_backoff=0.4)


def _sleeper(name: str) -> Service:
    return Service(name=name, argv=SLEEPER, health_url=None)


def _kill(service: Service) -> None:
    assert service.process is not None
    os.killpg(os.getpgid(service.process.pid), signal.SIGKILL)
    service.process.wait(5)


def _check_until_restarted(supervisor: Supervisor, timeout: float = 5.0) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        restarted = supervisor.check()
        if restarted:
            return restarted
        time.sleep(0.05)
    return []


@pytest.fixture
def supervisor(tmp_path: Path):
    supervisor = Supervisor([_sleeper("one"), _sleeper("two")], tmp_path / "logs", QUICK)
    supervisor.start(timeout=10, progress=False)
    yield supervisor
    supervisor.stop()


def test_a_killed_service_is_started_again_after_its_back_off(supervisor: Supervisor, capsys) -> None:
    one, two = supervisor.services
    first_pid, other_pid = one.process.pid, two.process.pid
    _kill(one)
    assert supervisor.check() == []  # not at once: the back-off comes first
    assert _check_until_restarted(supervisor) == ["one"]
    assert one.alive() and one.process.pid != first_pid
    assert two.process.pid == other_pid  # the others are left alone
    assert "one stopped unexpectedly (exit code -9); restarting in 0s" in capsys.readouterr().out


def test_a_service_that_keeps_crashing_stops_everything(supervisor: Supervisor) -> None:
    one = supervisor.services[0]
    for _ in range(QUICK.limit):
        _kill(one)
        assert _check_until_restarted(supervisor) == ["one"]
    _kill(one)
    with pytest.raises(RuntimeError, match="one stopped 3 times"):
        supervisor.check()


def test_back_off_doubles_up_to_the_cap(tmp_path: Path) -> None:
    policy = RestartPolicy(limit=10, window=60.0, backoff=1.0, max_backoff=3.0)
    supervisor = Supervisor([_sleeper("one")], tmp_path, policy)
    supervisor.restarts["one"] = [time.monotonic()] * 4  # restarted four times already
    supervisor.services[0].start(tmp_path)
    _kill(supervisor.services[0])
    before = time.monotonic()
    supervisor.check()
    assert 2.9 <= supervisor._due["one"] - before <= 3.1  # 1 * 2**4 = 16, capped at 3
