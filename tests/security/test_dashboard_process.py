"""Issue 13.3, F13 and F10, as deployed: the supervisor starts the widget server and the dashboard as two
processes (exactly as `python -m bot run` does), and these tests talk to them over HTTP."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Iterator

import httpx
import pytest

from bot.ops.runner import Supervisor, channel_services, prepare_backends
from bot.review.context import DASHBOARD_CSP
from bot.settings import Settings, load_settings
from bot.web.security import CSP as WIDGET_CSP
from tests.helpers.rest import free_port


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dict[str, str]]:
    """Start the channel services as the runner does; yield their base URLs."""
    root = tmp_path_factory.mktemp("processes")
    settings = load_settings({
        "SEND_NAV_ENV": "test", "SEND_NAV_DATA_DIR": str(root), "SEND_NAV_SECRET_KEY": "p" * 48,
        "SEND_NAV_WEB_PORT": str(free_port()), "SEND_NAV_REVIEW_PORT": str(free_port()),
    })
    prepare_backends(settings)
    supervisor = Supervisor(channel_services(settings), root / "logs")
    supervisor.start(timeout=90, progress=False)
    try:
        yield {"web": f"http://127.0.0.1:{settings.web_port}", "review": f"http://127.0.0.1:{settings.review_port}",
               "review_port": str(settings.review_port), **{f"pid:{s.name}": str(s.process.pid) for s in supervisor.services}}
    finally:
        supervisor.stop()


def test_13_3_the_runner_starts_the_dashboard_as_a_process_of_its_own(running: Dict[str, str]):
    assert running["pid:web"] != running["pid:review"]
    assert httpx.get(running["review"] + "/healthz").json() == {"ok": True}
    page = httpx.get(running["review"] + "/review/login")
    assert page.status_code == 200 and 'name="password"' in page.text


@pytest.mark.parametrize("path", ["/review", "/review/", "/review/login", "/review/static/review.css"])
def test_13_3_the_widget_server_no_longer_serves_the_dashboard(running: Dict[str, str], path: str):
    response = httpx.get(running["web"] + path)
    assert response.status_code == 404 and "location" not in response.headers


@pytest.mark.parametrize("path", ["/", "/privacy", "/widget.js"])
def test_13_3_the_widget_pages_do_not_link_to_the_dashboard(running: Dict[str, str], path: str):
    body = httpx.get(running["web"] + path).text
    assert "/review" not in body and f":{running['review_port']}" not in body


REQUESTS = [
    ("GET", "/review/login", 200), ("GET", "/review/", 303), ("GET", "/review", 307), ("GET", "/review/nothing", 404),
    ("POST", "/review/login", 403), ("POST", "/review/q/1/claim", 401), ("GET", "/review/static/review.css", 200),
    ("GET", "/healthz", 200), ("GET", "/review/set-password?token=x", 410),
]


@pytest.mark.parametrize("method,path,status", REQUESTS)
def test_f13_every_dashboard_response_is_served_with_the_dashboard_policy(running, method: str, path: str, status: int):
    response = httpx.request(method, running["review"] + path, data={"x": "y"} if method == "POST" else None)
    assert response.status_code == status
    assert response.headers.get_list("content-security-policy") == [DASHBOARD_CSP]
    assert "script-src 'none'" in DASHBOARD_CSP and "frame-ancestors 'none'" in DASHBOARD_CSP
    assert response.headers["x-frame-options"] == "DENY" and response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_f13_the_widget_keeps_its_own_policy(running: Dict[str, str]):
    response = httpx.get(running["web"] + "/")
    assert response.headers.get_list("content-security-policy") == [WIDGET_CSP] != [DASHBOARD_CSP]


@pytest.mark.parametrize("service", ["web", "review"])
def test_f10_both_processes_refuse_a_foreign_host_and_never_echo_it(running: Dict[str, str], service: str):
    for path in ("/review", "/review/q/1/", "/"):
        response = httpx.get(running[service] + path, headers={"Host": "evil.example"})
        assert response.status_code == 400 and "evil.example" not in response.headers.get("location", "")


def test_f10_the_supervisor_checks_health_with_the_public_host(tmp_path: Path):
    settings: Settings = load_settings({"SEND_NAV_ENV": "production", "SEND_NAV_DATA_DIR": str(tmp_path),
                                        "SEND_NAV_SECRET_KEY": "s" * 48, "SEND_NAV_ACTIONS_SECRET": "a" * 48,
                                        "SEND_NAV_PUBLIC_URL": "https://send.example.org"})
    services = {s.name: s for s in channel_services(settings)}
    assert services["web"].health_headers == services["review"].health_headers == {"Host": "send.example.org"}
    assert services["review"].argv[-2:] == ["-m", "bot.review"] and services["review"].health_url.endswith(":8001/healthz")
