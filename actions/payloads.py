"""Turn knowledge entries into message arguments: buttons, template values and the custom payload."""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Sequence

from bot.knowledge.entries import Entry, KnowledgeBase
from bot.text import long_date

MAX_RELATED_BUTTONS = 3


def answer_payload(entry: Entry) -> Dict[str, Any]:
    """Return the machine-readable `custom` payload for a knowledge answer."""
    return {
        "type": "answer",
        "kb_id": entry.id,
        "title": entry.title,
        "sources": [{"title": s.title, "url": s.url} for s in entry.sources],
        "reviewed": entry.reviewed.isoformat(),
    }


def entry_button(entry: Entry) -> Dict[str, str]:
    """Return a button that asks for an entry."""
    return {"title": entry.title, "payload": f"/{entry.intent}"}


def related_buttons(kb: KnowledgeBase, entry: Entry, tell_more_title: Optional[str]) -> List[Dict[str, str]]:
    """Return 'Tell me more' (when there is detail) and buttons for related entries."""
    buttons = []
    if entry.detail and tell_more_title:
        buttons.append({"title": tell_more_title, "payload": "/tell_me_more"})
    for kb_id in entry.related[:MAX_RELATED_BUTTONS]:
        related = kb.get(kb_id)
        if related is not None:
            buttons.append(entry_button(related))
    return buttons


def group_buttons(kb: KnowledgeBase, group: str) -> List[Dict[str, str]]:
    """Return a button for each entry in a menu group."""
    return [entry_button(e) for e in kb.in_group(group)]


def answer_values(entry: Entry) -> Dict[str, str]:
    """Return the values the `utter_kb_answer` response template fills in."""
    return {
        "short": entry.short,
        "next_steps": bullet_list(entry.next_steps),
        "sources": bullet_list(f"{s.title}: {s.url}" for s in entry.sources),
        "reviewed": long_date(entry.reviewed),
    }


def bullet_list(items: Iterable[str]) -> str:
    """Return items as a bulleted list, one per line."""
    return "\n".join(f"• {item}" for item in items)


def second_topic(kb: KnowledgeBase, ranking: Sequence[Dict[str, Any]], exclude: str, floor: float = 0.2) -> Optional[Entry]:
    """Return the best-ranked other knowledge entry above a confidence floor."""
    for item in ranking:
        entry = kb.for_intent(item.get("name"))
        if entry is not None and entry.id != exclude and float(item.get("confidence") or 0) >= floor:
            return entry
    return None
