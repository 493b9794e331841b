"""The purge's results for Prometheus: a text file per run, kept across a failed run, re-exported by the dashboard."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Dict

import httpx
import pytest
from prometheus_client import CollectorRegistry, generate_latest
from starlette.testclient import TestClient

from bot.metrics.purge import PurgeMetrics
from bot.ops import purge_job
from bot.ops.purge_job import run_every, run_once
from bot.review.app import create_review_app
from bot.settings import PROJECT_ROOT, Settings, load_settings
from bot.store import FeedbackRepository
from bot.store.models import utcnow
from tests.helpers.rest import free_port
from tests.metrics.scrape import value


def file_text(settings: Settings) -> str:
    return settings.purge_metrics_file.read_text(encoding="utf-8")


def test_a_run_writes_its_counts(settings: Settings, sessions) -> None:  # type: ignore[no-untyped-def]
    feedback = FeedbackRepository(sessions)
    feedback.add("mediation", True, "widget", "ref-old", created_at=utcnow() - dt.timedelta(days=91))
    feedback.add("mediation", True, "widget", "ref-new", created_at=utcnow() - dt.timedelta(days=1))
    assert run_once(settings) == 0
    assert settings.purge_metrics_file == settings.data_dir / "metrics" / "purge.prom"
    text = file_text(settings)
    assert value(text, "send_nav_purge_rows_deleted", holding="feedback") == 1
    assert value(text, "send_nav_purge_last_run_ok") == 1
    assert value(text, "send_nav_purge_last_success_timestamp_seconds") == value(
        text, "send_nav_purge_last_run_timestamp_seconds") > 0
    assert "ref-old" not in text and "mediation" not in text


def test_a_failed_run_keeps_the_last_success(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_once(settings) == 0
    succeeded = value(file_text(settings), "send_nav_purge_last_success_timestamp_seconds")

    def broken(*args: object, **kwargs: object) -> Dict[str, int]:
        raise RuntimeError("Zyxwv's row could not be deleted")

    monkeypatch.setattr(purge_job, "purge", broken)
    assert run_once(settings) == 1
    text = file_text(settings)
    assert value(text, "send_nav_purge_last_run_ok") == 0
    assert value(text, "send_nav_purge_last_success_timestamp_seconds") == succeeded
    assert value(text, "send_nav_purge_last_run_timestamp_seconds") >= succeeded
    assert "Zyxwv" not in text


def test_an_unwritable_file_does_not_fail_the_purge(env: Dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("a file where a folder should be")
    settings = load_settings({**env, "SEND_NAV_PURGE_METRICS_FILE": str(tmp_path / "blocker" / "purge.prom")})
    assert run_once(settings) == 0


def test_the_every_loop_keeps_one_registry_up_to_date(settings: Settings) -> None:
    registry = CollectorRegistry()
    stop = threading.Event()
    metrics = PurgeMetrics(registry)
    original = metrics.record

    def record_then_stop(*args: object, **kwargs: object) -> None:
        original(*args, **kwargs)  # type: ignore[arg-type]
        stop.set()

    metrics.record = record_then_stop  # type: ignore[method-assign]
    assert run_every(settings, 3600.0, stop=stop, metrics=metrics) == 0
    assert value(generate_latest(registry).decode(), "send_nav_purge_last_run_ok") == 1


def test_the_dashboard_reexports_the_purge_results(settings: Settings) -> None:
    app = create_review_app(settings)
    with TestClient(app, base_url="http://localhost"):
        assert "send_nav_purge" not in generate_latest(app.state.registry).decode()  # no run yet: nothing, not zeros
        assert run_once(settings) == 0
        text = generate_latest(app.state.registry).decode()
    assert value(text, "send_nav_purge_last_run_ok") == 1
    assert value(text, "send_nav_purge_rows_deleted", holding="escalations") == 0


def test_the_purge_service_serves_its_results_and_readiness(tmp_path: Path) -> None:
    ops_port = free_port()
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "SEND_NAV_ENV": "test", "SEND_NAV_DATA_DIR": str(tmp_path),
           "SEND_NAV_SECRET_KEY": "k" * 48, "SEND_NAV_METRICS_PORT": str(ops_port - 3)}  # the purge's is 3 up
    job = subprocess.Popen([sys.executable, "-m", "bot", "purge", "--every", "24h"], cwd=PROJECT_ROOT, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ops = f"http://127.0.0.1:{ops_port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                text = httpx.get(ops + "/metrics").text
                if "send_nav_purge_last_run_ok 1.0" in text:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline and job.poll() is None, "the purge service did not serve its results"
            time.sleep(0.2)
        assert value(text, "send_nav_purge_rows_deleted", holding="feedback") == 0
        assert httpx.get(ops + "/readyz").json() == {"ok": True, "checks": {"database": "ok"}}
    finally:
        job.send_signal(signal.SIGTERM)
        assert job.wait(timeout=30) == 0
