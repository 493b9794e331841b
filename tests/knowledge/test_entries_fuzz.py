"""Bounded fuzzing of the knowledge-base loader: any file (entries or official domains) loads or raises KnowledgeBaseError, quickly.

Maintainers edit knowledge/*.yml by hand, and drafts come from volunteers'
answers, so the loader meets broken YAML. It must report every fault as a
KnowledgeBaseError (which `python -m bot kb check` prints), never crash with
another exception, and never hang: YAML aliases can describe a document far
larger than its text ("billion laughs"), and very deep nesting makes PyYAML's
scanner slow and its composer recurse (the reader refuses over 50 levels).
Entries carry optional sections, fuzzed the same way.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any, Dict, Optional, Union

import pytest
import yaml
from hypothesis import given, strategies as st

from bot.knowledge.entries import (
    GROUPS, OPTIONAL_KEYS, REQUIRED_KEYS, KnowledgeBase, KnowledgeBaseError, load_kb, load_official_domains,
)
from bot.settings import PROJECT_ROOT
from tests.helpers.kb_fuzz import KB_FUZZ, TIME_LIMIT, mutated, run_within, yaml_values

TODAY = dt.date(2026, 3, 1)
GOOD: Dict[str, Any] = {
    "id": "good-entry", "title": "A good entry", "group": "plans", "short": "A short plain-English answer.",
    "next_steps": ["Do one thing."], "related": [],
    "sources": [{"title": "GOV.UK", "url": "https://www.gov.uk/children-with-special-educational-needs"}],
    "reviewed": dt.date(2025, 6, 1),
    "sections": [{"id": "how-long", "title": "How long does it take?", "text": "About 30 days."}],
}
GOOD_FILE = "entries:\n- id: good-entry\n  title: A good entry\n  group: plans\n  short: An answer.\n" \
            "  next_steps: [Do one thing.]\n  related: []\n" \
            "  sources: [{title: GOV.UK, url: 'https://www.gov.uk/x'}]\n  reviewed: 2025-06-01\n"


def write_kb(root: Path, national: bytes, local: bytes = b"entries: []\n", domains: Optional[bytes] = None) -> Path:
    """Write a knowledge folder (national/x.yml, local/kent.yml, and the real or given official-domains.yml)."""
    knowledge = root / "knowledge"
    (knowledge / "national").mkdir(parents=True, exist_ok=True)
    (knowledge / "local").mkdir(exist_ok=True)
    if domains is None:
        shutil.copy(PROJECT_ROOT / "knowledge" / "official-domains.yml", knowledge / "official-domains.yml")
    else:
        (knowledge / "official-domains.yml").write_bytes(domains)
    (knowledge / "national" / "x.yml").write_bytes(national)
    (knowledge / "local" / "kent.yml").write_bytes(local)
    return knowledge


def load_within(knowledge: Path, seconds: float = TIME_LIMIT) -> Union[KnowledgeBase, KnowledgeBaseError]:
    """Load the folder in a worker thread; return the KB or its KnowledgeBaseError, and fail on any other outcome."""
    outcome = run_within(lambda: load_kb(knowledge, "kent", today=TODAY), seconds)
    assert isinstance(outcome, (KnowledgeBase, KnowledgeBaseError))
    return outcome


def assert_well_formed(kb: KnowledgeBase) -> None:
    """Assert a knowledge base that loaded holds only what the schema allows."""
    for entry in kb.entries.values():
        assert isinstance(entry.title, str) and isinstance(entry.short, str) and entry.group in GROUPS
        assert len({s.id for s in entry.sections}) == len(entry.sections)
        assert all(s.id in ("how-long", "do-i-have-to") and len(s.title) <= 60 and len(s.text.split()) <= 120
                   and kb.section(entry.id, s.id) is s for s in entry.sections)
        assert entry.sources and all(isinstance(s.url, str) and s.url.startswith("http") for s in entry.sources)
        assert all(link in kb.entries for link in entry.related)
        assert isinstance(entry.reviewed, dt.date)


def laughs(depth: int, field: str = "title") -> str:
    """Return a file whose aliases describe 10**depth strings, used as a source's title or url, or the group."""
    anchors = ["- lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    anchors += [f"  lol{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, depth)]
    bomb = f"*l{depth - 1}"
    swaps = {"title": ("{title: GOV.UK,", "{title: %s," % bomb), "url": ("url: 'https://www.gov.uk/x'", "url: " + bomb),
             "group": ("group: plans", "group: " + bomb)}
    entry = GOOD_FILE.split("\n", 1)[1].replace(*swaps[field])
    return "entries:\n" + "\n".join(anchors) + "\n" + entry


