"""Canned signposting snippets volunteers can copy into an answer (knowledge/review-snippets.yml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import List

import yaml

from bot.knowledge.entries import Source

SNIPPETS_FILE = "review-snippets.yml"


@dataclass(frozen=True)
class Snippet:
    """One piece of signposting text with the page it comes from."""

    id: str
    title: str
    kb_id: str
    text: str
    source: Source


def load_snippets(knowledge_dir: Path) -> List[Snippet]:
    """Read the snippets file; raise ValueError if an item is malformed."""
    data = yaml.safe_load((knowledge_dir / SNIPPETS_FILE).read_text(encoding="utf-8"))
    snippets = []
    for item in data["snippets"]:
        if set(item) != {"id", "title", "kb_id", "text", "source"} or set(item["source"]) != {"title", "url"}:
            raise ValueError(f"{SNIPPETS_FILE}: snippet {item.get('id')!r} needs id, title, kb_id, text, source")
        snippets.append(Snippet(
            id=str(item["id"]), title=str(item["title"]), kb_id=str(item["kb_id"]), text=str(item["text"]).strip(),
            source=Source(title=str(item["source"]["title"]), url=str(item["source"]["url"])),
        ))
    return snippets
