"""The action server, as rasa_sdk runs it, behind the shared-secret check: `python -m actions.server --port 5055`.

Only Rasa may call it (security review F9; bot/safety/shared_secret.py):
every request but the health check must carry SEND_NAV_ACTIONS_SECRET, and
a call must be JSON. There is no CORS (no browser has any business here),
and an action that fails answers "internal error" without echoing the
request, which holds the conversation's tracker (rasa_sdk's own handler
sends the whole body back, and Rasa would log it).
"""

from __future__ import annotations

import logging
import os
import time
from typing import FrozenSet, List, Optional

from prometheus_client import CollectorRegistry
from rasa_sdk import utils
from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
from rasa_sdk.endpoint import create_app, create_argument_parser
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.plugin import plugin_manager
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.services import get_services, ping_database
from bot.metrics import health
from bot.metrics.actions import ActionMetrics
from bot.metrics.ports import metrics_port
from bot.metrics.registry import make_registry
from bot.metrics.server import start_ops_server
from bot.ops.startup import startup_line
from bot.safety.shared_secret import SECRET_HEADER, refusal
from bot.settings import Settings, load_settings

log = logging.getLogger(__name__)
HEALTH = "/health"
WEBHOOK = "/webhook"


def action_names(package: str) -> FrozenSet[str]:
    """Return the names of the package's actions (the only values the `action` label may take)."""
    executor = ActionExecutor()
    executor.register_package(package)
    return frozenset(executor.actions)


def create_server(secret: str, package: str = "actions", registry: Optional[CollectorRegistry] = None) -> Sanic:
    """Return rasa_sdk's app for the package, refusing calls without the secret, counting each call."""
    executor = ActionExecutor()
    executor.register_package(package)
    app = create_app(executor, cors_origins=None)
    metrics = ActionMetrics(registry if registry is not None else CollectorRegistry(), frozenset(executor.actions))

    @app.middleware("request")
    async def start_clock(request: Request) -> None:
        request.ctx.started = time.perf_counter()

    @app.middleware("request")
    async def require_secret(request: Request) -> Optional[HTTPResponse]:
        if request.method == "GET" and request.path == HEALTH:
            return None
        status = refusal(request.method, request.headers.get("content-type"), request.headers.get(SECRET_HEADER), secret)
        if status is None:
            return None
        log.warning("action server refused a request (%s)", status)
        return response.json({"error": "refused"}, status=status)

    @app.middleware("response")
    async def count(request: Request, reply: HTTPResponse) -> None:
        started = getattr(request.ctx, "started", None)
        if request.path == WEBHOOK and started is not None:
            metrics.observe(request.body, request.headers.get("content-encoding"), reply.status,
                            time.perf_counter() - started)

    async def internal_error(request: Request, exception: Exception) -> HTTPResponse:
        log.error("action failed (%s)", exception.__class__.__name__, exc_info=exception)
        return response.json({"error": "internal error"}, status=500)

    # rasa_sdk has registered its own catch-all handler, which echoes the request body; Sanic
    # refuses a second one for the same exception, so this one takes its place.
    app.error_handler.cached_handlers[(Exception, None)] = internal_error
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    return app


def main(argv: Optional[List[str]] = None) -> None:
    """Parse rasa_sdk's arguments, set up its logging, and serve."""
    args = create_argument_parser().parse_args(argv)
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(logging.getLogger(APPLICATION_ROOT_LOGGER_NAME), args.log_file, args.loglevel,
                                 args.logging_config_file)
    utils.update_sanic_log_level()
    log.info(startup_line("action server"))
    settings = load_settings()
    registry = make_registry()
    app = create_server(settings.actions_secret, args.actions or "actions", registry)
    serve_metrics(settings, registry, args.port)
    # One process, always: Sanic 25 would start workers as fresh processes, each with its own
    # registry that /metrics here never sees. Scale out with more action servers instead
    # (SEND_NAV_ACTIONS_REPLICAS), as the supervisor and compose do.
    app.run(os.environ.get("SANIC_HOST", "127.0.0.1"), args.port, single_process=True)


def serve_metrics(settings: Settings, registry: CollectorRegistry, port: int) -> None:
    """Serve /metrics, /healthz and /readyz beside the action server (several Sanic workers would share one port)."""
    # The actions answer from the knowledge base without the database (unanswered records are
    # spooled), so the database is reported but does not make the server unready.
    def knowledge() -> None:
        get_services()  # loads and validates the knowledge base on first call

    checks = [health.Check("knowledge", knowledge),
              health.Check("database", lambda: ping_database(settings.database_url), required=False)]
    start_ops_server(settings.metrics_host, metrics_port(settings, "actions", port), registry, lambda: checks)


if __name__ == "__main__":
    main()
