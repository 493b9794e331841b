"""Which Host headers the widget server and the dashboard answer, and redirects that never echo one.

Threat: a request's Host header is whatever the client sent. Starlette's
slash and mount redirects built an absolute Location from it, so
`GET /review` with `Host: evil.example` answered
`Location: http://evil.example/review/` (security review F10); a cache or
proxy that stored that reply would send other people to another site.

Design: both apps refuse any Host that is not the host of
SEND_NAV_PUBLIC_URL (400), and outside production also accept the loopback
names used on a developer's machine and by tests. Slash redirects are off in
both routers; the few redirects we want are relative (`relative_redirect`),
and links given to volunteers come from settings (`Settings.review_url`),
never from a request.
"""

from __future__ import annotations

from typing import Awaitable, Callable, List
from urllib.parse import urlsplit

from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.settings import Settings, SettingsError

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def allowed_hosts(settings: Settings) -> List[str]:
    """Return the Host names to answer: the public URL's host, plus loopback names outside production."""
    hosts = []
    if settings.public_url:
        host = urlsplit(settings.public_url).hostname
        if not host:
            raise SettingsError(f"SEND_NAV_PUBLIC_URL must be a URL like https://send.example.org, got {settings.public_url!r}")
        hosts.append(host)
    if not settings.is_production:
        hosts += [name for name in LOOPBACK_NAMES if name not in hosts]
    if not hosts:
        raise SettingsError("SEND_NAV_PUBLIC_URL must be set in production: it says which Host the web apps answer")
    return hosts


def host_check(settings: Settings) -> Middleware:
    """Return the TrustedHostMiddleware for these settings (never redirecting to a www. host)."""
    return Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts(settings), www_redirect=False)


def health_host(settings: Settings) -> str:
    """Return the Host a local health check must send so that the host check lets it in."""
    return urlsplit(settings.public_url).netloc if settings.public_url else "127.0.0.1"


def relative_redirect(path: str, status_code: int = 307) -> Callable[[Request], Awaitable[Response]]:
    """Return an endpoint that redirects to a fixed root-relative path, keeping the query string."""

    async def endpoint(request: Request) -> Response:
        query = request.url.query
        return RedirectResponse(path + ("?" + query if query else ""), status_code=status_code)

    return endpoint