# Hostile files, each with the problem it must be reported as ---------------------------------------------

HOSTILE = [
    pytest.param(GOOD_FILE.replace("2025-06-01", "2025-02-30"), "not valid YAML (ValueError)", id="impossible-date"),
    pytest.param(GOOD_FILE.replace("  related: []", "  related: [!!int '" + "9" * 5000 + "']"),
                 "not valid YAML (ValueError)", id="5000-digit-int"),
    pytest.param("entries: " + "[" * 2000 + "]" * 2000, "not valid YAML (ScannerError) at line 1: nested over 50 levels deep",
                 id="2000-levels-deep"),
    pytest.param("entries:\n" + "".join(" " * i + "- \n" for i in range(1, 200)), "nested over 50 levels deep",
                 id="200-block-levels-deep"),
    pytest.param(GOOD_FILE.replace("https://www.gov.uk/x", "http://[gov.uk"), "is not an http(s) link", id="unclosed-ipv6-url"),
    pytest.param(GOOD_FILE.replace("  related: []", "  related: []\n  1: one\n  colour: red"), "good-entry: unknown key 1",
                 id="number-and-text-keys"),
    pytest.param(laughs(7, "title"), "good-entry.sources[0].title: must be text, not a list", id="billion-laughs-title"),
    pytest.param(laughs(7, "url"), "good-entry.sources[0].url: must be text, not a list", id="billion-laughs-url"),
    pytest.param(laughs(7, "group"), "good-entry.group: must be one of plans", id="billion-laughs-group"),
    pytest.param(b"entries:\n- id: caf\xe9\n", "not valid YAML (UnicodeDecodeError)", id="latin-1-bytes"),
    pytest.param("entries:\n- id: a\x00b\n", "not valid YAML (ReaderError)", id="nul-byte"),
    pytest.param("entries: !!python/object/apply:os.system ['echo hi']\n", "not valid YAML (ConstructorError)",
                 id="python-tag"),
]


@pytest.mark.parametrize("text, problem", HOSTILE)
def test_hostile_file_is_reported_not_crashed_on(tmp_path: Path, text: Any, problem: str) -> None:
    raw = text if isinstance(text, bytes) else text.encode("utf-8")
    outcome = load_within(write_kb(tmp_path, raw))
    assert isinstance(outcome, KnowledgeBaseError)
    assert any(problem in p for p in outcome.problems), outcome.problems


def test_the_good_file_loads(tmp_path: Path) -> None:
    kb = load_within(write_kb(tmp_path, GOOD_FILE.encode()))
    assert isinstance(kb, KnowledgeBase) and list(kb.entries) == ["good-entry"]


# Generated files ---------------------------------------------------------------------------------------------

IDS = ["good-entry", "other-entry", "Bad_ID", "trailing-", "", "nowhere"]
KEYS = sorted(REQUIRED_KEYS | OPTIONAL_KEYS)
SECTION_IDS = ["how-long", "do-i-have-to", "How_Long", "how-long\n", ""]


@st.composite
def sections(draw: st.DrawFn) -> Dict[str, Any]:
    """Return a section with its id, title or text possibly wrong, retyped or huge (ids may repeat)."""
    section: Dict[str, Any] = {"id": draw(st.sampled_from(SECTION_IDS)), "title": "Do you have to?", "text": "No."}
    key = draw(st.sampled_from(["id", "title", "text", "colour"]) | st.none())  # None: leave it valid
    if key is not None:
        section[key] = draw(yaml_values | st.integers(55, 70).map(lambda n: "t" * n)
                            | st.integers(110, 5000).map(lambda n: "word " * n))
    return section


