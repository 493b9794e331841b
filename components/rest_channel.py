"""Rasa's REST channel, open only to the web proxy and the Telegram bridge (security review F9).

Rasa reads a message that starts with "/" as an intent with entities, so
whoever can post to this channel can skip the NLU, pick any sender id and
set slots. Our channels never let typed text through as an intent
(bot/channels/rasa_client.py `as_text`) and only send button payloads the
assistant offered. This channel makes sure nothing else can post: a request
without the shared secret gets 401, and one whose body is not declared as
JSON gets 415 (bot/safety/shared_secret.py). Same URL as Rasa's own REST
channel, /webhooks/rest/webhook; set in credentials.yml.
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.ops.startup import startup_line
from bot.safety.shared_secret import SECRET_HEADER, refusal

log = logging.getLogger(__name__)


class SharedSecretRestInput(RestInput):
    """RestInput that refuses requests without the shared secret, or not in JSON."""

    def __init__(self, secret: str) -> None:
        self.secret = secret

    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "SharedSecretRestInput":
        """Read the secret from credentials.yml (an empty one refuses every message)."""
        log.info(startup_line("Rasa server"))  # Rasa builds its channels once, as it starts
        return cls(str((credentials or {}).get("secret") or ""))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Return RestInput's routes with the check in front of each POST."""
        blueprint = super().blueprint(on_new_message)

        @blueprint.middleware("request")
        async def require_secret(request: Request) -> Optional[HTTPResponse]:
            if request.method == "GET":  # the channel's health check
                return None
            status = refusal(request.method, request.headers.get("content-type"),
                             request.headers.get(SECRET_HEADER), self.secret)
            if status is None:
                return None
            log.warning("REST channel refused a request (%s)", status)
            return response.json({"error": "refused"}, status=status)

        return blueprint
