"""The action server's metrics: `python -m actions.server` in a subprocess, called as Rasa calls it, then scraped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zlib
from pathlib import Path
from typing import Any, Dict, Iterator, Tuple

import httpx
import pytest

from bot.metrics.actions import action_name, result_of
from bot.safety.shared_secret import SECRET_HEADER
from bot.settings import PROJECT_ROOT
from tests.helpers.rest import free_port
from tests.metrics.scrape import samples, value

SECRET = "a" * 48
SENDER = "metrics-sender-0123456789abcdef"
KNOWN = frozenset({"action_show_topics"})


@pytest.mark.parametrize("body, encoding, name", [
    (b'{"next_action": "action_show_topics"}', None, "action_show_topics"),
    (zlib.compress(b'{"next_action": "action_show_topics"}'), "deflate", "action_show_topics"),
    (b'{"next_action": "my son Zyxwv"}', None, "other"),
    (b'{"next_action": ["action_show_topics"]}', None, "other"),
    (b"[1, 2]", None, "other"),
    (b"not json", None, "other"),
    (b"not deflated", "deflate", "other"),
])
def test_action_name_is_only_ever_a_known_action(body: bytes, encoding: str, name: str) -> None:
    assert action_name(body, encoding, KNOWN) == name


@pytest.mark.parametrize("status, result", [(200, "ok"), (400, "rejected"), (401, "refused"), (404, "not_found"),
                                            (415, "refused"), (500, "error"), (503, "error"), (302, "other")])
def test_result_of(status: int, result: str) -> None:
    assert result_of(status) == result


def call(action: str, tracker: Any = None) -> Dict[str, Any]:
    tracker = tracker if tracker is not None else {
        "sender_id": SENDER, "slots": {}, "latest_message": {"text": "Zyxwv asked", "intent": {}, "entities": []},
        "events": [], "paused": False, "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen"}
    return {"next_action": action, "sender_id": SENDER, "tracker": tracker, "domain": {}, "version": "3.6.2"}


@pytest.fixture(scope="module")
def action_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tuple[str, str]]:
    """Start the real action server with its metrics on a free port; return (webhook URL, ops URL)."""
    data = tmp_path_factory.mktemp("actions")
    port, ops_port = free_port(), free_port()
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "SEND_NAV_ENV": "test", "SEND_NAV_DATA_DIR": str(data),
           "SEND_NAV_SECRET_KEY": "k" * 48, "SEND_NAV_ACTIONS_SECRET": SECRET, "SEND_NAV_ACTIONS_PORT": str(port),
           "SEND_NAV_METRICS_PORT": str(ops_port - 10)}  # the first action server's metrics are 10 ports up
    log = open(Path(data) / "actions.log", "wb")
    process = subprocess.Popen([sys.executable, "-m", "actions.server", "--port", str(port)], env=env,
                               cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT)
    ops = f"http://127.0.0.1:{ops_port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200 and httpx.get(ops + "/healthz"):
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("action server did not start: " + (Path(data) / "actions.log").read_text()[-2000:])
            time.sleep(0.3)
        yield f"http://127.0.0.1:{port}/webhook", ops
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def test_runs_are_counted_by_action_and_result(action_server: Tuple[str, str]) -> None:
    url, ops = action_server
    headers = {"Content-Type": "application/json", SECRET_HEADER: SECRET}
    assert httpx.post(url, json=call("action_show_topics"), headers=headers, timeout=30).status_code == 200
    assert httpx.post(url, json=call("action_show_topics"), headers=headers, timeout=30).status_code == 200
    assert httpx.post(url, json=call("action_zyxwv"), headers=headers, timeout=30).status_code == 404
    assert httpx.post(url, json=call("action_show_topics", ["Zyxwv"]), headers=headers, timeout=30).status_code == 500
    assert httpx.post(url, content=json.dumps(call("action_show_topics")),
                      headers={"Content-Type": "application/json"}, timeout=30).status_code == 401

    text = httpx.get(ops + "/metrics").text
    assert value(text, "send_nav_action_runs_total", action="action_show_topics", result="ok") == 2
    assert value(text, "send_nav_action_runs_total", action="other", result="not_found") == 1
    assert value(text, "send_nav_action_runs_total", action="action_show_topics", result="error") == 1
    assert value(text, "send_nav_action_runs_total", action="action_show_topics", result="refused") == 1
    assert value(text, "send_nav_action_seconds_count", action="action_show_topics") == 4
    assert "Zyxwv" not in text and SENDER not in text
    assert {s.labels["action"] for s in samples(text) if "action" in s.labels} == {"action_show_topics", "other"}


def test_health_and_readiness(action_server: Tuple[str, str]) -> None:
    _, ops = action_server
    assert httpx.get(ops + "/healthz").json() == {"ok": True}
    ready = httpx.get(ops + "/readyz", timeout=30)
    assert (ready.status_code, ready.json()) == (200, {"ok": True, "checks": {"knowledge": "ok", "database": "ok"}})


def test_the_action_server_image_has_what_its_metrics_need() -> None:
    # The action server needs no HTTP client of its own; its image installs requirements/services.txt.
    probe = ("import sys, actions.server; actions.server.action_names('actions'); "
             "print('httpx' in sys.modules, 'prometheus_client' in sys.modules)")
    found = subprocess.run([sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True,
                           env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}, timeout=120)
    assert found.stdout.split()[-2:] == ["False", "True"], found.stderr[-2000:]
    assert "prometheus-client" in (PROJECT_ROOT / "requirements" / "services.txt").read_text(encoding="utf-8")
    assert "requirements/services.txt" in (PROJECT_ROOT / "deploy" / "services.Dockerfile").read_text(encoding="utf-8")
