"""Async client for Rasa's REST channel, shared by the Telegram bridge and the web proxy.

Rasa reads any message starting with "/" as an intent payload. Typed text
must never be able to do that (a parent typing "/restart" or an attacker
typing '/ask_x{"slot": ...}'), so `send_text` neutralises a leading slash and
only `send_payload`, used for buttons the assistant itself offered, passes
one through.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional

import httpx

log = logging.getLogger(__name__)

Reply = Dict[str, Any]


class RasaUnavailable(Exception):
    """Rasa did not answer in time, refused the connection, or failed."""


def as_text(text: str) -> str:
    """Return typed text in a form Rasa cannot mistake for an intent payload."""
    return " " + text if text.lstrip().startswith("/") else text


class RasaClient:
    """Send messages to Rasa's REST webhook."""

    def __init__(self, base_url: str, timeout: float = 15.0, client: Optional[httpx.AsyncClient] = None) -> None:
        self.url = base_url.rstrip("/") + "/webhooks/rest/webhook"
        self._client = client or httpx.AsyncClient(timeout=timeout)

    async def send_text(self, conversation_id: str, text: str, channel: str) -> List[Reply]:
        """Send what the person typed, always as text."""
        return await self._post(conversation_id, as_text(text), channel)

    async def send_payload(self, conversation_id: str, payload: str, channel: str) -> List[Reply]:
        """Send a button payload the assistant offered (the caller checks that it did)."""
        return await self._post(conversation_id, payload, channel)

    async def _post(self, conversation_id: str, message: str, channel: str) -> List[Reply]:
        body = {"sender": conversation_id, "message": message, "metadata": {"channel": channel}}
        try:
            response = await self._client.post(self.url, json=body)
        except httpx.HTTPError as exc:
            raise RasaUnavailable(exc.__class__.__name__) from exc
        if response.status_code != 200:
            raise RasaUnavailable(f"HTTP {response.status_code}")
        try:
            replies = response.json()
        except ValueError as exc:
            raise RasaUnavailable("invalid JSON") from exc
        if not isinstance(replies, list):
            raise RasaUnavailable("unexpected reply shape")
        return [r for r in replies if isinstance(r, dict)]

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
