"""What the dashboard writes to the audit log about people it cannot name: failed logins and refusals.

Threat: the audit log must show attempts on an account without becoming a
store of what strangers typed (a password pasted into the email box) or of
precise client addresses. Design: a failed login records a keyed hash
(HMAC-SHA256 with the secret key) of the email as typed, so a coordinator
can find the attempts on one account (the audit page hashes that account's
email the same way) but nobody can read a typed value back; and the
client's network, cut to /24 (IPv4) or /64 (IPv6).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress

from starlette.requests import Request

from bot.store.volunteers import normalise_email

UNKNOWN_ADDRESS = "unknown"


def email_hash(secret_key: str, typed: str) -> str:
    """Return the keyed hash the audit log keeps of a typed login email."""
    message = ("audit-email:" + normalise_email(typed)).encode("utf-8", "surrogatepass")
    return hmac.new(secret_key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def network_of(address: str) -> str:
    """Return the /24 (IPv4) or /64 (IPv6) network of an address, or "unknown"."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return UNKNOWN_ADDRESS
    prefix = 24 if ip.version == 4 else 64
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def client_ip(request: Request) -> str:
    """Return the client's address as bot/web/proxies.py settled it."""
    return request.client.host if request.client else UNKNOWN_ADDRESS


def path_of(request: Request) -> str:
    """Return the request's path, cut short so junk URLs cannot fill a row."""
    return request.url.path[:64]
