"""Send a notice to the volunteers' Telegram group, through the Bot API of the assistant's own bot.

The bot must be a member of the group (SEND_NAV_VOLUNTEER_GROUP_ID). The
token is part of the Bot API URL, so httpx's request log is kept quiet and
failures are reported by type only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import httpx

from bot.notify.compose import NoticeText


class GroupError(RuntimeError):
    """Telegram did not accept the notice."""


@dataclass
class TelegramGroup:
    """Post plain-text notices to one Telegram chat."""

    token: str = field(repr=False)
    chat_id: int
    base_url: str = "https://api.telegram.org/bot"
    timeout: float = 10.0

    def __post_init__(self) -> None:
        logging.getLogger("httpx").setLevel(logging.WARNING)  # request URLs contain the token

    async def send(self, text: NoticeText) -> None:
        """Post one notice; raise GroupError if Telegram refuses it or cannot be reached."""
        body = {"chat_id": self.chat_id, "text": f"{text.subject}\n\n{text.body}",
                "link_preview_options": {"is_disabled": True}}
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                response = await client.post(f"{self.base_url}{self.token}/sendMessage", json=body)
            ok = response.status_code == 200 and response.json().get("ok") is True
        except (httpx.HTTPError, ValueError) as exc:
            raise GroupError(type(exc).__name__) from None
        if not ok:
            raise GroupError(f"HTTP {response.status_code}")
