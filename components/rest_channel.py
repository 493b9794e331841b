"""Rasa's REST channel, open only to the web proxy and the Telegram bridge (security review F9).

Rasa reads a message that starts with "/" as an intent with entities, so
whoever can post to this channel can skip the NLU, pick any sender id and
set slots. Our channels never let typed text through as an intent
(bot/channels/rasa_client.py `as_text`) and only send button payloads the
assistant offered. This channel makes sure nothing else can post: a request
without the shared secret gets 401, and one whose body is not declared as
JSON gets 415 (bot/safety/shared_secret.py). Same URL as Rasa's own REST
channel, /webhooks/rest/webhook; set in credentials.yml.

Its POST route is this module's own, not RestInput's: Rasa's logs the
parent's raw text at ERROR when handling a message fails or times out, and
a parent's message is special-category data. Here a failure is logged with
a one-way fingerprint of the conversation only (no text), and the parent still
gets whatever replies were collected. Our channels never ask for a stream.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
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
        """Return the channel's routes (health check and webhook), with the check in front of each POST."""
        module = inspect.getmodule(self)
        blueprint = Blueprint(f"custom_webhook_{type(self).__name__}", module.__name__ if module else None)

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

        @blueprint.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            collector = CollectingOutputChannel()
            message = UserMessage(self._extract_message(request), collector, await self._extract_sender(request),
                                  input_channel=self._extract_input_channel(request),
                                  metadata=self.get_metadata(request))
            return response.json(await handle(on_new_message, message, collector))

        return blueprint


async def handle(on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage,
                 collector: CollectingOutputChannel) -> List[Any]:
    """Process one message and return the replies collected; log a failure without the parent's text."""
    try:
        await on_new_message(message)
    except CancelledError:
        log.error("REST channel: a message timed out (conversation %s; its text is not logged)",
                  fingerprint(message.sender_id))
    except Exception as error:  # noqa: BLE001 - the parent gets the replies collected so far, as in RestInput
        log.error("REST channel: a message failed with %s (conversation %s; its text is not logged)",
                  type(error).__name__, fingerprint(message.sender_id))
    return list(collector.messages)


def fingerprint(sender_id: Optional[str]) -> str:
    """Return a short, one-way fingerprint of a conversation id, to match log lines without the id itself."""
    return hashlib.sha256(str(sender_id).encode("utf-8")).hexdigest()[:12]
