"""Load, validate and look up the knowledge base (knowledge/national/*.yml and local/<area>.yml).

The knowledge base is data with a schema (ENTRY below, checked by
bot.knowledge.schema). Loading rejects anything a parent could be misled by:
unknown or missing keys, duplicate ids, links to entries that do not exist,
and answers without an official source. Stale review dates are reported as
warnings, not errors, so an old entry never takes the assistant down.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple
from urllib.parse import urlparse

from bot.knowledge.domains import DOMAINS_FILE, is_official, load_official_domains, read_official_domains
from bot.knowledge.forum import FORUM_SPEC, Forum, forum_from
from bot.knowledge.reading import validate_file
from bot.knowledge.schema import (
    INVALID, Check, Date, Enum, Id, Items, KnowledgeBaseError, Map, Ref, Report, Str, by_key, id_spec, show,
)

__all__ = [  # the domain helpers and the error are imported from here by callers and tests
    "DOMAINS_FILE", "Entry", "KnowledgeBase", "KnowledgeBaseError", "Section", "Source", "id_for_intent",
    "intent_for", "is_official", "load_kb", "load_official_domains", "word_count",
]

GROUPS = ("plans", "challenges", "school", "help", "safety")
REQUIRED_KEYS = {"id", "title", "group", "short", "next_steps", "related", "sources", "reviewed"}
OPTIONAL_KEYS = {"detail", "legal_refs", "sections"}
SHORT_MAX_WORDS = 120
DETAIL_MAX_WORDS = 300
TITLE_MAX_CHARS = 40
NEXT_STEPS_MAX = 5
SECTION_TITLE_MAX_CHARS = 60
SECTION_MAX_WORDS = 120
INTENT_PREFIX = "ask_"


@dataclass(frozen=True)
class Source:
    """A page an answer is based on."""

    title: str
    url: str


@dataclass(frozen=True)
class Section:
    """One part of an entry that can be answered on its own, with the entry's sources and reviewed date."""

    id: str
    title: str
    text: str


@dataclass(frozen=True)
class Entry:
    """One answer in the knowledge base."""

    id: str
    title: str
    group: str
    short: str
    next_steps: Tuple[str, ...]
    related: Tuple[str, ...]
    sources: Tuple[Source, ...]
    reviewed: dt.date
    detail: Optional[str] = None
    legal_refs: Tuple[str, ...] = ()
    file: str = ""
    sections: Tuple[Section, ...] = ()

    @property
    def intent(self) -> str:
        """Return the NLU intent that asks for this entry."""
        return intent_for(self.id)

    def section(self, section_id: str) -> Optional[Section]:
        """Return the section with this id, or None."""
        return next((s for s in self.sections if s.id == section_id), None)


@dataclass
class KnowledgeBase:
    """All entries, keyed by id, plus any warnings raised while loading."""

    entries: Dict[str, Entry]
    warnings: List[str] = field(default_factory=list)
    forum: Forum = field(default_factory=Forum)  # the partner forum named in the area file, or the neutral default

    def get(self, kb_id: str) -> Optional[Entry]:
        """Return the entry with this id, or None."""
        return self.entries.get(kb_id)

    def section(self, kb_id: str, section_id: str) -> Optional[Section]:
        """Return one section of an entry, or None if the entry or the section does not exist."""
        entry = self.entries.get(kb_id)
        return entry.section(section_id) if entry else None

    def for_intent(self, intent: Optional[str]) -> Optional[Entry]:
        """Return the entry an `ask_*` intent refers to, or None."""
        kb_id = id_for_intent(intent or "")
        return self.entries.get(kb_id) if kb_id else None

    def in_group(self, group: str) -> List[Entry]:
        """Return the entries of one menu group, in file order."""
        return [e for e in self.entries.values() if e.group == group]


def intent_for(kb_id: str) -> str:
    """Return the intent name for a knowledge id (`a-b` -> `ask_a_b`)."""
    return INTENT_PREFIX + kb_id.replace("-", "_")


