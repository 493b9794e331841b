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

A message may come twice: the widget sends it again, with the same
`message_id`, when its connection dropped (a web proxy restarting while
Rasa was answering). Read twice, it would be two turns: a date typed into
a form would answer the form's next question too. So a message with a
`message_id` this process has had before is handled under the
conversation's lock, and if the conversation already holds a user message
with that id, the replies that followed it are sent again and nothing is
processed twice. A first arrival is handled as any other message.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
import os
from asyncio import CancelledError
from collections import OrderedDict
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.shared.core.events import BotUttered, Event, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.ops.startup import startup_line
from bot.safety.shared_secret import SECRET_HEADER, refusal
from bot.safety.stored_events import HEX_ID_SHAPE
from components.tracker_store import LETTER_PLACEHOLDER

log = logging.getLogger(__name__)
LETTER_LOST = ("Your letter was ready, but the connection dropped before it reached you. Letters are never "
               "stored, so I can't send it again: please ask me to help you write it once more.")


class SharedSecretRestInput(RestInput):
    """RestInput that refuses requests without the shared secret, or not in JSON."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.recent = RecentIds()

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
            message_id = request.json.get("message_id")
            message = UserMessage(self._extract_message(request), collector, await self._extract_sender(request),
                                  input_channel=self._extract_input_channel(request),
                                  metadata=self.get_metadata(request),
                                  message_id=message_id if _is_message_id(message_id) else None)
            agent = getattr(request.app.ctx, "agent", None)
            if message.message_id is None or agent is None or not agent.is_ready() or \
                    not self.recent.seen_before(str(message.sender_id), message.message_id):
                return response.json(await handle(on_new_message, message, collector))
            return response.json(await handle_once(agent, message, collector))

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


class RecentIds:
    """The message ids this process has had lately, as keyed digests: enough to tell a second arrival.

    Only a message seen before is looked up in its conversation, so a first arrival (nearly every message)
    costs no tracker read. Digests under a random key, never the ids or conversation ids themselves; the
    oldest go first. After a restart the set is empty, and a message Rasa had read and saved just before it
    died would be read again: the one case this does not cover.
    """

    def __init__(self, size: int = 20_000) -> None:
        self.size = size
        self._key = os.urandom(32)
        self._seen: "OrderedDict[bytes, None]" = OrderedDict()

    def seen_before(self, sender_id: str, message_id: str) -> bool:
        """Record this message; return True if it had been recorded already."""
        digest = hashlib.blake2b(f"{sender_id}\n{message_id}".encode("utf-8", "surrogatepass"), key=self._key,
                                 digest_size=16).digest()
        if digest in self._seen:
            return True
        self._seen[digest] = None
        while len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return False


async def handle_once(agent: Any, message: UserMessage, collector: CollectingOutputChannel) -> List[Any]:
    """Process a message with a client id once: a second arrival gets the replies of the first."""
    async with agent.lock_store.lock(message.sender_id):
        tracker = await agent.tracker_store.retrieve(message.sender_id)
        earlier = answered(tracker.events if tracker is not None else (), message.message_id)
        if earlier is None:
            # Agent.handle_message would take the same lock again: its processor is what it calls inside it.
            return await handle(agent.processor.handle_message, message, collector)
        for reply in earlier:  # as Rasa's processor sends them (MessageProcessor._send_bot_messages)
            if reply.text == LETTER_PLACEHOLDER:  # letters are never stored, so it cannot be sent again
                reply = BotUttered(LETTER_LOST)
            await collector.send_response(message.sender_id, reply.message())
        log.info("REST channel: a message sent again was answered from its conversation (conversation %s)",
                 fingerprint(message.sender_id))
        return list(collector.messages)


def answered(events: Iterable[Event], message_id: Optional[str]) -> Optional[List[BotUttered]]:
    """Return the bot's replies to the user message with this id, or None if there is no such message."""
    replies: Optional[List[BotUttered]] = None
    for event in events:
        if isinstance(event, UserUttered):
            if replies is not None:
                break  # the next message: its replies are its own
            if message_id is not None and event.message_id == message_id:
                replies = []
        elif replies is not None and isinstance(event, BotUttered):
            replies.append(event)
    return replies


def _is_message_id(value: Any) -> bool:
    return isinstance(value, str) and HEX_ID_SHAPE.fullmatch(value) is not None  # a shape stored events keep


def fingerprint(sender_id: Optional[str]) -> str:
    """Return a short, one-way fingerprint of a conversation id, to match log lines without the id itself."""
    return hashlib.sha256(str(sender_id).encode("utf-8")).hexdigest()[:12]
