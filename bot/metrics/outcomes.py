"""What a turn came to, read from the assistant's reply payloads: the `outcome` label of the message counter.

Each outcome is decided in an action, which marks its reply with a `custom`
payload: `action_answer` sends `{"type": "answer", "kb_id": ...}` (the crisis
contacts are the answer whose kb_id is `crisis`), `action_unanswered` sends
`{"type": "unanswered"}` and the escalation actions `{"type": "handoff"}`.
The channels count what they relay, so one reading serves the widget and
Telegram alike, and nothing of the text is looked at.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable

CRISIS_KB_ID = "crisis"  # actions/answers.py CRISIS_ID
ANSWER, UNANSWERED, HANDOFF, CRISIS = "answer", "unanswered", "handoff", "crisis"
OTHER = "other"  # menus, forms, letters, timelines: a reply, but none of the four
UNAVAILABLE = "unavailable"  # Rasa down, timed out or silent: the parent got the kind "unavailable" message
OUTCOMES = (ANSWER, UNANSWERED, HANDOFF, CRISIS, OTHER, UNAVAILABLE)


def outcome_of(replies: Iterable[Dict[str, Any]]) -> str:
    """Return the outcome of one turn from Rasa's replies; the most serious wins (crisis, handoff, unanswered)."""
    kinds = set()
    for reply in replies:
        custom = reply.get("custom") if isinstance(reply, dict) else None
        if not isinstance(custom, dict):
            continue
        kind = custom.get("type")
        if kind == ANSWER and custom.get("kb_id") == CRISIS_KB_ID:
            kind = CRISIS
        kinds.add(kind)
    for outcome in (CRISIS, HANDOFF, UNANSWERED, ANSWER):
        if outcome in kinds:
            return outcome
    return OTHER
