"""Read what the bridge acts on from Rasa's custom payloads: hand-overs, letters and deadlines.

Payloads come from the assistant, but each field is still checked before use:
an escalation id must be a positive integer, a letter's template id a short
slug and its file valid base64 under a size limit, and a deadline's id one
that `bot.deadlines.labels.known_deadlines` knows, with an ISO due date.
Letter bytes are only ever held in memory, never written anywhere.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional

from bot.deadlines.labels import known_deadlines, parse_due

MAX_LETTER_BYTES = 2 * 1024 * 1024  # a filled-in one-page letter is tens of kilobytes
_TEMPLATE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
Reply = Dict[str, Any]


def _customs(replies: Iterable[Reply]) -> List[Dict[str, Any]]:
    return [r["custom"] for r in replies if isinstance(r.get("custom"), dict)]


def handoff_ids(replies: Iterable[Reply]) -> List[int]:
    """Return the escalation ids handed over in these replies."""
    ids = []
    for custom in _customs(replies):
        value = custom.get("escalation_id")
        if custom.get("type") == "handoff" and isinstance(value, int) and not isinstance(value, bool) and value > 0:
            ids.append(value)
    return ids


@dataclass(frozen=True)
class Letter:
    """A letter to send as a Word document."""

    filename: str
    data: bytes


def letters(replies: Iterable[Reply]) -> List[Letter]:
    """Return the well-formed letters in these replies, decoded."""
    found = []
    for custom in _customs(replies):
        template, encoded = custom.get("template"), custom.get("docx_base64")
        if custom.get("type") != "letter" or not isinstance(template, str) or not _TEMPLATE_ID.match(template):
            continue
        if not isinstance(encoded, str) or len(encoded) > MAX_LETTER_BYTES * 4 // 3 + 4:
            continue
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            continue
        if data:
            found.append(Letter(f"{template}.docx", data))
    return found


@dataclass(frozen=True)
class DeadlineRef:
    """A deadline the assistant worked out: its id and due date."""

    rule: str
    due: dt.date

    def encode(self) -> str:
        """Return the form kept behind a ⏰ button (`rule|YYYY-MM-DD`)."""
        return f"{self.rule}|{self.due.isoformat()}"

    @classmethod
    def decode(cls, value: str) -> Optional["DeadlineRef"]:
        """Return the deadline behind a ⏰ button, or None if it is not one."""
        rule, _, due = value.partition("|")
        return deadline_ref({"rule": rule, "due": due})


def deadline_ref(raw: Any) -> Optional[DeadlineRef]:
    """Return a payload's `deadline` object as a DeadlineRef, or None if it is not a known deadline."""
    if not isinstance(raw, dict) or raw.get("rule") not in known_deadlines():
        return None
    due = parse_due(raw.get("due"))
    return DeadlineRef(str(raw["rule"]), due) if due is not None else None


def future_deadline(custom: Optional[Dict[str, Any]], today: dt.date) -> Optional[DeadlineRef]:
    """Return the payload's main deadline if it is still to come, else None."""
    found = deadline_ref((custom or {}).get("deadline"))
    return found if found is not None and found.due > today else None