def id_for_intent(intent: str) -> Optional[str]:
    """Return the knowledge id for an `ask_*` intent, or None for other intents."""
    if not intent.startswith(INTENT_PREFIX):
        return None
    return intent[len(INTENT_PREFIX):].replace("_", "-")


def word_count(text: str) -> int:
    """Count words the way a reader would (whitespace-separated tokens)."""
    return len(text.split())


def _web_link(url: str) -> Optional[str]:
    try:
        parts = urlparse(url)
        if parts.scheme in ("http", "https") and parts.hostname:
            return None
    except ValueError:  # e.g. "http://[bad": an unclosed IPv6 address
        pass
    return f"{show(url)} is not an http(s) link"


SOURCE = Map({"title": Str(), "url": Str(checks=[_web_link])}, build=Source)
SECTION = Map({"id": id_spec(), "title": Str(max_chars=SECTION_TITLE_MAX_CHARS),
               "text": Str(max_words=SECTION_MAX_WORDS)}, build=Section)


def entry_spec(domains: Optional[Tuple[str, ...]]) -> Map:
    """Return the schema of one entry; without official domains (their file is broken) sources are not judged."""
    official: List[Check] = [] if domains is None else [
        lambda sources: None if any(is_official(s.url, domains) for s in sources)
        else "needs at least one primary or official source"]
    return Map(required={
        "id": Id("entry"),
        "title": Str(max_chars=TITLE_MAX_CHARS),
        "group": Enum(GROUPS),
        "short": Str(max_words=SHORT_MAX_WORDS),
        "next_steps": Items(Str(), min_len=1, max_len=NEXT_STEPS_MAX),
        "related": Items(Ref("entry")),
        "sources": Items(SOURCE, min_len=1, checks=official),
        "reviewed": Date(),
    }, optional={
        "detail": Str(max_words=DETAIL_MAX_WORDS),
        "legal_refs": Items(Str()),
        "sections": Items(SECTION, unique=by_key("id")),
    })


def knowledge_files(knowledge_dir: Path, area: str) -> List[Path]:
    """Return the files the live assistant loads: national ones plus one local area."""
    local = knowledge_dir / "local" / f"{area}.yml"
    return sorted((knowledge_dir / "national").glob("*.yml")) + [local]


def load_kb(knowledge_dir: Path, area: str = "kent", today: Optional[dt.date] = None, stale_days: int = 365) -> KnowledgeBase:
    """Load and validate the knowledge base; raise KnowledgeBaseError listing every fault."""
    local = knowledge_dir / "local" / f"{area}.yml"
    if not local.exists():
        raise KnowledgeBaseError([f"no local knowledge file for area {area!r} ({local})"])
    report = Report()
    entries_spec = Items(entry_spec(read_official_domains(knowledge_dir, report)), anchor="id")
    national_spec = Map({"entries": entries_spec})
    local_spec = Map({"entries": entries_spec}, optional={"forum": FORUM_SPEC})  # only an area names its forum
    entries: Dict[str, Entry] = {}
    forum = Forum()
    for path in knowledge_files(knowledge_dir, area):
        rel = path.relative_to(knowledge_dir).as_posix()
        clean = validate_file(path, local_spec if path == local else national_spec, report, rel)
        if clean is not INVALID:
            entries.update((raw["id"], Entry(file=rel, **raw)) for raw in clean["entries"])
            forum = forum_from(clean) if path == local else forum
    report.resolve("entry")  # against every id declared, so one faulty entry does not break the links to it
    report.raise_if_any()
    today = today or dt.date.today()
    warnings = [
        f"{e.file}: {e.id}: reviewed {e.reviewed.isoformat()}, over {stale_days} days ago"
        for e in entries.values()
        if (today - e.reviewed).days > stale_days
    ]
    return KnowledgeBase(entries=entries, warnings=warnings, forum=forum)
