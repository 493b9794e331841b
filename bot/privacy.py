"""Pseudonymous references to conversations.

A keyed hash (HMAC-SHA256) links records about one conversation without
storing the channel's own id (a Telegram chat id or a widget session id).
Without the secret key, a reference cannot be turned back into the id or
matched against a list of guessed ids.
"""

from __future__ import annotations

import hashlib
import hmac


def conversation_ref(secret_key: str, sender_id: str) -> str:
    """Return the keyed hash that stands in for a conversation id."""
    digest = hmac.new(secret_key.encode("utf-8"), sender_id.encode("utf-8"), hashlib.sha256)
    return digest.hexdigest()[:32]
