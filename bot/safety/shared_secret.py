"""The shared secret the assistant's own processes present to one another (security review F9).

Threat: the action server and Rasa's REST channel listen on loopback, where
any local process, and any web page open in a browser on the host, can send
them requests. Unauthenticated, the action server ran forged trackers (a
question sent to volunteers without consent, another conversation's question
cancelled) and Rasa took any sender id and `/intent{...}` text; both accepted
a `text/plain` body, which a browser sends cross-origin without asking first.

Design: Rasa sends `SEND_NAV_ACTIONS_SECRET` to the action server in a header
(endpoints.yml), and the web proxy and the Telegram bridge send it to Rasa's
REST channel (components/rest_channel.py). Each server refuses a request
without it (401, compared in constant time) and a POST whose body is not
declared as JSON (415): a browser cannot add the header or that content type
to a cross-origin request without a preflight, which both servers refuse.
Health checks (GET) carry no data and stay open to the supervisor.
"""

from __future__ import annotations

import hmac
from typing import Dict, Optional

SECRET_HEADER = "X-Send-Nav-Secret"
JSON_TYPE = "application/json"
UNAUTHORISED, UNSUPPORTED_TYPE = 401, 415


def secret_headers(secret: str) -> Dict[str, str]:
    """Return the header that carries the shared secret (none when there is no secret)."""
    return {SECRET_HEADER: secret} if secret else {}


def refusal(method: str, content_type: Optional[str], presented: Optional[str], secret: str) -> Optional[int]:
    """Return the status to refuse a request with, or None to let it through."""
    if not secret or presented is None:
        return UNAUTHORISED
    if not hmac.compare_digest(presented.encode("utf-8", "surrogatepass"), secret.encode("utf-8")):
        return UNAUTHORISED
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if method.upper() == "POST" and media_type != JSON_TYPE:
        return UNSUPPORTED_TYPE
    return None
