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
from functools import partial
from typing import List, Optional

from rasa_sdk import utils
from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
from rasa_sdk.endpoint import create_app, create_argument_parser
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.plugin import plugin_manager
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sanic.worker.loader import AppLoader

from bot.ops.startup import startup_line
from bot.safety.shared_secret import SECRET_HEADER, refusal
from bot.settings import load_settings

log = logging.getLogger(__name__)
HEALTH = "/health"


def create_server(secret: str, package: str = "actions") -> Sanic:
    """Return rasa_sdk's app for the package, refusing calls without the secret."""
    executor = ActionExecutor()
    executor.register_package(package)
    app = create_app(executor, cors_origins=None)

    @app.middleware("request")
    async def require_secret(request: Request) -> Optional[HTTPResponse]:
        if request.method == "GET" and request.path == HEALTH:
            return None
        status = refusal(request.method, request.headers.get("content-type"), request.headers.get(SECRET_HEADER), secret)
        if status is None:
            return None
        log.warning("action server refused a request (%s)", status)
        return response.json({"error": "refused"}, status=status)

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
    host, workers = os.environ.get("SANIC_HOST", "127.0.0.1"), utils.number_of_sanic_workers()
    factory = partial(create_server, load_settings().actions_secret, args.actions or "actions")
    if workers == 1:  # one process: what the supervisor and compose run (and tests/crash patches)
        factory().run(host, args.port, single_process=True)
        return
    loader = AppLoader(factory=factory)  # each worker process builds its own app, as rasa_sdk's run() does
    app = loader.load()
    app.prepare(host=host, port=args.port, workers=workers)
    Sanic.serve(primary=app, app_loader=loader)


if __name__ == "__main__":
    main()
