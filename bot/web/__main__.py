"""Entry point for `python -m bot.web`: serve the widget and its API with uvicorn."""

from __future__ import annotations

import logging

from bot.metrics.ports import metrics_port
from bot.metrics.server import start_ops_server
from bot.ops.startup import startup_line
from bot.settings import load_settings
from bot.web.app import create_app
from bot.web.serving import serve


def main() -> None:
    """Run the widget server on SEND_NAV_WEB_HOST:SEND_NAV_WEB_PORT."""
    settings = load_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger(__name__).info(startup_line("web app"))
    app = create_app(settings)
    start_ops_server(settings.metrics_host, metrics_port(settings, "web"), app.state.registry, lambda: app.state.checks)
    serve(app, settings.web_host, settings.web_port)


if __name__ == "__main__":
    main()
