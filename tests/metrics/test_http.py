"""Route templates as labels: the template a request matched, never the path it asked for."""

from __future__ import annotations

from typing import Dict

import pytest
from prometheus_client import generate_latest
from starlette.testclient import TestClient

from bot.metrics.http import route_template
from bot.review.app import create_review_app
from bot.settings import Settings
from tests.metrics.scrape import value


def scope(path: str, method: str = "GET") -> Dict:
    return {"type": "http", "path": path, "root_path": "", "method": method, "headers": []}


@pytest.mark.parametrize("path, method, template", [
    ("/review/login", "GET", "/review/login"),
    ("/review/q/17", "GET", "/review/q/{qid}"),
    ("/review/q/17/claim", "POST", "/review/q/{qid}/claim"),
    ("/review/static/review.css", "GET", "/review/static"),
    ("/review/", "GET", "/review/"),
    ("/healthz", "GET", "/healthz"),
    ("/review/q/my-son-Zyxwv", "GET", "/review/q/{qid}"),
    ("/my-son-Zyxwv", "GET", "unmatched"),
    ("/healthz", "POST", "unmatched"),  # a route, but not for this method
])
def test_route_template(settings: Settings, path: str, method: str, template: str) -> None:
    assert route_template(create_review_app(settings), scope(path, method)) == template


def test_the_dashboard_counts_requests_by_template(settings: Settings) -> None:
    app = create_review_app(settings)
    with TestClient(app, base_url="http://localhost") as client:
        client.get("/review/q/17")
        client.get("/review/q/18")
        client.get("/nowhere-Zyxwv")
    text = generate_latest(app.state.registry).decode()
    assert value(text, "send_nav_http_request_seconds_count", app="review", route="/review/q/{qid}", method="GET",
                 status="3xx") == 2  # not logged in: sent to the login page
    assert value(text, "send_nav_http_request_seconds_count", app="review", route="unmatched", method="GET",
                 status="4xx") == 1
    assert "Zyxwv" not in text and "/review/q/17" not in text