@st.composite
def entries(draw: st.DrawFn) -> Dict[str, Any]:
    """Return a valid entry with a few mutations: keys dropped, added, retyped or made huge, sections changed."""
    entry = dict(GOOD, id=draw(st.sampled_from(IDS) | st.text(max_size=12)))
    entry["related"] = draw(st.lists(st.sampled_from(IDS), max_size=2))  # broken and circular links
    entry["sections"] = draw(st.lists(sections(), max_size=3))
    for _ in range(draw(st.integers(0, 3))):
        action, key = draw(st.sampled_from(["drop", "retype", "add", "huge"])), draw(st.sampled_from(KEYS))
        if action == "drop":
            entry.pop(key, None)
        elif action == "retype":
            entry[key] = draw(yaml_values)
        elif action == "add":
            entry[draw(st.text(max_size=10) | st.integers() | st.dates())] = draw(yaml_values)
        else:
            entry[key] = "word " * draw(st.integers(100, 10_000))
    return entry


def dump(values: Any) -> bytes:
    """Return entries as a knowledge file."""
    return yaml.safe_dump({"entries": values}, allow_unicode=True).encode("utf-8")


documents = st.one_of(
    st.lists(entries(), max_size=4).map(dump),
    mutated(GOOD_FILE),
    st.binary(max_size=300),
    st.text(max_size=300).map(str.encode),
    st.builds(laughs, st.integers(1, 6), st.sampled_from(["title", "url", "group"])).map(str.encode),
    st.builds(lambda n: ("entries: " + "[" * n + "]" * n).encode(), st.integers(1, 300)),
    st.builds(lambda v: dump(v), yaml_values),
)

@KB_FUZZ
@given(national=documents, local=st.none() | st.lists(entries(), max_size=2).map(dump))
def test_any_file_loads_or_is_reported(tmp_path: Path, national: bytes, local: Optional[bytes]) -> None:
    outcome = load_within(write_kb(tmp_path, national, local or b"entries: []\n"))
    if isinstance(outcome, KnowledgeBase):
        assert_well_formed(outcome)


# Generated official-domains.yml files ------------------------------------------------------------------------

GOOD_DOMAINS = "official_domains:\n  - gov.uk\n  - nhs.uk\n"
domain_items = st.sampled_from(["gov.uk", "GOV.UK", "nhs.uk", "", "localhost", "*.gov.uk", "10.0.0.1", "gov..uk"]) \
    | st.text(max_size=30) | yaml_values


def domain_laughs(depth: int) -> bytes:
    """Return a domains file whose items are aliases describing 10**depth strings."""
    items = ["  - &l0 [" + ", ".join(["lol"] * 10) + "]"]
    items += [f"  - &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, depth)]
    return ("official_domains:\n" + "\n".join(items) + "\n  - gov.uk\n").encode()


domain_documents = st.one_of(
    st.lists(domain_items, max_size=5).map(lambda items: yaml.safe_dump({"official_domains": items}).encode()),
    st.builds(lambda v: yaml.safe_dump({"official_domains": v}).encode(), yaml_values),
    st.builds(lambda v: yaml.safe_dump(v).encode(), yaml_values),
    mutated(GOOD_DOMAINS),
    st.binary(max_size=300),
    st.text(max_size=300).map(str.encode),
    st.builds(domain_laughs, st.integers(1, 8)),
    st.builds(lambda n: ("official_domains: " + "[" * n + "]" * n).encode(), st.integers(1, 300)),
)


@KB_FUZZ
@given(domains=domain_documents)
def test_any_official_domains_file_loads_or_is_reported(tmp_path: Path, domains: bytes) -> None:
    outcome = load_within(write_kb(tmp_path, GOOD_FILE.encode(), domains=domains))
    if isinstance(outcome, KnowledgeBase):  # only when the domains file was well formed
        assert list(outcome.entries) == ["good-entry"]
        assert all(d == d.strip().lower() and "." in d for d in load_official_domains(tmp_path / "knowledge"))
