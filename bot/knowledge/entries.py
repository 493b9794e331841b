"""Load, validate and look up the knowledge base (knowledge/*.yml).

The knowledge base is data with a schema. Loading rejects anything a parent
could be misled by: unknown or missing keys, duplicate ids, links to entries
that do not exist, and answers without an official source. Stale review
dates are reported as warnings, not errors, so an old entry never takes the
assistant down.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple
from urllib.parse import urlparse

import yaml

GROUPS = ("plans", "challenges", "school", "help", "safety")
REQUIRED_KEYS = {"id", "title", "group", "short", "next_steps", "related", "sources", "reviewed"}
OPTIONAL_KEYS = {"detail", "legal_refs"}
SHORT_MAX_WORDS = 120
DETAIL_MAX_WORDS = 300
TITLE_MAX_CHARS = 40
INTENT_PREFIX = "ask_"
_ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_LABEL_RE = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")  # ASCII: write an IDN in its xn-- form
DOMAINS_FILE = "official-domains.yml"


class KnowledgeBaseError(ValueError):
    """The knowledge base failed validation; `problems` lists every fault."""

    def __init__(self, problems: List[str]) -> None:
        super().__init__("knowledge base is invalid:\n- " + "\n- ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Source:
    """A page an answer is based on."""

    title: str
    url: str


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

    @property
    def intent(self) -> str:
        """Return the NLU intent that asks for this entry."""
        return intent_for(self.id)


@dataclass
class KnowledgeBase:
    """All entries, keyed by id, plus any warnings raised while loading."""

    entries: Dict[str, Entry]
    warnings: List[str] = field(default_factory=list)

    def get(self, kb_id: str) -> Optional[Entry]:
        """Return the entry with this id, or None."""
        return self.entries.get(kb_id)

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


def load_official_domains(knowledge_dir: Path) -> Tuple[str, ...]:
    """Read the domains whose pages count as primary or official sources; raise KnowledgeBaseError if malformed."""
    try:
        data = yaml.safe_load((knowledge_dir / DOMAINS_FILE).read_text(encoding="utf-8"))
    except OSError as exc:
        raise KnowledgeBaseError([f"{DOMAINS_FILE}: cannot be read ({exc.__class__.__name__})"]) from None
    except (yaml.YAMLError, UnicodeDecodeError, ValueError, RecursionError) as exc:  # as in _read_file
        raise KnowledgeBaseError([f"{DOMAINS_FILE}: not valid YAML ({exc.__class__.__name__})"]) from None
    if not isinstance(data, dict) or set(data) != {"official_domains"} or not isinstance(data["official_domains"], list) \
            or not data["official_domains"]:
        raise KnowledgeBaseError([f"{DOMAINS_FILE}: must hold exactly one top-level key 'official_domains' "
                                  "with a list of at least one domain"])
    problems: List[str] = []
    domains: List[str] = []
    for item in data["official_domains"]:
        if not isinstance(item, str):  # never str() it: an aliased list can be huge
            problems.append(f"{DOMAINS_FILE}: each domain must be text, not {type(item).__name__}")
            continue
        domain = item.strip().lower()
        if not _is_domain(domain):
            problems.append(f"{DOMAINS_FILE}: {domain[:80]!r} is not a domain name like gov.uk")
        elif domain in domains:
            problems.append(f"{DOMAINS_FILE}: {domain!r} is listed twice")
        else:
            domains.append(domain)
    if problems:
        raise KnowledgeBaseError(problems)
    return tuple(domains)


def _is_domain(name: str) -> bool:
    labels = name.split(".")
    return len(name) <= 253 and len(labels) >= 2 and all(_LABEL_RE.fullmatch(label) for label in labels) \
        and not labels[-1].isdigit()  # an IP address is not an organisation's domain


def is_official(url: str, domains: Iterable[str]) -> bool:
    """Return True if the URL is on an official domain or one of its subdomains."""
    host = (urlparse(url).hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in domains)


def _text(raw: Dict[str, Any], key: str, where: str, problems: List[str]) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: '{key}' must be non-empty text")
        return ""
    return value.strip()


def _text_list(raw: Dict[str, Any], key: str, where: str, problems: List[str]) -> Tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(f"{where}: '{key}' must be a list of text")
        return ()
    return tuple(v.strip() for v in value)


def _sources(raw: Dict[str, Any], where: str, domains: Tuple[str, ...], problems: List[str]) -> Tuple[Source, ...]:
    value = raw.get("sources")
    if not isinstance(value, list) or not value:
        problems.append(f"{where}: has no sources")
        return ()
    sources = []
    for item in value:
        if not isinstance(item, dict) or set(item) != {"title", "url"}:
            problems.append(f"{where}: each source needs exactly 'title' and 'url'")
            continue
        if not all(isinstance(v, str) for v in item.values()):  # str() of an aliased list ("billion laughs") explodes
            problems.append(f"{where}: a source's title and url must be text")
            continue
        url = item["url"].strip()
        if not _is_web_link(url):
            problems.append(f"{where}: source URL {url!r} is not an http(s) link")
            continue
        sources.append(Source(title=item["title"].strip(), url=url))
    if sources and not any(is_official(s.url, domains) for s in sources):
        problems.append(f"{where}: needs at least one primary or official source")
    return tuple(sources)


def _is_web_link(url: str) -> bool:
    try:
        parts = urlparse(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. "http://[bad": an unclosed IPv6 address
        return False


def _reviewed(raw: Dict[str, Any], where: str, problems: List[str]) -> dt.date:
    value = raw.get("reviewed")
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    problems.append(f"{where}: 'reviewed' must be a date (YYYY-MM-DD)")
    return dt.date.min


def _parse_entry(raw: Any, file: str, domains: Tuple[str, ...], problems: List[str]) -> Optional[Entry]:
    if not isinstance(raw, dict):
        problems.append(f"{file}: every entry must be a mapping")
        return None
    kb_id = raw.get("id")
    where = f"{file}: {kb_id}" if isinstance(kb_id, str) else f"{file}: entry without id"
    keys = set(raw)
    for key in sorted(keys - REQUIRED_KEYS - OPTIONAL_KEYS, key=str):  # YAML keys may be numbers or dates
        problems.append(f"{where}: unknown key '{key}'")
    for key in sorted(REQUIRED_KEYS - keys):
        problems.append(f"{where}: missing key '{key}'")
    if not isinstance(kb_id, str) or not _ID_RE.fullmatch(kb_id):
        problems.append(f"{where}: id must be lower-case words joined by hyphens")
        return None
    title = _text(raw, "title", where, problems)
    if len(title) > TITLE_MAX_CHARS:
        problems.append(f"{where}: title is over {TITLE_MAX_CHARS} characters")
    group = raw.get("group")
    if group not in GROUPS:
        problems.append(f"{where}: group must be one of {', '.join(GROUPS)}")
    short = _text(raw, "short", where, problems)
    if word_count(short) > SHORT_MAX_WORDS:
        problems.append(f"{where}: short answer has {word_count(short)} words (max {SHORT_MAX_WORDS})")
    detail = raw.get("detail")
    if detail is not None:
        detail = _text(raw, "detail", where, problems)
        if word_count(detail) > DETAIL_MAX_WORDS:
            problems.append(f"{where}: detail has {word_count(detail)} words (max {DETAIL_MAX_WORDS})")
    next_steps = _text_list(raw, "next_steps", where, problems)
    if not next_steps:
        problems.append(f"{where}: needs at least one next step")
    return Entry(
        id=kb_id,
        title=title,
        group=group if group in GROUPS else "",  # never str() a raw value: it may be a huge aliased list
        short=short,
        detail=detail or None,
        next_steps=next_steps,
        related=_text_list(raw, "related", where, problems),
        sources=_sources(raw, where, domains, problems),
        legal_refs=_text_list(raw, "legal_refs", where, problems),
        reviewed=_reviewed(raw, where, problems),
        file=file,
    )


def _read_file(path: Path, root: Path, problems: List[str]) -> List[Any]:
    rel = str(path.relative_to(root))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # PyYAML raises ValueError for impossible dates (2026-02-30) or over-long !!int, and
    # RecursionError for very deep nesting; all mean the file is not a usable document.
    except (yaml.YAMLError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        problems.append(f"{rel}: not valid YAML ({exc.__class__.__name__})")
        return []
    if not isinstance(data, dict) or set(data) != {"entries"} or not isinstance(data["entries"], list):
        problems.append(f"{rel}: must hold exactly one top-level key 'entries' with a list")
        return []
    return [(rel, item) for item in data["entries"]]


def knowledge_files(knowledge_dir: Path, area: str) -> List[Path]:
    """Return the files the live assistant loads: national ones plus one local area."""
    local = knowledge_dir / "local" / f"{area}.yml"
    return sorted((knowledge_dir / "national").glob("*.yml")) + [local]


def load_kb(knowledge_dir: Path, area: str = "kent", today: Optional[dt.date] = None, stale_days: int = 365) -> KnowledgeBase:
    """Load and validate the knowledge base; raise KnowledgeBaseError listing every fault."""
    problems: List[str] = []
    local = knowledge_dir / "local" / f"{area}.yml"
    if not local.exists():
        raise KnowledgeBaseError([f"no local knowledge file for area {area!r} ({local})"])
    domains = load_official_domains(knowledge_dir)
    entries: Dict[str, Entry] = {}
    for path in knowledge_files(knowledge_dir, area):
        for rel, raw in _read_file(path, knowledge_dir, problems):
            entry = _parse_entry(raw, rel, domains, problems)
            if entry is None:
                continue
            if entry.id in entries:
                problems.append(f"{rel}: duplicate id {entry.id!r} (also in {entries[entry.id].file})")
                continue
            entries[entry.id] = entry
    for entry in entries.values():
        for link in entry.related:
            if link not in entries:
                problems.append(f"{entry.file}: {entry.id}: related id {link!r} does not exist")
    if problems:
        raise KnowledgeBaseError(problems)
    today = today or dt.date.today()
    warnings = [
        f"{e.file}: {e.id}: reviewed {e.reviewed.isoformat()}, over {stale_days} days ago"
        for e in entries.values()
        if (today - e.reviewed).days > stale_days
    ]
    return KnowledgeBase(entries=entries, warnings=warnings)
