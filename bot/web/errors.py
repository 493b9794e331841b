"""API errors as kind JSON replies the widget can show as they are."""

from __future__ import annotations

from typing import Dict, Optional

from starlette.responses import JSONResponse

# Wording shown to parents by the widget; short, calm, and never blaming.
MESSAGES: Dict[str, str] = {
    "bad_request": "Sorry, I couldn't read that message. Please try typing it again.",
    "too_long": "Sorry, that message is too long for me. Please keep it under 2,000 characters, or split it into parts.",
    "unsupported_type": "Sorry, I can only read messages sent by the chat window.",
    "not_found": "This conversation has ended or timed out. Please start a new one.",
    "not_offered": "Sorry, that option isn't available any more. Please choose from the latest buttons or type your question.",
    "unknown_answer": "Sorry, I couldn't record that feedback.",
    "rate_limited": "You're sending messages faster than I can answer. Please wait a moment and try again.",
    "erase_failed": "Sorry, I couldn't delete the conversation just now. Please try again in a few minutes.",
    "server_error": "Sorry, something went wrong on our side. Please try again in a few minutes.",
    "no_route": "There is nothing here.",
    "method": "That request isn't supported here.",
}


class ApiError(Exception):
    """An error reply with a status code, a stable code and a kind message."""

    def __init__(self, status: int, code: str, retry_after: Optional[str] = None, headers: Optional[Dict[str, str]] = None) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.headers = dict(headers or {})
        if retry_after:
            self.headers["Retry-After"] = retry_after

    def response(self) -> JSONResponse:
        """Return the JSON reply for this error."""
        headers = {**self.headers, "Cache-Control": "no-store"}
        body = {"error": self.code, "message": MESSAGES[self.code]}
        return JSONResponse(body, status_code=self.status, headers=headers)
