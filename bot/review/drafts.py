"""Drafts: a suggested answer from the knowledge base, and a draft knowledge entry from an answer.

Suggestions are explainable on purpose. Topics the assistant detected come
first (intent `ask_x_y` is entry `x-y`), then entries whose title and short
answer share the most content words with the parent's redacted question.
A draft knowledge entry is written for a maintainer to finish: it has a
placeholder source and no review date, so `load_kb` would reject it until
someone checks it, and it lives in knowledge/drafts/, which is never loaded.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import yaml

from bot.knowledge.entries import Entry, KnowledgeBase, id_for_intent
from bot.unanswered.grouping import content_words

MAX_SUGGESTIONS = 2
PLACEHOLDER_SOURCE = {"title": "TODO: add an official source", "url": "https://www.gov.uk/"}


def topic_entries(kb: KnowledgeBase, topics: Sequence[Dict[str, Any]]) -> List[Entry]:
    """Return the entries named by detected topics, most confident first."""
    ordered = sorted(topics, key=lambda t: -float(t.get("confidence") or 0))
    found: List[Entry] = []
    for topic in ordered:
        name = str(topic.get("name") or "")
        entry = kb.get(id_for_intent(name) or name)
        if entry is not None and entry not in found:
            found.append(entry)
    return found


def overlap_entries(kb: KnowledgeBase, text: str, limit: int = MAX_SUGGESTIONS) -> List[Entry]:
    """Return entries sharing the most content words with the text (at least one word)."""
    words = content_words(text)
    scored = []
    for entry in kb.entries.values():
        score = len(words & content_words(entry.title + " " + entry.short))
        if score:
            scored.append((-score, entry.id, entry))
    return [entry for _, _, entry in sorted(scored)[:limit]]


def suggest_entries(kb: KnowledgeBase, packet: Dict[str, Any], limit: int = MAX_SUGGESTIONS) -> List[Entry]:
    """Return the best-matching entries for a handover packet: topics first, then word overlap."""
    found = topic_entries(kb, packet.get("topics") or [])
    for entry in overlap_entries(kb, " ".join(packet.get("turns") or []), limit):
        if entry not in found:
            found.append(entry)
    return found[:limit]


def draft_answer(entries: Sequence[Entry]) -> str:
    """Compose an editable first draft from knowledge entries, with their sources."""
    if not entries:
        return "Thank you for your question.\n\n"
    parts = ["Thank you for your question."]
    for entry in entries:
        parts.append(entry.short)
        parts.append("What you can do now:\n" + "\n".join(f"- {step}" for step in entry.next_steps))
    sources = [s for entry in entries for s in entry.sources]
    parts.append("Where this comes from:\n" + "\n".join(f"- {s.title}: {s.url}" for s in sources))
    return "\n\n".join(parts)


def draft_entry(escalation_id: int, answer: str, related: Sequence[Entry], today: Optional[dt.date] = None) -> Dict[str, Any]:
    """Return a knowledge entry (in the knowledge/README.md schema) for a maintainer to finish."""
    group = related[0].group if related else "help"
    return {
        "id": f"volunteer-answer-{escalation_id}",
        "title": "TODO: a title of 40 characters",
        "group": group,
        "short": " ".join(answer.split()),
        "next_steps": ["TODO: one to five things the parent can do now"],
        "related": [e.id for e in related],
        "sources": [dict(PLACEHOLDER_SOURCE)],
        "legal_refs": [],
        "reviewed": None,  # set when a maintainer has checked it against its sources
    }


def draft_yaml(entry: Dict[str, Any], escalation_id: int) -> str:
    """Return a draft entry as a knowledge file, with a header telling the maintainer what to fix."""
    header = (
        f"# Draft from a volunteer's answer to escalated question {escalation_id}.\n"
        "# NOT loaded by the assistant. Before moving it to national/ or local/:\n"
        "# check the answer holds nothing personal, shorten it to 120 words, give it a title,\n"
        "# next steps and an official source, and set `reviewed`.\n"
    )
    body = yaml.safe_dump({"entries": [entry]}, sort_keys=False, allow_unicode=True, width=88)
    return header + body


def write_draft(knowledge_dir: Path, entry: Dict[str, Any], escalation_id: int) -> Path:
    """Write a draft entry to knowledge/drafts/<id>.yml and return its path."""
    folder = knowledge_dir / "drafts"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{entry['id']}.yml"
    path.write_text(draft_yaml(entry, escalation_id), encoding="utf-8")
    return path
