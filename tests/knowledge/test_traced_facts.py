"""Every phone number, email address and web address in knowledge/ is in knowledge/traced-facts.yml.

A parent may ring a number or open a link the assistant gives them, so each
one must have been traced to the organisation's own page (or an official
one). This test finds them in every knowledge file by pattern and fails on
any that the traced list does not name. bot.knowledge.traced loads the list
through the knowledge schema, which refuses an entry without a source or a
check date.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator, List, Set, Tuple

import pytest
import yaml

from bot.knowledge.schema import KnowledgeBaseError
from bot.knowledge.traced import TRACED_FILE, TracedFact, load_traced_facts
from bot.settings import PROJECT_ROOT

KNOWLEDGE = PROJECT_ROOT / "knowledge"
TRACED = KNOWLEDGE / TRACED_FILE
URL = re.compile(r"https?://[^\s\"'<>)\]]+")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# UK numbers as parents see them: 0800 1111, 020 8538 3731, 116 123, short codes 999, 111, 85258.
PHONE = re.compile(r"(?<![\w/.-])(?:0\d{2,4}(?: ?\d{3,4}){1,2}|116 ?\d{3}|999|111|85258)(?![\w/-]|\.\d)")
# LGSCO case references look like phone numbers ("23 021 427"); they are never dialled.
CASE_REFERENCE = re.compile(r"\b\d{2} \d{3} \d{3}[a-z]?\b")
TRACED_FACTS = load_traced_facts(KNOWLEDGE)  # raises KnowledgeBaseError, failing collection, if the list is malformed


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _knowledge_files() -> List[Path]:
    return sorted(p for p in KNOWLEDGE.rglob("*.yml") if p != TRACED and "drafts" not in p.parts)


def _found() -> Set[Tuple[str, str, str]]:
    """Return (kind, value, file) for every contact detail written in the knowledge base."""
    found: Set[Tuple[str, str, str]] = set()
    for path in _knowledge_files():
        for text in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            flat = " ".join(text.split())
            for url in URL.findall(flat):
                found.add(("url", url.rstrip(".,;"), path.name))
            for email in EMAIL.findall(flat):
                found.add(("email", email, path.name))
            for phone in PHONE.findall(CASE_REFERENCE.sub(" ", URL.sub(" ", flat))):
                found.add(("phone", phone, path.name))
    return found


def test_every_contact_detail_in_the_knowledge_base_is_traced() -> None:
    traced = {(t.kind, t.value) for t in TRACED_FACTS}
    missing = sorted(f"{kind} {value!r} in {file}" for kind, value, file in _found() if (kind, value) not in traced)
    assert not missing, "not in knowledge/traced-facts.yml:\n" + "\n".join(missing)


def test_the_search_finds_the_numbers_parents_are_given() -> None:
    phones = {value for kind, value, _ in _found() if kind == "phone"}
    assert {"999", "116 123", "0800 1111"} <= phones  # the check above would be empty if this found nothing


def test_the_traced_list_is_not_empty_and_names_the_crisis_numbers() -> None:
    assert {("phone", "999"), ("phone", "116 123")} <= {(t.kind, t.value) for t in TRACED_FACTS}


GOOD = "traced:\n- {value: '999', kind: phone, source: 'https://www.nhs.uk/x', checked: 2026-11-30, note: NHS page}\n"
BROKEN = [
    pytest.param(GOOD.replace("kind: phone", "kind: fax"), "traced[0].kind: must be one of phone, email, url, not 'fax'",
                 id="unknown-kind"),
    pytest.param(GOOD.replace("'https://www.nhs.uk/x'", "www.nhs.uk"),
                 "traced[0].source: must be an http(s) link, or 'self' for a web address", id="source-not-a-link"),
    pytest.param(GOOD.replace("'https://www.nhs.uk/x'", "self"), "traced[0]: source 'self' is only for a web address",
                 id="self-for-a-phone"),
    pytest.param(GOOD.replace("2026-11-30", "last week"), "traced[0].checked: must be a date (YYYY-MM-DD), not text",
                 id="checked-not-a-date"),
    pytest.param(GOOD.replace(", note: NHS page", ""), "traced[0]: missing key 'note'", id="no-note"),
    pytest.param(GOOD + GOOD.split("\n")[1] + "\n", "traced[1]: '999' is listed twice", id="listed-twice"),
]


@pytest.mark.parametrize("text, problem", BROKEN)
def test_a_malformed_traced_list_is_refused_with_the_place(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / TRACED_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as raised:
        load_traced_facts(tmp_path)
    assert raised.value.problems == [f"{TRACED_FILE}: {problem}"]


def test_a_good_traced_list_loads(tmp_path: Path) -> None:
    (tmp_path / TRACED_FILE).write_text(GOOD, encoding="utf-8")
    fact, = load_traced_facts(tmp_path)
    assert isinstance(fact, TracedFact) and (fact.kind, fact.value, fact.note) == ("phone", "999", "NHS page")
