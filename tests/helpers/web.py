"""Helpers for the widget server tests: a fake Rasa, canned replies and small request helpers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, List

import httpx
from starlette.testclient import TestClient

from bot.channels.rasa_client import RasaClient
from bot.safety.privacy import conversation_ref
from bot.settings import Settings
from bot.web.ratelimit import Limits

ALLOWED_ORIGIN = "https://www.iask.org.uk"
OTHER_ORIGIN = "https://evil.example"
# Limits high enough that only the rate-limit tests ever meet them.
GENEROUS = Limits(per_conversation=10_000, per_ip=10_000, sessions_per_ip=10_000)

ANSWER_PAYLOAD = "/ask_ehc_needs_assessment_request"
DEADLINE = {"rule": "assessment-final-plan", "from": "2026-01-05", "due": "2026-05-25"}
OTHER_DEADLINE = {"rule": "assessment-decision", "from": "2026-01-05", "due": "2026-02-16"}


def deadline_replies(sender: str) -> List[Dict[str, Any]]:
    """Return a knowledge answer that worked out the parent's deadlines."""
    return [
        {"recipient_id": sender, "text": "The council must send the final plan by 25 May 2026."},
        {"recipient_id": sender, "custom": {"type": "answer", "kb_id": "ehc-assessment-timescales",
                                            "deadline": DEADLINE, "deadlines": [DEADLINE, OTHER_DEADLINE]}},
    ]


def answer_replies(sender: str) -> List[Dict[str, Any]]:
    """Return what Rasa's REST channel sends for a knowledge answer: split text, buttons, custom."""
    return [
        {"recipient_id": sender, "text": "An EHC plan sets out your child's needs."},
        {"recipient_id": sender, "text": "Next steps:\n• Ask the school", "buttons": [
            {"title": "Tell me more", "payload": "/tell_me_more"},
            {"title": "Asking for an assessment", "payload": ANSWER_PAYLOAD},
        ]},
        {"recipient_id": sender, "custom": {"type": "answer", "kb_id": "ehc-plan-basics", "title": "EHC plans"}},
    ]


@dataclass
class FakeRasa:
    """Rasa's REST webhook, in memory: records each request and answers as told."""

    mode: str = "answer"
    received: List[Dict[str, Any]] = field(default_factory=list)

    def handler(self, request: httpx.Request) -> httpx.Response:
        """Answer one webhook call according to `mode`."""
        assert request.url.path == "/webhooks/rest/webhook"
        body = json.loads(request.content)
        self.received.append(body)
        if self.mode == "down":
            raise httpx.ConnectError("connection refused", request=request)
        if self.mode == "timeout":
            raise httpx.ReadTimeout("timed out", request=request)
        if self.mode == "error":
            return httpx.Response(500, text="Internal Server Error")
        if self.mode == "garbage":
            return httpx.Response(200, content=b"<html>not json")
        if self.mode == "silent":
            return httpx.Response(200, json=[])
        if self.mode == "deadline":
            return httpx.Response(200, json=deadline_replies(body["sender"]))
        return httpx.Response(200, json=answer_replies(body["sender"]))

    def client(self) -> RasaClient:
        """Return a RasaClient whose HTTP calls come here."""
        return RasaClient("http://rasa.test", client=httpx.AsyncClient(transport=httpx.MockTransport(self.handler)))


def start(client: TestClient) -> str:
    """Start a conversation and return its id."""
    response = client.post("/api/session", json={})
    assert response.status_code == 201, response.text
    return response.json()["conversation_id"]


def sender_for(settings: Settings, conversation_id: str) -> str:
    """Return the Rasa sender id the server should use for a widget conversation."""
    return conversation_ref(settings.secret_key, "web:" + conversation_id)
