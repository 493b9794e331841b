"""Read and check JSON request bodies before any handler logic runs.

Every rule here is a refusal with a kind message, never a crash: wrong
content type (415), too big (413), not UTF-8 or not JSON (400), not an
object (400), strings that cannot be re-encoded (lone surrogates, 400), or
a client that hangs up before the body ends (400, which no one reads).
"""

from __future__ import annotations

import json
from typing import Any, Dict

from starlette.requests import ClientDisconnect, Request

from bot.web.errors import ApiError

MAX_BODY_BYTES = 32 * 1024  # 2,000 characters JSON-escaped as \uXXXX pairs fit comfortably
MAX_TEXT_CHARS = 2000


async def read_json_object(request: Request) -> Dict[str, Any]:
    """Return the request's JSON object body, or raise ApiError."""
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != "application/json":
        raise ApiError(415, "unsupported_type")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise ApiError(413, "too_long")
    raw = bytearray()
    try:
        async for chunk in request.stream():
            raw.extend(chunk)
            if len(raw) > MAX_BODY_BYTES:
                raise ApiError(413, "too_long")
    except ClientDisconnect:  # the client hung up mid-body: no one will read a reply, but it is no server error
        raise ApiError(400, "bad_request") from None
    try:
        body = json.loads(bytes(raw).decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ApiError(400, "bad_request") from None
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request")
    return body


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def string_field(body: Dict[str, Any], name: str, max_chars: int = MAX_TEXT_CHARS) -> str:
    """Return a required string field, refusing other types, unencodable text and excess length."""
    value = body.get(name)
    if not isinstance(value, str):
        raise ApiError(400, "bad_request")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a "\ud800" escape
        raise ApiError(400, "bad_request") from None
    if len(value) > max_chars:
        raise ApiError(413, "too_long")
    return value
