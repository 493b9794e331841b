"""Async client for Rasa's REST channel, shared by the Telegram bridge and the web proxy.

Rasa reads any message starting with "/" as an intent payload. Typed text
must never be able to do that (a parent typing "/restart" or an attacker
typing '/ask_x{"slot": ...}'), so `send_text` neutralises a leading slash and
only `send_payload`, used for buttons the assistant itself offered, passes
one through.

With several Rasa replicas (scale-out), each conversation goes to its own
replica, chosen from a hash of its id, and to the next one only when that
replica refuses the connection. Any replica can serve any conversation (they
share the tracker store and lock conversations in Redis), but a letter in
progress is held only in the memory of the replica that took its answers
(components/tracker_store.py), so a conversation must stay put while it
can. Hashing also spreads conversations evenly across replicas.
"""

from __future__ import annotations

import logging
import zlib
from typing import Any, Dict, List, Optional, Sequence, Union

import httpx

from bot.safety.shared_secret import secret_headers

log = logging.getLogger(__name__)

Reply = Dict[str, Any]


class RasaUnavailable(Exception):
    """Rasa did not answer in time, refused the connection, or failed."""


TEXT_MARK = "\u200b"  # zero-width space: not whitespace to str.strip(), invisible to a reader


def as_text(text: str) -> str:
    """Return typed text in a form Rasa cannot mistake for an intent payload."""
    # Rasa 3.6 strips the text before it looks for a leading "/" (RegexMessageHandler, via
    # YAMLStoryReader.unpack_regex_message), so a leading space would be stripped off again
    # and '  /restart' or '/intent{"slot":"x"}' would run as an intent with entities.
    return TEXT_MARK + text if text.lstrip().startswith("/") else text


# Errors raised before the request reached Rasa, so another replica can safely take the message.
# A read timeout or a dropped connection after sending is not retried: Rasa may already have
# processed the message, and sending it again would run the turn twice (a form would take the
# same answer twice, and the parent would get two replies); the replica holding the
# conversation's lock would also make the next replica wait behind it anyway.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout)


class RasaClient:
    """Send messages to Rasa's REST webhook, each conversation to its own replica."""

    def __init__(
        self, base_url: Union[str, Sequence[str]], timeout: float = 15.0, client: Optional[httpx.AsyncClient] = None,
        secret: str = "",
    ) -> None:
        bases = [base_url] if isinstance(base_url, str) else list(base_url)
        if not bases:
            raise ValueError("RasaClient needs at least one base URL")
        self.urls = [b.rstrip("/") + "/webhooks/rest/webhook" for b in bases]
        self.url = self.urls[0]
        self._client = client or httpx.AsyncClient(timeout=timeout)
        self._headers = secret_headers(secret)  # Rasa's REST channel refuses messages without it

    async def send_text(self, conversation_id: str, text: str, channel: str,
                        message_id: Optional[str] = None) -> List[Reply]:
        """Send what the person typed, always as text.

        `message_id` (32 hex digits) is the client's id for this message: sent again with the same id, after a
        dropped connection, Rasa's channel answers with the first replies instead of reading it twice.
        """
        return await self._post(conversation_id, as_text(text), channel, message_id)

    async def send_payload(self, conversation_id: str, payload: str, channel: str,
                           message_id: Optional[str] = None) -> List[Reply]:
        """Send a button payload the assistant offered (the caller checks that it did)."""
        return await self._post(conversation_id, payload, channel, message_id)

    async def _post(self, conversation_id: str, message: str, channel: str,
                    message_id: Optional[str] = None) -> List[Reply]:
        body: Dict[str, Any] = {"sender": conversation_id, "message": message, "metadata": {"channel": channel}}
        if message_id is not None:
            body["message_id"] = message_id
        response = await self._post_to_a_replica(conversation_id, body)
        if response.status_code != 200:
            raise RasaUnavailable(f"HTTP {response.status_code}")
        try:
            replies = response.json()
        except ValueError as exc:
            raise RasaUnavailable("invalid JSON") from exc
        if not isinstance(replies, list):
            raise RasaUnavailable("unexpected reply shape")
        return [r for r in replies if isinstance(r, dict)]

    def replicas_for(self, conversation_id: str) -> List[str]:
        """Return the webhook URLs to try for a conversation: its own replica first, then the others."""
        first = zlib.crc32(conversation_id.encode("utf-8")) % len(self.urls)
        return self.urls[first:] + self.urls[:first]

    async def _post_to_a_replica(self, conversation_id: str, body: Dict[str, Any]) -> httpx.Response:
        last: Optional[Exception] = None
        for url in self.replicas_for(conversation_id):
            try:
                return await self._client.post(url, json=body, headers=self._headers)
            except _NOT_SENT as exc:
                log.warning("Rasa replica %s refused the connection (%s)", url, exc.__class__.__name__)
                last = exc
            except httpx.HTTPError as exc:
                raise RasaUnavailable(exc.__class__.__name__) from exc
        raise RasaUnavailable(f"{last.__class__.__name__} from every replica") from last

    async def aclose(self) -> None:
        """Close the HTTP connection pool."""
        await self._client.aclose()


def merge_replies(replies: List[Reply]) -> List[Reply]:
    """Join Rasa's split text parts into whole messages, keeping buttons and payloads.

    Rasa's REST channel splits text on blank lines into separate messages;
    channels show one message per answer, so consecutive text-only parts are
    joined back together and `custom` payloads are attached to the message
    they follow.
    """
    merged: List[Reply] = []
    for reply in replies:
        if "custom" in reply and merged and "custom" not in merged[-1]:
            merged[-1] = {**merged[-1], "custom": reply["custom"]}
            continue
        previous = merged[-1] if merged else None
        if (
            previous is not None and "text" in reply and "text" in previous
            and not previous.get("buttons") and "custom" not in previous and "image" not in reply
        ):
            merged[-1] = {**reply, "text": previous["text"] + "\n\n" + reply["text"]}
            continue
        merged.append(dict(reply))
    return merged
