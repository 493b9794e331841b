"""A fake Rasa REST channel on 127.0.0.1 that returns canned replies chosen by the message."""

from __future__ import annotations

import asyncio
import base64
import threading
from typing import Any, Dict, List

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.helpers.servers import ServerThread

XSS = "<img src=x onerror=alert(1)>"
TRIBUNAL_SOURCES = [
    {"title": "SEND Tribunal: appeal an EHC plan decision", "url": "https://www.gov.uk/send-tribunal"},
    {"title": f"Evil {XSS}", "url": "javascript:alert(1)"},
]
TRIBUNAL_TEXT = (
    "You usually have 2 months to appeal.\n\nWhat you can do next:\n• Get the mediation certificate\n\n"
    "Where this comes from:\n• SEND Tribunal: appeal an EHC plan decision: https://www.gov.uk/send-tribunal\n"
    "Last checked 1 January 2026. This is information, not legal advice."
)
LONG_PARAGRAPH = "Paragraph {n}. " + "word " * 98  # about 500 characters, so ten make about 5,000
LONG_TEXT = "\n\n".join(LONG_PARAGRAPH.format(n=n).strip() for n in range(10))
SLOW_SECONDS = 2.0
LETTER_BYTES = b"PK\x03\x04 a pretend .docx for tests"


def answer(text: str, kb_id: str, sources: List[Dict[str, str]], buttons: List[Dict[str, str]]) -> List[Dict[str, Any]]:
    """Return the replies Rasa's REST channel gives for a knowledge answer."""
    return [
        {"recipient_id": "x", "text": text, "buttons": buttons},
        {"recipient_id": "x", "custom": {"type": "answer", "kb_id": kb_id, "title": "t", "sources": sources,
                                         "reviewed": "2026-01-01"}},
    ]


async def canned(message: str) -> List[Dict[str, Any]]:
    """Return the canned replies for one message."""
    if "tribunal" in message:
        buttons = [{"title": "Tell me more", "payload": "/tell_me_more"},
                   {"title": "Mediation", "payload": "/ask_mediation"}]
        return answer(TRIBUNAL_TEXT, "tribunal-deadlines", TRIBUNAL_SOURCES, buttons)
    if message == "/ask_mediation":
        sources = [{"title": "Mediation guide", "url": "https://www.gov.uk/mediation"}]
        return answer("Mediation is free.", "mediation", sources, [])
    if message == "long":
        return [{"recipient_id": "x", "text": LONG_TEXT, "buttons": [
            {"title": "Who can help", "payload": '/show_topics{"group":"help"}'}]}]
    if message == "slow":
        await asyncio.sleep(SLOW_SECONDS)
        return [{"recipient_id": "x", "text": "Sorry for the wait."}]
    if message == "silent":
        return []
    if message == "crisis":  # the crisis contacts: an answer whose kb_id is "crisis" (actions/answers.py)
        return answer("If your child is in danger now, call 999.", "crisis", [], [])
    if message == "unknown":  # action_unanswered's reply
        return [{"recipient_id": "x", "text": "Sorry, I do not know that one yet."},
                {"recipient_id": "x", "custom": {"type": "unanswered", "log_id": 1}}]
    if message.startswith("handoff "):  # "handoff 7": the assistant handed escalation 7 to volunteers
        return [{"recipient_id": "x", "text": "Done. Your question is with the volunteers."},
                {"recipient_id": "x", "custom": {"type": "handoff", "escalation_id": int(message.split()[1]),
                                                 "state": "open"}}]
    if message == "letter":
        return [{"recipient_id": "x", "text": "Here is your letter."},
                {"recipient_id": "x", "custom": {"type": "letter", "template": "request-assessment", "title": "Letter",
                                                 "docx_base64": base64.b64encode(LETTER_BYTES).decode()}}]
    if message.startswith("deadline "):  # "deadline <rule> <due>": an answer with a worked-out deadline
        _, rule, due = message.split()
        return [{"recipient_id": "x", "text": f"Your deadline is {due}."},
                {"recipient_id": "x", "custom": {"type": "answer", "kb_id": "ehc-assessment-timescales",
                                                 "sources": [], "deadline": {"rule": rule, "from": "2026-01-05",
                                                                             "due": due}}}]
    return [{"recipient_id": "x", "text": f"You said: {message}"}]


class FakeRasa:
    """POST /webhooks/rest/webhook with canned replies; records each request body."""

    def __init__(self) -> None:
        self.requests: List[Dict[str, Any]] = []
        self._lock = threading.Lock()
        self._server = ServerThread(Starlette(routes=[
            Route("/webhooks/rest/webhook", self._webhook, methods=["POST"]),
            Route("/webhooks/rest/", self._channel_health, methods=["GET"]),  # what /readyz probes
        ]))

    @property
    def url(self) -> str:
        """Return the value for the `rasa_url` a RasaClient is given."""
        return self._server.url

    def start(self) -> "FakeRasa":
        """Start serving."""
        self._server.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self._server.stop()

    async def _channel_health(self, request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def _webhook(self, request: Request) -> JSONResponse:
        body = await request.json()
        with self._lock:
            self.requests.append(body)
        return JSONResponse(await canned(str(body.get("message", ""))))
