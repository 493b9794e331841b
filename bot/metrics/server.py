"""Each process's operations server: /metrics, /healthz and /readyz on a port of its own.

Threat: the figures are counts, but they still describe the service (how
many parents, how many in crisis), and /readyz probes the database. So they
are not on the public port, where a reverse proxy would publish them, but on
SEND_NAV_METRICS_HOST (127.0.0.1 unless a deployment sets its internal
address, as in compose) at the port bot/metrics/ports.py gives the process.
Design: a small thread beside the process's own server, so it works the
same for uvicorn, Sanic, Telegram's polling loop and the purge job. It
cannot take a port from the service: if its port is taken it logs an error
and the process carries on serving parents without metrics.
"""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Optional, Sequence, Tuple

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from bot.metrics.health import Check, run_checks

log = logging.getLogger(__name__)


class OpsServer:
    """Serve a registry and the health checks from a background thread."""

    def __init__(self, registry: CollectorRegistry, checks: Callable[[], Sequence[Check]] = lambda: ()) -> None:
        self.registry = registry
        self.checks = checks
        self.httpd: Optional[ThreadingHTTPServer] = None

    def start(self, host: str, port: int) -> Optional[int]:
        """Start serving on host:port (0: any free port); return the port, or None if it could not be bound."""
        try:
            self.httpd = ThreadingHTTPServer((host, port), self._handler())
        except OSError as exc:
            log.error("metrics server not started on %s:%d (%s); the service runs on without it",
                      host, port, exc.__class__.__name__)
            return None
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, name="ops-server", daemon=True).start()
        bound = int(self.httpd.server_address[1])
        log.info("metrics, /healthz and /readyz on %s:%d", host, bound)
        return bound

    def stop(self) -> None:
        """Stop serving and free the port."""
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None

    def respond(self, path: str) -> Tuple[int, str, bytes]:
        """Return status, content type and body for a GET of this path."""
        if path == "/metrics":
            return 200, CONTENT_TYPE_LATEST, generate_latest(self.registry)
        if path == "/healthz":
            return 200, "application/json", b'{"ok": true}'
        if path == "/readyz":
            ready, results = run_checks(self.checks())
            return (200 if ready else 503), "application/json", json.dumps({"ok": ready, "checks": results}).encode()
        return 404, "application/json", b'{"error": "no_route"}'

    def _handler(self) -> type:
        server = self

        class Handler(BaseHTTPRequestHandler):
            server_version = "send-nav-ops"
            sys_version = ""

            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                status, kind, body = server.respond(self.path.split("?", 1)[0])
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's signature
                return  # scrapes every 15 s would drown the log; failures show in Prometheus itself

        return Handler


def start_ops_server(
    host: str, port: Optional[int], registry: CollectorRegistry, checks: Callable[[], Sequence[Check]] = lambda: (),
) -> Optional[OpsServer]:
    """Start a process's operations server if metrics are on (port not None); return it if it is serving."""
    if port is None:
        return None
    server = OpsServer(registry, checks)
    return server if server.start(host, port) is not None else None
