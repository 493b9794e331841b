"""Build the handover packet a volunteer sees when a question is escalated.

Only redacted text leaves the conversation: each recent message goes through
`bot.safety.privacy.stored_text`, which also withholds crisis messages
entirely. The packet holds no chat id, name or anything else that identifies
the parent on their channel.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Sequence

from bot.safety.privacy import stored_text
from bot.knowledge.entries import id_for_intent

# Messages that are about the escalation itself, not the parent's question.
CONTROL_INTENTS = frozenset({
    "request_human", "confirm_escalation", "cancel_escalation", "check_escalation", "affirm", "deny",
    "greet", "goodbye", "thank", "bot_challenge", "tell_me_more", "show_topics", "restart", "session_start",
})
MAX_TURNS = 6


def _intent(event: Dict[str, Any]) -> str:
    return str(((event.get("parse_data") or {}).get("intent") or {}).get("name") or "")


def question_turns(events: Iterable[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Return the user events that carry the parent's question (not greetings or escalation control)."""
    turns = []
    for event in events:
        if event.get("event") != "user":
            continue
        text = (event.get("text") or "").strip()
        if not text or text.startswith("/") or _intent(event) in CONTROL_INTENTS:
            continue
        turns.append(event)
    return turns[-MAX_TURNS:]


def build_packet(events: List[Dict[str, Any]], channel: str) -> Dict[str, Any]:
    """Return the redacted handover packet for the volunteer."""
    turns = question_turns(events)
    topics: Dict[str, float] = {}
    for event in turns:
        for item in ((event.get("parse_data") or {}).get("intent_ranking") or [])[:3]:
            name = str(item.get("name"))
            topics[name] = max(topics.get(name, 0.0), round(float(item.get("confidence") or 0.0), 3))
    kb_tried = []
    for event in events:
        kb_id = ((event.get("data") or {}).get("custom") or {}).get("kb_id") if event.get("event") == "bot" else None
        if kb_id and kb_id not in kb_tried:
            kb_tried.append(kb_id)
    return {
        "turns": [stored_text(e.get("text") or "", _intent(e)) for e in turns],
        "topics": [{"name": n, "confidence": c} for n, c in sorted(topics.items(), key=lambda x: -x[1])][:5],
        "kb_tried": kb_tried,
        "channel": channel,
    }


def main_topic(packet: Dict[str, Any]) -> Optional[str]:
    """Return the knowledge id of the most confident detected topic, if any."""
    for topic in packet.get("topics", []):
        kb_id = id_for_intent(str(topic.get("name")))
        if kb_id:
            return kb_id
    return None


def suggests_risk(events: Iterable[Dict[str, Any]]) -> bool:
    """Return True if any message in the conversation was treated as a crisis."""
    return any(e.get("event") == "user" and _intent(e) == "ask_crisis" for e in events)


# Whether the parent agreed, read from the conversation's own events rather than taken on trust
# from a slot: the action server acts only on what this conversation shows (security review F9).
OFFERED_SLOT = "escalation_offered"
CONSENT_INTENTS = frozenset({"confirm_escalation", "affirm"})
CANCEL_INTENTS = frozenset({"cancel_escalation"})


def latest_intent(events: Sequence[Dict[str, Any]]) -> str:
    """Return the intent of the conversation's latest message ("" if there is none)."""
    return next((_intent(e) for e in reversed(events) if e.get("event") == "user"), "")


def consent_given(events: Sequence[Dict[str, Any]]) -> bool:
    """Return True if the latest message agrees to the assistant's latest offer, with nothing but consent since.

    Saying yes again after a failed attempt (the action server restarted
    mid-send) still counts; a question or anything else after the offer does
    not, nor does an offer the conversation never showed.
    """
    offered = [i for i, e in enumerate(events)
               if e.get("event") == "slot" and e.get("name") == OFFERED_SLOT and e.get("value") is True]
    if not offered:
        return False
    since = [e for e in events[offered[-1] + 1:] if e.get("event") == "user"]
    return bool(since) and all(_intent(e) in CONSENT_INTENTS for e in since)


def asked_to_cancel(events: Sequence[Dict[str, Any]]) -> bool:
    """Return True if the latest message asks to withdraw a question."""
    return latest_intent(events) in CANCEL_INTENTS
