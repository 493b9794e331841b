"""The client's address and scheme behind a reverse proxy, for both the widget server and the dashboard.

Threat: rate limits and the login throttle count per client address. If the
address is read from a header the client writes, a client picks a new one
for each request and no per-address limit ever applies (security review F4).
`X-Forwarded-For` is a list that every proxy appends to, so only its
right-hand end, written by our own proxies, can be believed; the left-hand
entries are whatever the client sent.

Design: `SEND_NAV_TRUSTED_PROXIES` lists the addresses or networks of our own
proxies (none by default, and then the header is ignored). When the TCP peer
is one of them, the client is the right-most `X-Forwarded-For` entry that is
not a trusted proxy; `X-Forwarded-Proto` from a trusted peer gives the
scheme. The middleware rewrites the ASGI scope's `client` and `scheme` once,
outermost, so every handler and limit sees the same address. uvicorn's own
proxy-header handling is switched off (bot/web/serving.py), so its
FORWARDED_ALLOW_IPS cannot undo this.
"""

from __future__ import annotations

import ipaddress
from typing import Iterable, List, Optional, Sequence, Tuple, Union

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

Network = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]
Address = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]


def networks(entries: Iterable[str]) -> Tuple[Network, ...]:
    """Return the networks of addresses or CIDR strings (already checked by the settings)."""
    return tuple(ipaddress.ip_network(e, strict=False) for e in entries)


def _address(text: str) -> Optional[Address]:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: Optional[Address], trusted: Sequence[Network]) -> bool:
    return address is not None and any(address in network for network in trusted)


def client_address(peer: str, forwarded_for: List[str], trusted: Sequence[Network]) -> str:
    """Return the client's address: the right-most X-Forwarded-For entry that is not a trusted proxy.

    The header counts only when the peer itself is trusted. An entry that is
    not an IP address cannot be believed, so the last trusted hop is used.
    """
    if not _trusted(_address(peer), trusted):
        return peer
    hops = [part.strip() for line in forwarded_for for part in line.split(",") if part.strip()]
    client = peer
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return client
        client = str(address)
        if not _trusted(address, trusted):
            return client
    return client  # every hop is one of ours: the left-most is the client


class ClientAddressMiddleware:
    """Set the ASGI scope's client and scheme from trusted proxies' headers."""

    def __init__(self, app: ASGIApp, trusted: Sequence[str] = ()) -> None:
        self.app = app
        self.trusted = networks(trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Rewrite the scope for HTTP requests from a trusted proxy, then pass it on."""
        if scope["type"] == "http" and self.trusted and scope.get("client"):
            peer, port = scope["client"]
            headers = Headers(scope=scope)
            address = client_address(peer, headers.getlist("x-forwarded-for"), self.trusted)
            if address != peer:
                scope = {**scope, "client": (address, port)}
            proto = headers.get("x-forwarded-proto", "").split(",")[-1].strip().lower()
            if proto in ("http", "https") and _trusted(_address(peer), self.trusted):
                scope = {**scope, "scheme": proto}
        await self.app(scope, receive, send)
