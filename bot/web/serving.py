"""How both web processes are served by uvicorn: one configuration, so neither can drift.

uvicorn's proxy-header handling is off: it would take the client address
from X-Forwarded-For for any peer in FORWARDED_ALLOW_IPS (the left-most
entry with "*"), undoing bot/web/proxies.py, which believes only the hops
written by SEND_NAV_TRUSTED_PROXIES. Its access log is off too, because it
records client addresses; bot/web/logs.py logs requests without them.
"""

from __future__ import annotations

from typing import Any, Dict

import uvicorn


def uvicorn_config(app: Any, host: str, port: int, **overrides: Any) -> uvicorn.Config:
    """Return the uvicorn configuration for one of the project's web apps."""
    options: Dict[str, Any] = dict(
        host=host, port=port, access_log=False, proxy_headers=False, server_header=False,
        ws="none",  # no websockets here; Rasa pins an older websockets that uvicorn cannot load
        lifespan="on",
    )
    options.update(overrides)
    return uvicorn.Config(app, **options)


def serve(app: Any, host: str, port: int) -> None:
    """Serve the app until stopped."""
    uvicorn.Server(uvicorn_config(app, host, port)).run()
