"""Meta-tests: the knowledge base, domain, training data and held-out set agree."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Dict, FrozenSet, List, Set, Tuple

import pytest
import yaml

from bot.knowledge.entries import id_for_intent, intent_for, is_official, load_kb, load_official_domains
from bot.knowledge.messages import load_messages
from bot.settings import PROJECT_ROOT
from tests.helpers.heldout import READ_FILES, held_out_files, held_out_texts
from tests.helpers.topics import REQUIRED_IDS
from tests.safety.test_crisis import CRISIS as CRISIS_OLD
from tests.safety.test_crisis import ORDINARY
from tests.safety.test_crisis_categories import CRISIS, NOT_CRISIS
from tests.safety.test_crisis_medical import MEDICAL, NOT_MEDICAL_EMERGENCY

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


def _words(text: str) -> FrozenSet[str]:
    return frozenset(_norm(text).split())


def _near_copies(texts: List[str], against: List[str], min_words: int = 5, overlap: float = 0.8) -> List[Tuple[str, str]]:
    """Return (text, copy) pairs: same words once normalised, or sharing >= `overlap` of their words (Jaccard)."""
    index: Dict[str, List[int]] = {}
    sets = [_words(other) for other in against]
    for number, words in enumerate(sets):
        for word in words:
            index.setdefault(word, []).append(number)
    exact = {_norm(other): other for other in against}
    found = []
    for text in texts:
        if len(_words(text)) <= 2:
            continue  # "cancel", "stop": the words of a form, which both sets must use
        if _norm(text) in exact:
            found.append((text, exact[_norm(text)]))
            continue
        words = _words(text)
        if len(words) < min_words:
            continue
        shared = Counter(n for word in words for n in index.get(word, []))
        for number, count in shared.items():
            if count / len(words | sets[number]) >= overlap:
                found.append((text, against[number]))
                break
    return found


def _data_texts() -> List[str]:
    """Return every text in data/ that could be learnt from: NLU examples (stories and rules hold none)."""
    return [example for examples in NLU.values() for example in examples]


def test_held_out_set_is_large_enough() -> None:
    held_out = _yaml(PROJECT_ROOT / "tests" / "heldout" / "messages.yml")["messages"]
    labels = Counter(m["expect"] for m in held_out)
    assert len(held_out) >= 100 and labels["unanswered"] >= 15
    assert set(labels) - {"unanswered", "handoff"} <= set(KB.entries)


def test_every_held_out_file_is_read() -> None:
    # A new held-out file must get a reader in tests/helpers/heldout.py, so the checks below cover it.
    assert held_out_files() == READ_FILES
    sources = Counter(h.source for h in held_out_texts())
    assert set(sources) == set(READ_FILES) and min(sources.values()) >= 80


def test_no_held_out_text_or_near_copy_is_in_the_training_data() -> None:
    held_out = [h.text for h in held_out_texts()]
    leaked = _near_copies(held_out, _data_texts())
    assert not leaked, f"held-out texts (or near-copies) found in data/: {leaked}"


def test_near_copy_check_can_fail() -> None:
    data = ["my son is autistic and the school refused the assessment last week"]
    assert _near_copies(["My son is autistic, and the school REFUSED the assessment last week!"], data)
    assert _near_copies(["my son is autistic and the school refused the assessment"], data)
    assert not _near_copies(["how long does the tribunal take"], data)


def test_crisis_development_tables_are_not_held_out_copies() -> None:
    tables = [p.values[0] if hasattr(p, "values") else p
              for table in (MEDICAL, NOT_MEDICAL_EMERGENCY, CRISIS, NOT_CRISIS, CRISIS_OLD, ORDINARY) for p in table]
    copied = _near_copies([t for t in tables if t.strip()], [h.text for h in held_out_texts()])
    assert not copied, f"development table texts copied from the held-out sets: {copied}"


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
