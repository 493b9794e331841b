"""Canned signposting snippets volunteers can copy into an answer (knowledge/review-snippets.yml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Container, List, Optional

from bot.knowledge.entries import SOURCE, Source
from bot.knowledge.reading import validate_file
from bot.knowledge.schema import Id, Items, Map, Ref, Report, Str

SNIPPETS_FILE = "review-snippets.yml"


@dataclass(frozen=True)
class Snippet:
    """One piece of signposting text with the page it comes from."""

    id: str
    title: str
    kb_id: str
    text: str
    source: Source


SPEC = Map({"snippets": Items(Map({
    "id": Id("snippet"), "title": Str(), "kb_id": Ref("entry"), "text": Str(), "source": SOURCE,
}, build=Snippet), anchor="id")})


def load_snippets(knowledge_dir: Path, entry_ids: Optional[Container[str]] = None) -> List[Snippet]:
    """Read the snippets file (and, given the knowledge base's ids, check each kb_id); raise KnowledgeBaseError if malformed."""
    report = Report()
    clean = validate_file(knowledge_dir / SNIPPETS_FILE, SPEC, report)
    if entry_ids is not None:
        report.resolve("entry", entry_ids)
    report.raise_if_any()
    return list(clean["snippets"])
