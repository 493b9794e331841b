"""What of a conversation may be written down: redacted text, and pseudonymous references.

A message is only ever stored in its redacted form, and a message about
someone at risk is not stored at all (`stored_text`).

A keyed hash (HMAC-SHA256) links records about one conversation without
storing the channel's own id (a Telegram chat id or a widget session id).
Without the secret key, a reference cannot be turned back into the id or
matched against a list of guessed ids.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Optional

from bot.safety.redact import redact

CRISIS_PLACEHOLDER = "[message about someone at risk: not stored]"
CRISIS_INTENT = "ask_crisis"


def conversation_ref(secret_key: str, sender_id: str) -> str:
    """Return the keyed hash that stands in for a conversation id."""
    digest = hmac.new(secret_key.encode("utf-8"), sender_id.encode("utf-8"), hashlib.sha256)
    return digest.hexdigest()[:32]


def stored_text(text: str, intent: Optional[str]) -> str:
    """Return the only form of a message that may be written to disk."""
    return CRISIS_PLACEHOLDER if intent == CRISIS_INTENT else redact(text)
