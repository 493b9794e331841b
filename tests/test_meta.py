"""Meta-tests: the knowledge base, domain, training data and held-out set agree."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Dict, List, Set

import pytest
import yaml

from bot.knowledge.entries import id_for_intent, intent_for, is_official, load_kb, load_official_domains
from bot.knowledge.messages import load_messages
from bot.settings import PROJECT_ROOT
from tests.helpers.topics import REQUIRED_IDS

KNOWLEDGE = PROJECT_ROOT / "knowledge"


def _yaml(path: Path) -> Dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _nlu_examples() -> Dict[str, List[str]]:
    examples: Dict[str, List[str]] = {}
    for path in sorted((PROJECT_ROOT / "data" / "nlu").glob("*.yml")):
        for block in _yaml(path)["nlu"]:
            lines = [l.strip()[2:] for l in block["examples"].splitlines() if l.strip().startswith("- ")]
            examples.setdefault(block["intent"], []).extend(lines)
    return examples


def _rule_pairs() -> Set[tuple]:
    pairs = set()
    for path in (PROJECT_ROOT / "data" / "rules").glob("*.yml"):
        for rule in _yaml(path)["rules"]:
            steps = rule["steps"]
            for first, second in zip(steps, steps[1:]):
                if "intent" in first and "action" in second:
                    pairs.add((first["intent"], second["action"]))
    return pairs


KB = load_kb(KNOWLEDGE)
DOMAIN = _yaml(PROJECT_ROOT / "domain.yml")
NLU = _nlu_examples()
RULES = _rule_pairs()


@pytest.mark.parametrize("kb_id", REQUIRED_IDS)
def test_required_topic_exists(kb_id: str) -> None:
    assert KB.get(kb_id) is not None


@pytest.mark.parametrize("kb_id", sorted(KB.entries))
def test_entry_is_reachable_from_domain_training_data_and_rules(kb_id: str) -> None:
    intent = intent_for(kb_id)
    assert id_for_intent(intent) == kb_id
    assert intent in DOMAIN["intents"]
    assert len(NLU.get(intent, [])) >= 40, f"{intent} needs more training examples"
    assert (intent, "action_answer") in RULES


@pytest.mark.parametrize("kb_id", sorted(KB.entries))
def test_entry_has_an_official_source_and_review_date(kb_id: str) -> None:
    entry = KB.get(kb_id)
    assert any(is_official(s.url, load_official_domains(KNOWLEDGE)) for s in entry.sources)
    assert entry.reviewed.year >= 2026


def test_every_domain_intent_has_training_examples() -> None:
    missing = [i for i in DOMAIN["intents"] if len(NLU.get(i, [])) < 20]
    assert not missing


def test_every_intent_in_training_data_is_in_the_domain() -> None:
    assert not set(NLU) - set(DOMAIN["intents"])


def test_every_kb_id_named_in_buttons_and_messages_exists() -> None:
    named = set(load_messages(KNOWLEDGE).human_route_entries)
    for text in [(PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8")] + [
        p.read_text(encoding="utf-8") for p in (PROJECT_ROOT / "data").rglob("*.yml")
    ]:
        named |= {id_for_intent(m) for m in re.findall(r"/(ask_[a-z0-9_]+)", text)}
    assert named and not {n for n in named if KB.get(n) is None}


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", text.lower()).split())


def test_held_out_set_is_large_enough_and_never_trained_on() -> None:
    held_out = _yaml(PROJECT_ROOT / "tests" / "heldout" / "messages.yml")["messages"]
    labels = Counter(m["expect"] for m in held_out)
    assert len(held_out) >= 100 and labels["unanswered"] >= 15
    assert set(labels) - {"unanswered", "handoff"} <= set(KB.entries)
    trained = {_norm(e) for examples in NLU.values() for e in examples}
    leaked = [m["text"] for m in held_out if _norm(m["text"]) in trained]
    assert not leaked, f"held-out messages found in training data: {leaked}"


def test_no_training_example_is_under_two_intents() -> None:
    owners: Dict[str, Set[str]] = {}
    for intent, examples in NLU.items():
        for example in examples:
            owners.setdefault(_norm(example), set()).add(intent)
    clashes = {e: i for e, i in owners.items() if len(i) > 1}
    assert not clashes


def _handled_intents() -> Set[str]:
    handled = set()
    for folder in ("rules", "stories"):
        for path in (PROJECT_ROOT / "data" / folder).glob("*.yml"):
            for block in _yaml(path).get(folder, []):
                handled |= {step["intent"] for step in block.get("steps", []) if "intent" in step}
    return handled


def test_every_intent_is_handled_by_a_rule_or_story() -> None:
    # An intent with no rule or story makes the assistant fall silent.
    assert not set(DOMAIN["intents"]) - _handled_intents()
