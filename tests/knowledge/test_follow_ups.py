"""Tests for bot.knowledge.follow_ups: the real file, a valid small one, and each kind of broken reference."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any, Dict, Tuple

import pytest
import yaml

from bot.deadlines.labels import known_deadlines
from bot.knowledge.entries import KnowledgeBase, load_kb
from bot.knowledge.follow_ups import FOLLOW_UPS_FILE, FollowUps, Target, Topic, load_follow_ups
from bot.knowledge.schema import KnowledgeBaseError
from bot.settings import PROJECT_ROOT

KNOWLEDGE = PROJECT_ROOT / "knowledge"
CLOCKS = {"clock-a", "clock-b"}
SOURCES = [{"title": "GOV.UK", "url": "https://www.gov.uk/x"}]


def _entry(kb_id: str, sections: Tuple[str, ...] = ()) -> Dict[str, Any]:
    return {"id": kb_id, "title": kb_id, "group": "plans", "short": "An answer.", "next_steps": ["Act."],
            "related": [], "sources": SOURCES, "reviewed": dt.date(2026, 1, 1),
            **({"sections": [{"id": s, "title": s, "text": "Words."} for s in sections]} if sections else {})}


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    knowledge = tmp_path_factory.mktemp("kb") / "knowledge"
    (knowledge / "national").mkdir(parents=True)
    (knowledge / "local").mkdir()
    shutil.copy(KNOWLEDGE / "official-domains.yml", knowledge / "official-domains.yml")
    entries = [_entry("mediation", ["do-i-have-to", "how-long"]), _entry("tribunal"), _entry("advice")]
    (knowledge / "national" / "x.yml").write_text(yaml.safe_dump({"entries": entries}), encoding="utf-8")
    (knowledge / "local" / "kent.yml").write_text("entries: []\n", encoding="utf-8")
    return load_kb(knowledge, "kent", today=dt.date(2026, 3, 1))


def good() -> Dict[str, Any]:
    """Return a valid follow-ups document for the small knowledge base above."""
    return {
        "kinds": {"when": {"label": "When it happens"}, "must": {"label": "Do I have to?"},
                  "contact": {"label": "Who to contact"}},
        "topics": {
            "mediation": {
                "names": ["mediation", "Mediator"],
                "clocks": ["clock-a"],
                "follow_ups": {
                    "must": {"section": "mediation#do-i-have-to"},
                    "when": {"section": "mediation#how-long", "clocks": ["clock-a", "clock-b"]},
                    "contact": {"entry": "advice"},
                },
            },
            "tribunal": {"names": ["tribunal", "appeal"], "follow_ups": {"when": {"clocks": ["clock-b"]}}},
        },
    }


def load(tmp_path: Path, kb: KnowledgeBase, document: Any) -> FollowUps:
    (tmp_path / FOLLOW_UPS_FILE).write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return load_follow_ups(tmp_path, kb, CLOCKS)


def test_a_valid_file_loads(tmp_path: Path, kb: KnowledgeBase) -> None:
    follow_ups = load(tmp_path, kb, good())
    assert follow_ups.kinds == {"when": "When it happens", "must": "Do I have to?", "contact": "Who to contact"}
    mediation = follow_ups.topics["mediation"]
    assert mediation == Topic("mediation", ("mediation", "Mediator"), ("clock-a",), {
        "must": Target(section=("mediation", "do-i-have-to")),
        "when": Target(section=("mediation", "how-long"), clocks=("clock-a", "clock-b")),
        "contact": Target(entry="advice"),
    })
    assert follow_ups.topics["tribunal"].clocks == ()
    assert follow_ups.target("tribunal", "when") == Target(clocks=("clock-b",))
    assert follow_ups.target("tribunal", "must") is None  # the topic leaves this kind out
    assert follow_ups.target("advice", "when") is None  # not a topic
    assert follow_ups.warnings == ()
    section = follow_ups.topics["mediation"].follow_ups["must"].section
    assert section is not None and kb.section(*section) is not None


def _set(path: str, value: Any) -> Any:
    """Return a change that sets (or, with None, deletes) the value at a dotted path of the good document."""
    def change(document: Dict[str, Any]) -> None:
        *parents, last = path.split(".")
        for key in parents:
            document = document[key]
        if value is None:
            del document[last]
        else:
            document[last] = value
    return change


F = "follow-ups.yml: "
M = F + "topics.mediation."
BROKEN = [
    # references that name nothing
    ("topics.nowhere", {"names": ["x"], "follow_ups": {}}, F + "topics.nowhere: entry 'nowhere' does not exist"),
    ("topics.mediation.follow_ups.contact", {"entry": "nobody"},
     M + "follow_ups.contact.entry: entry 'nobody' does not exist"),
    ("topics.mediation.follow_ups.must", {"section": "mediation#nope"},
     M + "follow_ups.must.section: section 'mediation#nope' does not exist"),
    ("topics.mediation.follow_ups.must", {"section": "tribunal#how-long"},
     M + "follow_ups.must.section: section 'tribunal#how-long' does not exist"),
    ("topics.mediation.follow_ups.must", {"section": "nowhere#how-long"},
     M + "follow_ups.must.section: section 'nowhere#how-long' does not exist"),
    ("topics.mediation.follow_ups.maybe", {"entry": "advice"}, M + "follow_ups.maybe: kind 'maybe' does not exist"),
    ("topics.mediation.clocks", ["clock-a", "tribunal-order-x"],
     M + "clocks[1]: clock 'tribunal-order-x' does not exist"),
    ("topics.mediation.follow_ups.when.clocks", ["clock-c"], M + "follow_ups.when.clocks[0]: clock 'clock-c' does not exist"),
    # shapes
    ("topics.mediation.follow_ups.must", {}, M + "follow_ups.must: needs at least one of entry, section, clocks"),
    ("topics.mediation.follow_ups.must", {"entries": "advice"}, M + "follow_ups.must: unknown key 'entries'"),
    ("topics.mediation.follow_ups.must", "advice", M + "follow_ups.must: must be a mapping, not text"),
    ("topics.mediation.follow_ups.must", {"section": "mediation"},
     M + "follow_ups.must.section: 'mediation' is not an entry id and a section id, like mediation#how-long"),
    ("topics.mediation.follow_ups.must", {"section": "mediation#how-long\n"},
     M + "follow_ups.must.section: 'mediation#how-long\\n' is not an entry id and a section id, like mediation#how-long"),
    ("topics.mediation.follow_ups.when.clocks", [], M + "follow_ups.when.clocks: needs at least 1 item"),
    ("topics.mediation.follow_ups.when.clocks", ["clock-a", "clock-a"], M + "follow_ups.when.clocks[1]: 'clock-a' is listed twice"),
    ("topics.mediation.follow_ups", None, M.rstrip(".") + ": missing key 'follow_ups'"),
    ("topics.mediation.names", [], M + "names: needs at least 1 item"),
    ("topics.mediation.names", ["mediation", " "], M + "names[1]: must be non-empty text"),
    ("topics.mediation.names", ["mediation", "MEDIATION"], M + "names[1]: 'mediation' is listed twice"),
    ("topics.mediation.names", "mediation", M + "names: must be a list, not text"),
    ("topics.mediation.colour", "red", M.rstrip(".") + ": unknown key 'colour'"),
    ("kinds.when", {}, F + "kinds.when: missing key 'label'"),
    ("kinds.When", {"label": "x"}, F + "kinds.When: 'When' is not lower-case words joined by hyphens"),
    ("topics", None, F.rstrip(": ") + ": missing key 'topics'"),
]


@pytest.mark.parametrize("path, value, problem", BROKEN, ids=[f"{b[0]}={b[1]!r}"[:70] for b in BROKEN])
def test_each_broken_reference_or_shape_is_one_precise_problem(
        tmp_path: Path, kb: KnowledgeBase, path: str, value: Any, problem: str) -> None:
    document = good()
    _set(path, value)(document)
    with pytest.raises(KnowledgeBaseError) as raised:
        load(tmp_path, kb, document)
    assert raised.value.problems == [problem]


def test_every_problem_is_reported_at_once(tmp_path: Path, kb: KnowledgeBase) -> None:
    document = good()
    for path, value in [("topics.nowhere", {"names": ["x"], "follow_ups": {}}), ("kinds.when", {}),
                        ("topics.mediation.names", []), ("topics.tribunal.follow_ups.when", {"clocks": ["clock-z"]})]:
        _set(path, value)(document)
    with pytest.raises(KnowledgeBaseError) as raised:
        load(tmp_path, kb, document)
    assert raised.value.problems == [
        F + "kinds.when: missing key 'label'",
        M + "names: needs at least 1 item",
        F + "topics.tribunal.follow_ups.when.clocks[0]: clock 'clock-z' does not exist",
        F + "topics.nowhere: entry 'nowhere' does not exist",
    ]


def test_a_kind_used_but_not_declared_is_reported_where_it_is_used(tmp_path: Path, kb: KnowledgeBase) -> None:
    document = good()
    document["kinds"] = {}
    with pytest.raises(KnowledgeBaseError) as raised:
        load(tmp_path, kb, document)
    assert raised.value.problems == [
        F + "kinds: needs at least 1 entry",
        M + "follow_ups.contact: kind 'contact' does not exist",  # in file order (safe_dump sorts the keys)
        M + "follow_ups.must: kind 'must' does not exist",
        M + "follow_ups.when: kind 'when' does not exist",
        F + "topics.tribunal.follow_ups.when: kind 'when' does not exist",
    ]


def test_a_name_on_two_topics_is_a_warning_not_an_error(tmp_path: Path, kb: KnowledgeBase) -> None:
    document = good()
    document["topics"]["tribunal"]["names"].append("  MEDIATOR ")
    follow_ups = load(tmp_path, kb, document)
    assert follow_ups.warnings == ("follow-ups.yml: the name 'mediator' is on topics mediation, tribunal",)


def test_without_a_knowledge_base_only_kinds_and_clocks_are_checked(tmp_path: Path, kb: KnowledgeBase) -> None:
    document = good()
    document["topics"]["nowhere"] = {"names": ["x"], "follow_ups": {"when": {"clocks": ["clock-z"]}}}
    (tmp_path / FOLLOW_UPS_FILE).write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as raised:
        load_follow_ups(tmp_path, None, CLOCKS)
    assert raised.value.problems == [F + "topics.nowhere.follow_ups.when.clocks[0]: clock 'clock-z' does not exist"]


def test_clocks_are_checked_against_the_deadline_rules_by_default(tmp_path: Path, kb: KnowledgeBase) -> None:
    document = good()
    real = sorted(known_deadlines())[:2]
    document["topics"]["mediation"]["clocks"] = real
    document["topics"]["mediation"]["follow_ups"]["when"]["clocks"] = [real[0], "no-such-clock"]
    document["topics"]["tribunal"]["follow_ups"]["when"]["clocks"] = real
    (tmp_path / FOLLOW_UPS_FILE).write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as raised:
        load_follow_ups(tmp_path, kb)
    assert raised.value.problems == [M + "follow_ups.when.clocks[1]: clock 'no-such-clock' does not exist"]


def test_a_topic_written_twice_is_refused(tmp_path: Path, kb: KnowledgeBase) -> None:
    text = yaml.safe_dump(good()) + "  mediation: {names: [again], follow_ups: {}}\n"
    (tmp_path / FOLLOW_UPS_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="duplicate key 'mediation'"):
        load_follow_ups(tmp_path, kb, CLOCKS)


def test_the_real_file_loads_against_the_real_knowledge_base() -> None:
    real_kb = load_kb(KNOWLEDGE, "kent")
    follow_ups = load_follow_ups(KNOWLEDGE, real_kb)
    assert follow_ups.topics and follow_ups.kinds
    for topic in follow_ups.topics.values():
        assert real_kb.get(topic.id) is not None and topic.names
        for kind, target in topic.follow_ups.items():
            assert kind in follow_ups.kinds
            assert target.entry is None or real_kb.get(target.entry) is not None
            assert target.section is None or real_kb.section(*target.section) is not None
            assert set(target.clocks) <= set(known_deadlines())
