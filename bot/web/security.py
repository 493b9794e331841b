"""Security headers and CORS for every response of the widget server.

Threat: the widget runs on our demo page and is embedded on partners' sites
(IASK's, Kent PACT's). Parents type sensitive things into it. We must stop:

- script injection on our pages turning into data theft (XSS);
- our pages being framed to trick clicks (clickjacking);
- content being sniffed into a different type (a JSON reply run as script);
- URLs leaking to third parties in the Referer header;
- any other website's script reading or driving the API with a visitor's
  browser (cross-site request forgery, cross-origin reads).

Design:

- A strict Content-Security-Policy goes on every response. It allows no
  inline script or style, so the widget's assets are plain files served from
  here. `frame-ancestors 'none'` because nothing here is meant to be framed:
  the widget is embedded as a script, not an iframe.
- `nosniff`, `no-referrer`, a restrictive Permissions-Policy, and HSTS when
  the public URL is https.
- The API keeps no cookies or other ambient credentials: the conversation id
  is a bearer token in the JSON body. A forged cross-site request therefore
  has nothing to ride on, and because every API call must be
  `application/json` (anything else gets 415 in bot/web/api.py), a plain HTML
  form or a "simple" cross-origin fetch cannot reach a handler; the browser
  must ask first with a preflight.
- CORS answers yes only for origins listed in SEND_NAV_ALLOWED_ORIGINS, by
  echoing that exact origin (never `*`), on /api/* and the widget assets.
  Any other origin gets no Access-Control-Allow-Origin, and its preflight
  gets 403, so its scripts can neither send JSON nor read replies.
"""

from __future__ import annotations

from typing import Iterable, List, Sequence, Tuple

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
])

SECURITY_HEADERS: Tuple[Tuple[str, str], ...] = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
)

CORS_PATHS = ("/api/", "/widget.js", "/widget.css")
CORS_METHODS = "GET, POST, DELETE, OPTIONS"
CORS_HEADERS = "Content-Type"
CORS_MAX_AGE = "600"


def cors_applies(path: str, paths: Sequence[str] = CORS_PATHS) -> bool:
    """Return True for paths other sites may call or load."""
    return any(path == p or (p.endswith("/") and path.startswith(p)) for p in paths)


class SecurityHeadersMiddleware:
    """Add security headers to every response and answer CORS for allowed origins only.

    A header the response already has is kept, so a page can tighten its own
    policy; the dashboard passes its stricter `csp` and no CORS paths.
    """

    def __init__(
        self, app: ASGIApp, allowed_origins: Iterable[str] = (), hsts: bool = False, csp: str = CSP,
        cors_paths: Sequence[str] = CORS_PATHS,
    ) -> None:
        self.app = app
        self.allowed_origins = frozenset(o.rstrip("/") for o in allowed_origins if o and o != "*")
        self.cors_paths = tuple(cors_paths)
        self.headers: List[Tuple[str, str]] = [("Content-Security-Policy", csp)] + [
            h for h in SECURITY_HEADERS if h[0] != "Content-Security-Policy"]
        if hsts:
            self.headers.append(("Strict-Transport-Security", "max-age=31536000"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Wrap the app, handling preflights and decorating responses."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_headers = Headers(scope=scope)
        origin = request_headers.get("origin")
        cors = cors_applies(scope["path"], self.cors_paths)
        allowed = cors and origin is not None and origin in self.allowed_origins
        if scope["method"] == "OPTIONS" and "access-control-request-method" in request_headers:
            response = Response(status_code=204 if allowed else 403)
            self._cors_preflight(response.headers, origin if allowed else None)
            await self._decorated(response, scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                self._secure(headers)
                if cors:
                    headers.add_vary_header("Origin")
                if allowed and origin is not None:
                    headers["Access-Control-Allow-Origin"] = origin
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _secure(self, headers: MutableHeaders) -> None:
        for name, value in self.headers:
            headers.setdefault(name, value)

    def _cors_preflight(self, headers: MutableHeaders, origin: "str | None") -> None:
        headers.add_vary_header("Origin")
        if origin is None:
            return
        headers["Access-Control-Allow-Origin"] = origin
        headers["Access-Control-Allow-Methods"] = CORS_METHODS
        headers["Access-Control-Allow-Headers"] = CORS_HEADERS
        headers["Access-Control-Max-Age"] = CORS_MAX_AGE

    async def _decorated(self, response: Response, scope: Scope, receive: Receive, send: Send) -> None:
        self._secure(response.headers)
        await response(scope, receive, send)
