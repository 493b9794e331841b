"""Tests for bot.knowledge.entries: the real knowledge base, broken ones, staleness, intents, domains."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any, Dict, List, Optional, Union

import pytest
import yaml

from bot.knowledge.entries import (
    KnowledgeBaseError,
    Section,
    id_for_intent,
    intent_for,
    is_official,
    load_kb,
    load_official_domains,
)
from bot.knowledge.messages import load_messages
from bot.settings import PROJECT_ROOT

KNOWLEDGE = PROJECT_ROOT / "knowledge"
REAL_KB = load_kb(KNOWLEDGE, "kent", today=dt.date(2026, 3, 1))
REAL_IDS = sorted(REAL_KB.entries)


# --- the real knowledge base ---------------------------------------------------


def test_real_knowledge_base_loads_without_problems() -> None:
    try:
        kb = load_kb(KNOWLEDGE, "kent")
    except KnowledgeBaseError as exc:  # pragma: no cover - shows every problem on failure
        pytest.fail("real knowledge base has problems:\n" + "\n".join(exc.problems))
    assert len(kb.entries) >= 20
    assert all(entry.sources for entry in kb.entries.values())


def test_every_topic_in_the_readme_exists() -> None:
    readme = (KNOWLEDGE / "README.md").read_text(encoding="utf-8")
    topics = readme.split("## Topics", 1)[1]
    listed = set(re.findall(r"^\| `([a-z0-9-]+)` \|", topics, flags=re.M))
    assert {"crisis", "post-16", "send-reforms-2026"} <= listed
    assert listed <= set(REAL_KB.entries)


def test_local_area_defines_the_ids_every_council_must_have() -> None:
    local = [e.id for e in REAL_KB.entries.values() if e.file == "local/kent.yml"]
    assert {"contact-sendiass", "contact-pact", "contact-council-send-team"} <= set(local)


def test_human_route_entries_in_messages_exist() -> None:
    messages = load_messages(KNOWLEDGE)
    for kb_id in messages.human_route_entries:
        assert REAL_KB.get(kb_id) is not None, kb_id


# --- intents --------------------------------------------------------------------


@pytest.mark.parametrize("kb_id", REAL_IDS)
def test_intent_round_trip_for_every_real_id(kb_id: str) -> None:
    intent = intent_for(kb_id)
    assert intent.startswith("ask_")
    assert "-" not in intent
    assert id_for_intent(intent) == kb_id
    assert REAL_KB.for_intent(intent) is REAL_KB.entries[kb_id]
    assert REAL_KB.entries[kb_id].intent == intent


@pytest.mark.parametrize(
    "kb_id, intent",
    [
        ("post-16", "ask_post_16"),
        ("send-reforms-2026", "ask_send_reforms_2026"),
        ("ehc-plan-basics", "ask_ehc_plan_basics"),
        ("mediation", "ask_mediation"),
    ],
    ids=["post-16", "send-reforms-2026", "ehc-plan-basics", "one-word"],
)
def test_intent_names(kb_id: str, intent: str) -> None:
    assert intent_for(kb_id) == intent
    assert id_for_intent(intent) == kb_id


@pytest.mark.parametrize("intent", ["greet", "request_human", "", "ask", "show_topics"])
def test_other_intents_have_no_entry(intent: str) -> None:
    assert id_for_intent(intent) is None
    assert REAL_KB.for_intent(intent) is None


def test_for_intent_none_and_unknown() -> None:
    assert REAL_KB.for_intent(None) is None
    assert REAL_KB.for_intent("ask_no_such_topic") is None


def test_in_group_partitions_the_entries() -> None:
    groups = {"plans", "challenges", "school", "help", "safety"}
    total = sum(len(REAL_KB.in_group(g)) for g in groups)
    assert total == len(REAL_KB.entries)
    assert [e.id for e in REAL_KB.in_group("safety")] == ["crisis"]


# --- official domains -----------------------------------------------------------

DOMAINS = load_official_domains(KNOWLEDGE)


@pytest.mark.parametrize(
    "url, official",
    [
        ("https://www.gov.uk/children-with-special-educational-needs", True),
        ("https://gov.uk/x", True),
        ("https://www.kent.gov.uk/education-and-children", True),
        ("https://WWW.KENT.GOV.UK/x", True),
        ("https://www.legislation.gov.uk/ukpga/2014/6/section/36", True),
        ("http://www.nhs.uk/mental-health/", True),
        ("https://www.ipsea.org.uk/", True),
        ("https://gov.uk.evil.com/phish", False),
        ("https://notgov.uk/x", False),
        ("https://evilgov.uk/x", False),
        ("https://www.gov.uk@evil.com/", False),
        ("https://example.com/?next=https://www.gov.uk", False),
        ("https://www.facebook.com/groups/send", False),
        ("not a url", False),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_is_official(url: str, official: bool) -> None:
    assert is_official(url, DOMAINS) is official


D = "official-domains.yml"
GOOD_DOMAINS = "official_domains:\n  - gov.uk\n  - NHS.uk   # a comment\n  - xn--80ak6aa92e.com\n"

MALFORMED_DOMAINS = [
    pytest.param(b"", f"{D}: must be a mapping, not empty", id="empty-file"),
    pytest.param(b"- gov.uk\n", f"{D}: must be a mapping, not a list", id="top-level-list"),
    pytest.param(b"official_domains: gov.uk\n", f"{D}: official_domains: must be a list, not text", id="text-not-list"),
    pytest.param(b"official_domains: []\n", f"{D}: official_domains: needs at least 1 item", id="empty-list"),
    pytest.param(b"official_domains: [gov.uk]\nextra: 1\n", f"{D}: unknown key 'extra'", id="extra-key"),
    pytest.param(b"domains: [gov.uk]\n", f"{D}: missing key 'official_domains'", id="misspelt-key"),
    pytest.param(b"official_domains: [gov.uk, 42]\n", f"{D}: official_domains[1]: must be text, not a number", id="number"),
    pytest.param(b"official_domains: [gov.uk, null]\n", f"{D}: official_domains[1]: must be text, not empty", id="null"),
    pytest.param(b"official_domains: [{gov.uk: x}]\n", f"{D}: official_domains[0]: must be text, not a mapping", id="mapping"),
    pytest.param(b"official_domains: [2026-01-01]\n", f"{D}: official_domains[0]: must be text, not a date", id="date"),
    pytest.param(b"official_domains: [gov.uk, gov.uk]\n", f"{D}: official_domains[1]: 'gov.uk' is listed twice", id="duplicate"),
    pytest.param(b"official_domains: ['https://www.gov.uk/']\n", "'https://www.gov.uk/' is not a domain name", id="url"),
    pytest.param(b"official_domains: [localhost]\n", "'localhost' is not a domain name", id="one-label"),
    pytest.param(b"official_domains: ['*.gov.uk']\n", "'*.gov.uk' is not a domain name", id="wildcard"),
    pytest.param(b"official_domains: [.gov.uk]\n", "'.gov.uk' is not a domain name", id="leading-dot"),
    pytest.param(b"official_domains: [gov..uk]\n", "'gov..uk' is not a domain name", id="empty-label"),
    pytest.param(b"official_domains: [-gov.uk]\n", "'-gov.uk' is not a domain name", id="leading-hyphen"),
    pytest.param(b"official_domains: [10.0.0.1]\n", "'10.0.0.1' is not a domain name", id="ip-address"),
    pytest.param("official_domains: [gov.uk, gøv.uk]\n".encode(), "'gøv.uk' is not a domain name", id="unencoded-idn"),
    pytest.param(b"official_domains: ['gov\\n.uk']\n", "is not a domain name", id="newline-inside"),
    pytest.param(b"official_domains: [" + b"a" * 64 + b".uk]\n", "is not a domain name", id="label-over-63"),
    pytest.param(b"official_domains: [caf\xe9.fr]\n", f"{D}: not valid YAML (UnicodeDecodeError)", id="latin-1-bytes"),
    pytest.param(b"official_domains: [gov.uk\x00]\n", "not valid YAML (ReaderError)", id="nul-byte"),
    pytest.param(b"official_domains: [" * 2000 + b"]" * 2000, "nested over 50 levels deep", id="2000-levels-deep"),
    pytest.param(b"official_domains: !!python/object/apply:os.system ['echo hi']\n", "not valid YAML (ConstructorError)",
                 id="python-tag"),
    pytest.param(b"a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                 b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nofficial_domains: [*c, *c, *c]\n",
                 f"{D}: unknown key 'c'", id="aliases-beside-the-key"),
    pytest.param(b"official_domains: &d [x, x]\nmore: *d\n", f"{D}: unknown key 'more'", id="alias-key"),
]


def test_official_domains_load_lower_cased_in_file_order(tmp_path: Path) -> None:
    (tmp_path / D).write_text(GOOD_DOMAINS, encoding="utf-8")
    assert load_official_domains(tmp_path) == ("gov.uk", "nhs.uk", "xn--80ak6aa92e.com")


@pytest.mark.parametrize("content, problem", MALFORMED_DOMAINS)
def test_malformed_official_domains_raise_knowledge_base_error(tmp_path: Path, content: bytes, problem: str) -> None:
    (tmp_path / D).write_bytes(content)
    with pytest.raises(KnowledgeBaseError) as raised:
        load_official_domains(tmp_path)
    assert any(problem in p for p in raised.value.problems), raised.value.problems


def test_aliased_lists_as_domains_are_reported_without_being_expanded(tmp_path: Path) -> None:
    items = ["  - &l0 [" + ", ".join(["lol"] * 10) + "]"]
    items += [f"  - &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 9)]  # the last stands for 10**9
    (tmp_path / D).write_text("official_domains:\n" + "\n".join(items) + "\n  - gov.uk\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as raised:
        load_official_domains(tmp_path)
    assert raised.value.problems == [f"{D}: official_domains[{i}]: must be text, not a list" for i in range(9)]


def test_a_missing_official_domains_file_is_a_knowledge_base_error(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match=f"{D}: cannot be read"):
        load_official_domains(tmp_path)


def test_load_kb_reports_malformed_official_domains(tmp_path: Path) -> None:
    knowledge = write_kb(tmp_path, [entry()])
    (knowledge / D).write_text("official_domains: [gov.uk, 7]\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"official_domains\[1\]: must be text"):
        load_kb(knowledge, "kent", today=dt.date(2026, 3, 1))


# --- broken knowledge bases --------------------------------------------------------


def entry(**changes: Any) -> Dict[str, Any]:
    """Return a valid entry, with keys changed (a value of None deletes the key)."""
    base: Dict[str, Any] = {
        "id": "good-entry",
        "title": "A good entry",
        "group": "plans",
        "short": "A short plain-English answer.",
        "next_steps": ["Do one thing."],
        "related": [],
        "sources": [{"title": "GOV.UK", "url": "https://www.gov.uk/children-with-special-educational-needs"}],
        "reviewed": dt.date(2025, 6, 1),
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def section(**changes: Any) -> Dict[str, Any]:
    """Return a valid entry section, with keys changed (a value of None deletes the key)."""
    base: Dict[str, Any] = {"id": "how-long", "title": "How long does it take?", "text": "About 30 days."}
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


FileContent = Union[str, List[Dict[str, Any]]]


def write_kb(root: Path, national: FileContent, local: Optional[FileContent] = None) -> Path:
    """Build a knowledge folder with national/x.yml and local/kent.yml."""
    knowledge = root / "knowledge"
    (knowledge / "national").mkdir(parents=True)
    (knowledge / "local").mkdir()
    shutil.copy(KNOWLEDGE / "official-domains.yml", knowledge / "official-domains.yml")
    for path, content in ((knowledge / "national" / "x.yml", national), (knowledge / "local" / "kent.yml", local or [])):
        text = content if isinstance(content, str) else yaml.safe_dump({"entries": content}, sort_keys=False)
        path.write_text(text, encoding="utf-8")
    return knowledge


X = "national/x.yml"
LONG = " ".join(["word"] * 121)

BROKEN = [
    pytest.param([entry(colour="red")], None, f"{X}: good-entry: unknown key 'colour'", id="unknown-key"),
    pytest.param([entry(next_steps=None)], None, f"{X}: good-entry: missing key 'next_steps'", id="missing-key"),
    pytest.param([entry(reviewed=None)], None, f"{X}: good-entry: missing key 'reviewed'", id="missing-reviewed"),
    pytest.param(
        [entry(id="same")], [entry(id="same")], "local/kent.yml: same.id: duplicate entry id 'same' (also in national/x.yml)", id="duplicate-id-across-files"
    ),
    pytest.param(
        [entry(related=["nowhere"])], None, f"{X}: good-entry.related[0]: entry 'nowhere' does not exist", id="related-missing"
    ),
    pytest.param([entry(sources=[])], None, f"{X}: good-entry.sources: needs at least 1 item", id="no-sources"),
    pytest.param([entry(sources=None)], None, f"{X}: good-entry: missing key 'sources'", id="sources-key-missing"),
    pytest.param(
        [entry(sources=[{"title": "A blog", "url": "https://someblog.example.com/ehcp"}, {"title": "Forum", "url": "https://notgov.uk/x"}])],
        None,
        f"{X}: good-entry.sources: needs at least one primary or official source",
        id="only-unofficial-sources",
    ),
    pytest.param(
        [entry(sources=[{"title": "FTP", "url": "ftp://www.gov.uk/file"}])],
        None,
        f"{X}: good-entry.sources[0].url: 'ftp://www.gov.uk/file' is not an http(s) link",
        id="non-http-url",
    ),
    pytest.param(
        [entry(sources=[{"title": "Relative", "url": "/children-with-sen"}])],
        None,
        f"{X}: good-entry.sources[0].url: '/children-with-sen' is not an http(s) link",
        id="relative-url",
    ),
    pytest.param(
        [entry(sources=[{"url": "https://www.gov.uk/x"}])],
        None,
        f"{X}: good-entry.sources[0]: missing key 'title'",
        id="source-without-title",
    ),
    pytest.param([entry(short=LONG)], None, f"{X}: good-entry.short: has 121 words (max 120)", id="short-over-120-words"),
    pytest.param([entry(id="Bad_ID")], None, f"{X}: entries[0].id: 'Bad_ID' is not lower-case words joined by hyphens", id="bad-id-format"),
    pytest.param([entry(id="trailing-")], None, f"{X}: entries[0].id: 'trailing-' is not lower-case words joined by hyphens", id="bad-id-trailing-hyphen"),
    pytest.param([entry(id="mediation\n")], None, f"{X}: entries[0].id: 'mediation\\n' is not lower-case words joined by hyphens", id="bad-id-trailing-newline"),
    pytest.param([entry(id=42)], None, f"{X}: entries[0].id: must be text, not a number", id="id-not-text"),
    pytest.param([entry(reviewed="last week")], None, f"{X}: good-entry.reviewed: must be a date (YYYY-MM-DD), not text", id="reviewed-not-a-date"),
    pytest.param(
        [entry(reviewed=dt.datetime(2025, 6, 1, 12, 0))], None, f"{X}: good-entry.reviewed: must be a date (YYYY-MM-DD), not a date and time", id="reviewed-datetime"
    ),
    pytest.param([entry(group="misc")], None, f"{X}: good-entry.group: must be one of plans, challenges, school, help, safety, not 'misc'", id="unknown-group"),
    pytest.param([entry(title="x" * 41)], None, f"{X}: good-entry.title: is 41 characters long (max 40)", id="title-too-long"),
    pytest.param([entry(next_steps=[])], None, f"{X}: good-entry.next_steps: needs at least 1 item", id="no-next-steps"),
    pytest.param("entries: [unclosed\n  - id: x\n", None, f"{X}: not valid YAML (", id="invalid-yaml"),
    pytest.param(yaml.safe_dump({"answers": [entry()]}), None, f"{X}: missing key 'entries'", id="wrong-top-level-key"),
    pytest.param(
        yaml.safe_dump({"entries": [entry()], "extra": 1}), None, f"{X}: unknown key 'extra'", id="extra-top-level-key"
    ),
    pytest.param("entries: just text\n", None, f"{X}: entries: must be a list, not text", id="entries-not-a-list"),
    pytest.param(["just a string"], None, f"{X}: entries[0]: must be a mapping, not text", id="entry-not-a-mapping"),
    pytest.param([entry(next_steps=["Step."] * 6)], None, f"{X}: good-entry.next_steps: has 6 items (max 5)", id="six-next-steps"),
    pytest.param([entry(sections="how long")], None, f"{X}: good-entry.sections: must be a list, not text", id="sections-not-a-list"),
    pytest.param([entry(sections=[section(id="How_Long")])], None,
                 f"{X}: good-entry.sections[0].id: 'How_Long' is not lower-case words joined by hyphens", id="section-bad-id"),
    pytest.param([entry(sections=[section(id="how-long\n")])], None,
                 f"{X}: good-entry.sections[0].id: 'how-long\\n' is not lower-case words joined by hyphens",
                 id="section-id-trailing-newline"),
    pytest.param([entry(sections=[section(title="x" * 61)])], None,
                 f"{X}: good-entry.sections[0].title: is 61 characters long (max 60)", id="section-title-over-60"),
    pytest.param([entry(sections=[section(text=LONG)])], None,
                 f"{X}: good-entry.sections[0].text: has 121 words (max 120)", id="section-text-over-120-words"),
    pytest.param([entry(sections=[section(), section(title="Again")])], None,
                 f"{X}: good-entry.sections[1]: 'how-long' is listed twice", id="section-id-twice"),
    pytest.param([entry(sections=[section(sources=[])])], None, f"{X}: good-entry.sections[0]: unknown key 'sources'",
                 id="section-unknown-key"),
    pytest.param([entry(sections=[section(text=None)])], None, f"{X}: good-entry.sections[0]: missing key 'text'",
                 id="section-without-text"),
    pytest.param([entry(sections=[section(text="")])], None, f"{X}: good-entry.sections[0].text: must be non-empty text",
                 id="section-empty-text"),
]


@pytest.mark.parametrize("national, local, problem", BROKEN)
def test_broken_knowledge_base_reports_the_problem(tmp_path: Path, national: FileContent, local: Optional[FileContent], problem: str) -> None:
    knowledge = write_kb(tmp_path, national, local)
    with pytest.raises(KnowledgeBaseError) as info:
        load_kb(knowledge, "kent", today=dt.date(2025, 7, 1))
    problems = info.value.problems
    if problem.endswith("("):  # the YAML error class name varies with the fault
        assert any(p.startswith(problem) for p in problems), problems
    else:
        assert problem in problems, problems
    assert problem.split(" (")[0] in str(info.value)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    knowledge = write_kb(tmp_path, [entry(colour="red", related=["nowhere"]), entry(id="Bad_ID")])
    with pytest.raises(KnowledgeBaseError) as info:
        load_kb(knowledge)
    assert len(info.value.problems) == 3


def test_missing_local_area_file(tmp_path: Path) -> None:
    knowledge = write_kb(tmp_path, [entry()])
    with pytest.raises(KnowledgeBaseError) as info:
        load_kb(knowledge, "medway")
    assert len(info.value.problems) == 1
    assert info.value.problems[0].startswith("no local knowledge file for area 'medway'")


def test_valid_small_knowledge_base_loads(tmp_path: Path) -> None:
    knowledge = write_kb(
        tmp_path,
        [entry(related=["local-one"], detail="More words.", legal_refs=["CFA 2014 s36"])],
        [entry(id="local-one", group="help")],
    )
    kb = load_kb(knowledge, "kent", today=dt.date(2025, 7, 1))
    assert list(kb.entries) == ["good-entry", "local-one"]
    good = kb.entries["good-entry"]
    assert good.file == "national/x.yml"
    assert good.related == ("local-one",)
    assert good.detail == "More words."
    assert good.legal_refs == ("CFA 2014 s36",)
    assert good.reviewed == dt.date(2025, 6, 1)
    assert kb.entries["local-one"].file == "local/kent.yml"
    assert kb.warnings == []


def test_sections_load_in_file_order_and_are_looked_up_by_entry_and_id(tmp_path: Path) -> None:
    sections = [section(), section(id="do-i-have-to", title="Do you have to?", text="  No: it is your choice.\n")]
    knowledge = write_kb(tmp_path, [entry(sections=sections), entry(id="plain")])
    kb = load_kb(knowledge, "kent", today=dt.date(2025, 7, 1))
    good = kb.entries["good-entry"]
    assert [(s.id, s.title) for s in good.sections] == [("how-long", "How long does it take?"), ("do-i-have-to", "Do you have to?")]
    assert kb.section("good-entry", "do-i-have-to") == Section("do-i-have-to", "Do you have to?", "No: it is your choice.")
    assert good.section("how-long") is good.sections[0]
    assert kb.section("good-entry", "nope") is None
    assert kb.section("nowhere", "how-long") is None
    assert kb.entries["plain"].sections == () and kb.section("plain", "how-long") is None


def test_the_same_section_id_may_be_used_by_two_entries(tmp_path: Path) -> None:
    knowledge = write_kb(tmp_path, [entry(sections=[section()]), entry(id="other", sections=[section()])])
    kb = load_kb(knowledge, "kent", today=dt.date(2025, 7, 1))
    assert kb.section("good-entry", "how-long") == kb.section("other", "how-long")


def test_another_area_is_just_another_file(tmp_path: Path) -> None:
    knowledge = write_kb(tmp_path, [entry()])
    (knowledge / "local" / "medway.yml").write_text(yaml.safe_dump({"entries": [entry(id="medway-contact")]}), encoding="utf-8")
    assert "medway-contact" in load_kb(knowledge, "medway").entries
    assert "medway-contact" not in load_kb(knowledge, "kent").entries


# --- staleness ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "today, stale_days, warned",
    [
        (dt.date(2025, 6, 1), 365, False),
        (dt.date(2026, 6, 1), 365, False),  # exactly 365 days: not yet stale
        (dt.date(2026, 6, 2), 365, True),
        (dt.date(2030, 1, 1), 365, True),
        (dt.date(2025, 7, 2), 30, True),
    ],
    ids=["same-day", "365-days", "366-days", "years-later", "custom-limit"],
)
def test_stale_reviewed_date_is_a_warning_not_an_error(tmp_path: Path, today: dt.date, stale_days: int, warned: bool) -> None:
    knowledge = write_kb(tmp_path, [entry()])
    kb = load_kb(knowledge, "kent", today=today, stale_days=stale_days)
    assert "good-entry" in kb.entries
    expected = [f"national/x.yml: good-entry: reviewed 2025-06-01, over {stale_days} days ago"]
    assert kb.warnings == (expected if warned else [])
