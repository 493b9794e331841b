"""A parent using the widget's JSON API over HTTP, retrying a dropped connection as widget.js does."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

import requests

RETRY_DELAYS = (2.0, 4.0)  # widget.js RETRY_DELAYS_MS
REQUEST_TIMEOUT = 40.0  # widget.js REQUEST_TIMEOUT_MS


@dataclass
class Reply:
    """What the parent saw for one message."""

    status: int  # 0 when every attempt failed to connect
    messages: List[Dict[str, Any]]
    fallback: bool
    attempts: int
    seconds: float

    @property
    def answer(self) -> Optional[Dict[str, Any]]:
        """Return the knowledge-base answer payload, if the reply has one."""
        for message in self.messages:
            custom = message.get("custom")
            if isinstance(custom, dict) and custom.get("type") == "answer":
                return custom
        return None

    @property
    def text(self) -> str:
        return "\n".join(m.get("text", "") for m in self.messages)


@dataclass
class Parent:
    """One widget conversation."""

    base_url: str
    conversation_id: str = ""
    http: requests.Session = field(default_factory=requests.Session)

    def start(self) -> "Parent":
        response = self._post("/api/session", {})
        assert response is not None and response.status_code == 201, response
        self.conversation_id = response.json()["conversation_id"]
        return self

    def say(self, text: Optional[str] = None, payload: Optional[str] = None) -> Reply:
        """Send typed text or a button payload, retrying after a dropped connection; never raise."""
        body: Dict[str, Any] = {"conversation_id": self.conversation_id, "message_id": uuid.uuid4().hex}
        body.update({"text": text} if payload is None else {"payload": payload})  # the same id on each retry
        began = time.monotonic()
        for attempt, delay in enumerate((0.0, *RETRY_DELAYS), start=1):
            time.sleep(delay)
            response = self._post("/api/chat", body)
            if response is None:
                continue
            data = _json(response)
            return Reply(response.status_code, list(data.get("messages", [])), bool(data.get("fallback")),
                         attempt, time.monotonic() - began)
        return Reply(0, [], False, len(RETRY_DELAYS) + 1, time.monotonic() - began)

    def vote(self, kb_id: str, helpful: bool = True) -> int:
        """Press 'Helped' or 'Did not help'; return the status (0 if the server could not be reached)."""
        response = self._post("/api/feedback", {"conversation_id": self.conversation_id, "kb_id": kb_id, "helpful": helpful})
        return 0 if response is None else response.status_code

    def updates(self) -> List[Dict[str, Any]]:
        """Poll for volunteer answers, as the open widget does."""
        response = self._post("/api/updates", {"conversation_id": self.conversation_id})
        assert response is not None and response.status_code == 200, response
        return list(response.json()["messages"])

    def acknowledge(self, delivery_ids: List[int]) -> int:
        response = self._post("/api/updates/ack", {"conversation_id": self.conversation_id, "delivery_ids": delivery_ids})
        return 0 if response is None else response.status_code

    def _post(self, path: str, body: Dict[str, Any]) -> Optional[requests.Response]:
        try:
            return self.http.post(self.base_url + path, json=body, timeout=REQUEST_TIMEOUT)
        except (requests.ConnectionError, requests.Timeout):  # fetch() rejects on both; the widget retries
            return None


def _json(response: requests.Response) -> Dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
