"""Every phone number, email address and web address in knowledge/, with where it was traced (knowledge/traced-facts.yml).

A parent may ring a number or open a link the assistant gives them, so each
one must have been traced to the organisation's own page or an official one.
tests/knowledge/test_traced_facts.py finds every contact detail in the
knowledge files and fails on any this list does not name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

from bot.knowledge.reading import validate_file
from bot.knowledge.schema import Date, Enum, Items, Map, Report, Str

TRACED_FILE = "traced-facts.yml"
KINDS = ("phone", "email", "url")
SELF = "self"  # a web address that is itself the organisation's own page


@dataclass(frozen=True)
class TracedFact:
    """One contact detail as the knowledge text spells it, and the page that confirms it."""

    value: str
    kind: str
    source: str
    checked: dt.date
    note: str


def _source(source: str) -> Optional[str]:
    if source == SELF or source.startswith(("https://", "http://")):
        return None
    return f"must be an http(s) link, or '{SELF}' for a web address"


def _self_only_for_urls(raw: Dict[str, Any]) -> Optional[str]:
    return f"source '{SELF}' is only for a web address" if raw["source"] == SELF and raw["kind"] != "url" else None


SPEC = Map({"traced": Items(Map(
    {"value": Str(), "kind": Enum(KINDS), "source": Str(checks=[_source]), "checked": Date(), "note": Str()},
    checks=[_self_only_for_urls],
), min_len=1, unique=lambda raw: raw["value"])})


def load_traced_facts(knowledge_dir: Path) -> Tuple[TracedFact, ...]:
    """Load and check knowledge/traced-facts.yml; raise KnowledgeBaseError listing every fault."""
    report = Report()
    clean = validate_file(knowledge_dir / TRACED_FILE, SPEC, report)
    report.raise_if_any()
    return tuple(TracedFact(**raw) for raw in clean["traced"])
