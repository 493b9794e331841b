"""Entry point for `python -m bot.review`: serve the volunteer dashboard in its own process."""

from __future__ import annotations

import logging

from bot.metrics.ports import metrics_port
from bot.metrics.server import start_ops_server
from bot.ops.startup import startup_line
from bot.review.app import create_review_app
from bot.settings import load_settings
from bot.web.serving import serve


def main() -> None:
    """Run the dashboard on SEND_NAV_REVIEW_HOST:SEND_NAV_REVIEW_PORT."""
    settings = load_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger(__name__).info(startup_line("volunteer dashboard"))
    app = create_review_app(settings)
    start_ops_server(settings.metrics_host, metrics_port(settings, "review"), app.state.registry, lambda: app.state.checks)
    serve(app, settings.review_host, settings.review_port)


if __name__ == "__main__":
    main()
