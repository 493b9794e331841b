"""/readyz for the two Starlette apps, on their public port too (for a load balancer's or Kubernetes' probe)."""

from __future__ import annotations

from typing import Sequence

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.metrics.health import Check, run_checks


def readyz_route(checks: Sequence[Check]) -> Route:
    """Return GET /readyz: 200 when every required dependency answers, else 503; names and ok/failed only."""
    async def readyz(request: Request) -> Response:
        """Say whether the app can serve now: its dependencies, checked off the event loop."""
        ready, results = await to_thread.run_sync(run_checks, checks)
        return JSONResponse({"ok": ready, "checks": results}, status_code=200 if ready else 503,
                            headers={"Cache-Control": "no-store"})
    return Route("/readyz", readyz, methods=["GET"])
