"""Entry point for `python -m bot.web`: serve the widget and its API with uvicorn."""

from __future__ import annotations

import logging

import uvicorn

from bot.settings import load_settings
from bot.web.app import create_app


def main() -> None:
    """Run the widget server on SEND_NAV_WEB_HOST:SEND_NAV_WEB_PORT."""
    settings = load_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # uvicorn's access log records client addresses; bot/web/logs.py logs requests without them.
    # Behind a reverse proxy on loopback, X-Forwarded-For gives the real address for rate limits
    # (uvicorn trusts it only from FORWARDED_ALLOW_IPS, 127.0.0.1 by default).
    uvicorn.run(
        create_app(settings), host=settings.web_host, port=settings.web_port,
        access_log=False, proxy_headers=True, server_header=False,
        ws="none",  # no websockets here; Rasa pins an older websockets that uvicorn cannot load
    )


if __name__ == "__main__":
    main()
