"""Shape Rasa's replies for the widget: the contract's fields only, volunteer answers, offered payloads."""

from __future__ import annotations

from typing import Any, Dict, Iterable, List


def clean_messages(replies: Iterable[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Return replies reduced to the contract's fields: text, buttons and custom."""
    messages = []
    for reply in replies:
        message: Dict[str, Any] = {}
        if isinstance(reply.get("text"), str):
            message["text"] = reply["text"]
        buttons = [
            {"title": b["title"], "payload": b["payload"]}
            for b in (reply["buttons"] if isinstance(reply.get("buttons"), list) else [])
            if isinstance(b, dict) and isinstance(b.get("title"), str) and isinstance(b.get("payload"), str)
        ]
        if buttons:
            message["buttons"] = buttons
        if isinstance(reply.get("custom"), dict):
            message["custom"] = reply["custom"]
        if message:
            messages.append(message)
    return messages


def volunteer_message(delivery_id: int, escalation_id: int, text: str, template: str, still_need_help: str) -> Dict[str, Any]:
    """Return a volunteer's answer as a widget message, labelled as coming from a volunteer."""
    return {
        "text": template.format(answer=text, reference=f"Q{escalation_id}"),
        "buttons": [{"title": still_need_help, "payload": "/request_human"}],
        "custom": {"type": "volunteer_answer", "delivery_id": delivery_id, "escalation_id": escalation_id},
    }


def progress_message(notice_id: int, escalation_id: int, text: str) -> Dict[str, Any]:
    """Return a progress message about a question; its negative id keeps it apart from answers' delivery ids."""
    return {
        "text": text,
        "custom": {"type": "volunteer_progress", "delivery_id": -notice_id, "escalation_id": escalation_id},
    }


def button_payloads(messages: Iterable[Dict[str, Any]]) -> List[str]:
    """Return every button payload in the messages."""
    return [b["payload"] for m in messages for b in m.get("buttons", [])]

