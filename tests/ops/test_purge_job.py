"""The retention purge as a job: the compose service's exact command, run once, failures, the loop."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Dict, List

import pytest
import yaml

from bot.ops import purge_job
from bot.ops.purge_job import RETRY_AFTER, parse_period, run_every, run_once
from bot.settings import PROJECT_ROOT, load_settings
from bot.store import EscalationRepository, FeedbackRepository, UnansweredRecord, UnansweredRepository, make_engine, make_session_factory
from bot.store.models import utcnow

SECRET = "purge-job-secret-" + "y" * 32


def _compose_purge_command() -> List[str]:
    compose = yaml.safe_load((PROJECT_ROOT / "deploy" / "docker-compose.yml").read_text(encoding="utf-8"))
    return list(compose["services"]["purge"]["command"])


def _seed(database_url: str) -> None:
    """One row each 91 days old ("old") and 89 days old ("new"), in three tables."""
    sessions = make_session_factory(make_engine(database_url))
    unanswered, feedback, escalations = UnansweredRepository(sessions), FeedbackRepository(sessions), EscalationRepository(sessions)
    for label, days in (("old", 91), ("new", 89)):
        when = utcnow() - dt.timedelta(days=days)
        unanswered.add(UnansweredRecord("rest", "out_of_scope", f"{label} private question", [], f"ref-{label}", created_at=when))
        feedback.add("mediation", True, "widget", f"ref-{label}", created_at=when)
        escalation_id = escalations.create(f"conv-{label}", "widget", {"turns": [f"{label} private turn"]}, consent_at=when)
        with sessions.begin() as session:
            from bot.store.escalations import Escalation
            session.get(Escalation, escalation_id).created_at = when


def test_the_compose_purge_service_command_purges_old_rows_and_prints_only_counts(tmp_path: Path) -> None:
    argv = _compose_purge_command()
    assert argv[0] == "python"
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "SEND_NAV_ENV": "test", "SEND_NAV_DATA_DIR": str(tmp_path),
           "SEND_NAV_SECRET_KEY": SECRET, "SEND_NAV_SCALE_OUT": "0"}
    env = {k: v for k, v in env.items() if k not in ("SEND_NAV_DATABASE_URL", "SEND_NAV_TRACKER_URL")}
    settings = load_settings({k: v for k, v in env.items() if k.startswith("SEND_NAV_")})
    _seed(settings.database_url)

    job = subprocess.Popen([sys.executable, *argv[1:]], cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    try:
        lines: List[str] = []
        deadline = time.monotonic() + 120
        while not any(line.startswith("Purged") for line in lines) and time.monotonic() < deadline:
            line = job.stdout.readline() if job.stdout else ""
            if not line and job.poll() is not None:
                break
            lines.append(line)
    finally:
        job.send_signal(signal.SIGTERM)
        out, err = job.communicate(timeout=30)
    output = "".join(lines) + out + err

    assert job.returncode == 0, output  # SIGTERM stops the loop cleanly
    counts: Dict[str, int] = {name: int(n) for name, n in re.findall(r"(\w+) (\d+)", output.split("days: ", 1)[1].splitlines()[0])}
    assert counts["unanswered_log"] == counts["feedback"] == counts["escalations"] == 1
    assert counts["tracker_events"] == counts["web_session"] == 0
    assert "private" not in output
    sessions = make_session_factory(make_engine(settings.database_url))
    assert [r.text_redacted for r in UnansweredRepository(sessions).since(utcnow() - dt.timedelta(days=365))] == ["new private question"]


def test_a_failed_purge_exits_non_zero_and_names_only_the_error_class(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = load_settings({"SEND_NAV_ENV": "test", "SEND_NAV_DATA_DIR": str(tmp_path), "SEND_NAV_SECRET_KEY": SECRET,
                              "SEND_NAV_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    assert run_once(settings) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("Purge failed (OperationalError)")
    assert "nobody" not in captured.err and "Traceback" not in captured.err


@pytest.mark.parametrize("text, seconds", [("24h", 86400), ("1d", 86400), ("30m", 1800), ("90s", 90), (" 2h ", 7200)])
def test_periods(text: str, seconds: float) -> None:
    assert parse_period(text) == seconds


@pytest.mark.parametrize("text", ["", "24", "h", "0h", "1.5h", "-1h", "24 h", "1w"])
def test_periods_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_period(text)


class CountingStop(threading.Event):
    """A stop event that records each wait and sets itself after `runs` of them."""

    def __init__(self, runs: int) -> None:
        super().__init__()
        self.runs = runs
        self.waits: List[float] = []

    def wait(self, timeout: float | None = None) -> bool:
        self.waits.append(float(timeout or 0))
        if len(self.waits) >= self.runs:
            self.set()
        return self.is_set()


@pytest.mark.parametrize("results, waits", [
    ([0, 0], [86400.0, 86400.0]),
    ([1, 0], [RETRY_AFTER, 86400.0]),  # a failed run is tried again sooner than a day
])
def test_the_loop_waits_a_period_or_retries_sooner(monkeypatch, tmp_path: Path, results: List[int], waits: List[float]) -> None:
    outcomes = iter(results)
    monkeypatch.setattr(purge_job, "run_once", lambda _settings, **_options: next(outcomes))
    stop = CountingStop(runs=len(results))
    settings = load_settings({"SEND_NAV_ENV": "test", "SEND_NAV_DATA_DIR": str(tmp_path), "SEND_NAV_SECRET_KEY": SECRET})
    assert run_every(settings, 86400.0, stop) == 0
    assert stop.waits == waits
