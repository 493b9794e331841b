"""Request counts and latency for the two Starlette apps, labelled by route template (never the raw path)."""

from __future__ import annotations

import time
from typing import Any, Dict

from prometheus_client import CollectorRegistry, Histogram
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0)
UNMATCHED = "unmatched"  # a path no route serves: its text is never a label (it could be anything)


def http_histogram(registry: CollectorRegistry) -> Histogram:
    """Return the request duration histogram for one app's registry."""
    return Histogram(
        "send_nav_http_request_seconds", "Time to answer an HTTP request, by app, route template, method and status class",
        ["app", "route", "method", "status"], buckets=HTTP_BUCKETS, registry=registry,
    )


def route_template(app: Any, scope: Scope) -> str:
    """Return the path template of the route that serves this request (`/q/{qid}`, not `/q/17`)."""
    routes = getattr(getattr(app, "router", None), "routes", None) or getattr(app, "routes", None) or []
    for route in routes:
        match, child = route.matches(scope)
        if match is Match.FULL:
            path = getattr(route, "path", UNMATCHED)
            inner = getattr(route, "app", None)
            if inner is not None and getattr(inner, "routes", None) is not None and inner is not app:
                nested = route_template(inner, {**scope, **child})  # a Mount: the route inside it
                return path + nested if nested != UNMATCHED else path
            return str(path)
    return UNMATCHED


class HttpMetricsMiddleware:
    """Time each HTTP request and count it under its route template and status class (2xx, 4xx...)."""

    def __init__(self, app: ASGIApp, histogram: Histogram, name: str) -> None:
        self.app = app
        self.histogram = histogram
        self.name = name

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        # Starlette puts itself in the scope; match now, before its router rewrites the scope's root_path.
        route = route_template(scope.get("app"), dict(scope))
        status: Dict[str, int] = {"code": 500}

        async def send_and_note(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            method = scope.get("method", "GET")
            method = method if method in ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS") else "other"
            self.histogram.labels(self.name, route, method, f"{status['code'] // 100}xx").observe(
                time.perf_counter() - started)


