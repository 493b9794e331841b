"""F4 and F10 on both web apps: client addresses only from trusted proxies; only our own Host; relative redirects."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Callable, Iterator, List, Tuple

import anyio
import httpx
import pytest
import yaml
from starlette.testclient import TestClient

from bot.review.app import create_review_app
from bot.settings import PROJECT_ROOT, Settings, SettingsError, load_settings
from bot.web.app import create_app
from bot.web.proxies import client_address, networks
from bot.web.ratelimit import Limits
from tests.helpers.dashboard import (  # noqa: F401  (fixtures)
    accounts, dashboard_app, dashboard_settings, hasher, project_kb, review,
)
from tests.helpers.servers import ServerThread
from tests.helpers.web import FakeRasa

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PROXY = "198.51.100.9"  # the address our reverse proxy appended


@pytest.mark.parametrize("peer,header,trusted,expected", [
    ("203.0.113.5", ["10.9.3.1"], [], "203.0.113.5"),                                # no proxy trusted: header ignored
    ("203.0.113.5", ["10.9.3.1"], ["127.0.0.1"], "203.0.113.5"),                     # peer is not our proxy
    ("127.0.0.1", [], ["127.0.0.1"], "127.0.0.1"),                                   # our proxy, no header
    ("127.0.0.1", ["192.0.2.4"], ["127.0.0.1"], "192.0.2.4"),                        # our proxy names the client
    ("127.0.0.1", ["6.6.6.6, 192.0.2.4"], ["127.0.0.1"], "192.0.2.4"),               # a forged left part is ignored
    ("127.0.0.1", ["6.6.6.6", "192.0.2.4"], ["127.0.0.1"], "192.0.2.4"),             # two header lines, one list
    ("10.0.0.2", ["192.0.2.4, 10.0.0.7"], ["10.0.0.0/8"], "192.0.2.4"),              # a chain of our proxies
    ("10.0.0.2", ["10.0.0.9, 10.0.0.7"], ["10.0.0.0/8"], "10.0.0.9"),                # every hop ours: left-most
    ("127.0.0.1", ["garbage, 192.0.2.4"], ["127.0.0.1"], "192.0.2.4"),
    ("127.0.0.1", ["192.0.2.4, not-an-address"], ["127.0.0.1"], "127.0.0.1"),        # cannot believe past junk
    ("::1", ["2001:db8::5"], ["::1"], "2001:db8::5"),
    ("testclient", ["192.0.2.4"], ["127.0.0.1"], "testclient"),
])
def test_f4_client_is_the_right_most_address_not_written_by_a_trusted_proxy(peer, header, trusted, expected):
    assert client_address(peer, header, networks(trusted)) == expected


@pytest.mark.parametrize("raw,expected", [
    ("", ()), ("127.0.0.1", ("127.0.0.1/32",)), (" 10.0.0.0/8 , ::1 ", ("10.0.0.0/8", "::1/128")),
    ("172.29.254.1,", ("172.29.254.1/32",)),
])
def test_f4_trusted_proxies_setting_is_read_and_checked(env, raw: str, expected: Tuple[str, ...]):
    assert load_settings({**env, "SEND_NAV_TRUSTED_PROXIES": raw}).trusted_proxies == expected


@pytest.mark.parametrize("raw", ["*", "localhost", "10.0.0.0/33"])
def test_f4_a_trusted_proxies_setting_that_is_not_addresses_is_refused(env, raw: str):
    with pytest.raises(SettingsError, match="SEND_NAV_TRUSTED_PROXIES"):
        load_settings({**env, "SEND_NAV_TRUSTED_PROXIES": raw})


def test_f4_compose_trusts_only_its_gateway_and_not_forwarded_allow_ips():
    parsed = yaml.safe_load((PROJECT_ROOT / "deploy" / "docker-compose.yml").read_text(encoding="utf-8"))
    for name, service in parsed["services"].items():
        assert "FORWARDED_ALLOW_IPS" not in (service.get("environment") or {}), name
    gateway = parsed["networks"]["default"]["ipam"]["config"][0]["gateway"]
    for name in ("web", "review"):
        trusted = parsed["services"][name]["environment"]["SEND_NAV_TRUSTED_PROXIES"]
        assert trusted == "${SEND_NAV_TRUSTED_PROXIES:-%s}" % gateway, name
    assert {n: s["ports"] for n, s in parsed["services"].items() if "ports" in s} == {
        "web": ["127.0.0.1:8000:8000"], "review": ["127.0.0.1:8001:8001"]}


# --- over real HTTP, served as the processes serve (bot/web/serving.py) ------------------------------------

@pytest.fixture
def served_dashboard(settings: Settings, project_kb, accounts) -> Iterator[Callable[..., str]]:  # noqa: F811
    """Return a factory serving the dashboard with the given trusted proxies."""
    started: List[Tuple[ServerThread, Any]] = []

    def serve(trusted: Tuple[str, ...] = ()) -> str:
        app = create_review_app(replace(settings, trusted_proxies=trusted), kb=project_kb)
        server = ServerThread(app).start()
        started.append((server, app))
        return server.url

    yield serve
    for server, app in started:
        server.stop()
        app.state.review.engine.dispose()


def _failed_logins(base: str, forwarded) -> List[int]:
    """Send 25 wrong logins, each for a different email and with its own X-Forwarded-For; return the statuses."""
    statuses = []
    for n in range(25):
        with httpx.Client(base_url=base, timeout=10) as http:
            token = CSRF.search(http.get("/review/login").text).group(1)
            response = http.post("/review/login", headers={"X-Forwarded-For": forwarded(n)},
                                 data={"email": f"guess{n}@example.org", "password": "nope", "csrf_token": token})
            statuses.append(response.status_code)
    return statuses


def test_f4_rotating_the_header_no_longer_bypasses_the_dashboard_login_limit(served_dashboard):
    statuses = _failed_logins(served_dashboard(), lambda n: f"10.9.3.{n}")
    assert statuses[:20] == [400] * 20 and set(statuses[20:]) == {429}


def test_f4_behind_a_trusted_proxy_a_forged_left_part_does_not_help_either(served_dashboard):
    statuses = _failed_logins(served_dashboard(trusted=("127.0.0.1",)), lambda n: f"10.9.3.{n}, {PROXY}")
    assert statuses[:20] == [400] * 20 and set(statuses[20:]) == {429}


def test_f4_behind_a_trusted_proxy_different_clients_are_counted_apart(served_dashboard):
    statuses = _failed_logins(served_dashboard(trusted=("127.0.0.1",)), lambda n: f"192.0.2.{n}")
    assert statuses == [400] * 25  # 25 real clients, one failure each


@pytest.fixture
def served_widget(settings: Settings) -> Iterator[str]:
    """Serve the widget server (with a fake Rasa) as its process does; yield its URL."""
    rasa = FakeRasa().client()
    server = ServerThread(create_app(settings, rasa=rasa, limits=Limits(sessions_per_ip=10, per_ip=1000))).start()
    yield server.url
    server.stop()
    anyio.run(rasa.aclose)


def test_f4_rotating_the_header_no_longer_bypasses_the_widget_per_address_limits(served_widget):
    with httpx.Client(base_url=served_widget, timeout=10) as http:
        statuses = [http.post("/api/session", json={}, headers={"X-Forwarded-For": f"10.9.3.{n}"}).status_code
                    for n in range(15)]
    assert statuses[:10] == [201] * 10 and set(statuses[10:]) == {429}


@pytest.mark.parametrize("trusted,secure", [((), False), (("127.0.0.1",), True)])
def test_f4_forwarded_proto_counts_only_from_a_trusted_proxy(served_dashboard, trusted, secure: bool):
    with httpx.Client(base_url=served_dashboard(trusted=trusted), timeout=10) as http:
        response = http.get("/review/login", headers={"X-Forwarded-Proto": "https"})
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("snav_review_login="))
    assert ("Secure" in cookie) is secure


# --- F10: Host ----------------------------------------------------------------------------------------------

@pytest.fixture
def both_apps(settings: Settings, dashboard_app) -> Iterator[List[Tuple[str, TestClient]]]:  # noqa: F811
    rasa = FakeRasa().client()
    widget = create_app(settings, rasa=rasa)
    yield [("widget", TestClient(widget, follow_redirects=False, base_url="http://localhost")),
           ("dashboard", TestClient(dashboard_app, follow_redirects=False, base_url="http://localhost"))]
    anyio.run(rasa.aclose)


@pytest.mark.parametrize("path", ["/", "/healthz", "/review", "/review/login", "/review/q/1/", "/privacy/"])
def test_f10_a_foreign_host_is_refused_by_both_apps(both_apps, path: str):
    for name, client in both_apps:
        response = client.get(path, headers={"Host": "evil.example"})
        assert response.status_code == 400, (name, path)
        assert "evil.example" not in response.headers.get("location", "")
        assert "content-security-policy" in response.headers, name  # refusals carry the headers too


def test_f10_redirects_are_relative_and_trailing_slashes_do_not_redirect(both_apps):
    (_, widget), (_, dashboard) = both_apps
    for path, location in (("/review", "/review/"), ("/", "/review/")):
        response = dashboard.get(path, headers={"X-Forwarded-Host": "evil.example"})
        assert response.status_code == 307 and response.headers["location"] == location
    for client, path in ((dashboard, "/review/q/1/"), (dashboard, "/review/login/"), (widget, "/privacy/")):
        response = client.get(path)
        assert response.status_code == 404 and "location" not in response.headers, path


def test_f10_the_public_url_host_is_answered_and_production_needs_one(settings: Settings, project_kb):
    public = replace(settings, env="production", public_url="https://send.example.org")
    app = create_review_app(public, kb=project_kb)
    try:
        ours = TestClient(app, base_url="https://send.example.org", follow_redirects=False)
        assert ours.get("/review/login").status_code == 200
        assert ours.get("/review/login", headers={"Host": "localhost"}).status_code == 400  # not in production
    finally:
        app.state.review.engine.dispose()
    with pytest.raises(SettingsError, match="SEND_NAV_PUBLIC_URL"):
        create_review_app(replace(settings, env="production", public_url=""), kb=project_kb)
