"""Every phone number, email address and web address in knowledge/ is in knowledge/traced-facts.yml.

A parent may ring a number or open a link the assistant gives them, so each
one must have been traced to the organisation's own page (or an official
one). This test finds them in every knowledge file by pattern and fails on
any that the traced list does not name, and on any traced entry without a
source or a check date.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Dict, Iterator, List, Set, Tuple

import pytest
import yaml

from bot.settings import PROJECT_ROOT

KNOWLEDGE = PROJECT_ROOT / "knowledge"
TRACED = KNOWLEDGE / "traced-facts.yml"
URL = re.compile(r"https?://[^\s\"'<>)\]]+")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# UK numbers as parents see them: 0800 1111, 020 8538 3731, 116 123, short codes 999, 111, 85258.
PHONE = re.compile(r"(?<![\w/.-])(?:0\d{2,4}(?: ?\d{3,4}){1,2}|116 ?\d{3}|999|111|85258)(?![\w/-]|\.\d)")
# LGSCO case references look like phone numbers ("23 021 427"); they are never dialled.
CASE_REFERENCE = re.compile(r"\b\d{2} \d{3} \d{3}[a-z]?\b")
KINDS = ("phone", "email", "url")


def _traced() -> List[Dict[str, object]]:
    return list(yaml.safe_load(TRACED.read_text(encoding="utf-8"))["traced"])


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
    traced = {(str(t["kind"]), str(t["value"])) for t in _traced()}
    missing = sorted(f"{kind} {value!r} in {file}" for kind, value, file in _found() if (kind, value) not in traced)
    assert not missing, "not in knowledge/traced-facts.yml:\n" + "\n".join(missing)


def test_the_search_finds_the_numbers_parents_are_given() -> None:
    phones = {value for kind, value, _ in _found() if kind == "phone"}
    assert {"999", "116 123", "0800 1111"} <= phones  # the check above would be empty if this found nothing


@pytest.mark.parametrize("entry", _traced(), ids=lambda e: str(e.get("value")))
def test_each_traced_fact_names_its_source_and_when_it_was_checked(entry: Dict[str, object]) -> None:
    assert entry.get("kind") in KINDS
    source = str(entry.get("source") or "")
    assert source == "self" and entry["kind"] == "url" or source.startswith(("https://", "http://"))
    assert isinstance(entry.get("checked"), dt.date)
