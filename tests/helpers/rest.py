"""Helpers for tests that talk to a running assistant over REST."""

from __future__ import annotations

import socket
import uuid
from dataclasses import dataclass
from typing import Any, Dict, List

import requests

from bot.ops.runner import Supervisor
from bot.safety.shared_secret import secret_headers
from bot.settings import Settings, load_settings


def free_port() -> int:
    """Return a TCP port nobody is listening on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Assistant:
    """A running assistant and a REST client for it."""

    settings: Settings
    supervisor: Supervisor

    def send(self, message: Any, sender: str = "") -> List[Dict[str, Any]]:
        """Send one message over the REST channel and return Rasa's replies."""
        response = self.post({"sender": sender or new_sender(), "message": message})
        assert response.status_code == 200, response.text
        return list(response.json())

    def post(self, body: Any) -> requests.Response:
        """POST a raw body to the REST webhook."""
        return requests.post(f"{self.settings.rasa_url}/webhooks/rest/webhook", json=body,
                             headers=secret_headers(self.settings.actions_secret), timeout=30)


def new_sender() -> str:
    """Return a fresh conversation id."""
    return f"e2e-{uuid.uuid4().hex}"


def e2e_settings(data_dir: str) -> Settings:
    """Return settings for an isolated assistant on free ports."""
    return load_settings({
        "SEND_NAV_ENV": "test",
        "SEND_NAV_DATA_DIR": data_dir,
        "SEND_NAV_SECRET_KEY": "e2e-secret-key-" + "x" * 40,
        "SEND_NAV_RASA_PORT": str(free_port()),
        "SEND_NAV_ACTIONS_PORT": str(free_port()),
    })


def payloads(replies: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Return the `custom` payloads in a list of replies."""
    return [r["custom"] for r in replies if "custom" in r]


def texts(replies: List[Dict[str, Any]]) -> str:
    """Return all reply text joined together."""
    return "\n".join(r.get("text", "") for r in replies)
