"""Properties of the crisis rule engine: anchors never hide a match, no pattern backtracks
catastrophically, context guards work both ways, and a message takes well under a second."""

from __future__ import annotations

import time
from pathlib import Path
from typing import List

import pytest
import yaml

from bot.safety.crisis import RULES, crisis_signal, is_crisis, normalise, risk_evidence, rules_for
from bot.settings import PROJECT_ROOT
from tests.helpers.heldout import held_out_texts
from tests.safety.test_crisis import CRISIS, ORDINARY
from tests.safety.test_crisis_categories import CRISIS as CATEGORY_CRISIS
from tests.safety.test_crisis_categories import NOT_CRISIS
from tests.safety.test_crisis_medical import MEDICAL, NOT_MEDICAL_EMERGENCY


def _corpus() -> List[str]:
    texts = [h.text for h in held_out_texts()] + list(CRISIS) + list(ORDINARY)
    texts += [p.values[0] for table in (CATEGORY_CRISIS, NOT_CRISIS, MEDICAL, NOT_MEDICAL_EMERGENCY) for p in table]
    for path in sorted((PROJECT_ROOT / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(Path(path).read_text(encoding="utf-8"))["nlu"]:
            texts += [line.strip()[2:] for line in block.get("examples", "").splitlines() if line.strip().startswith("- ")]
    return texts


def test_anchors_never_hide_a_match() -> None:
    # Each rule runs only if a word starts with one of its anchors; a pattern that matched
    # without one would be silently skipped, so check every rule on every text we have.
    hidden = []
    for text in _corpus():
        clean = normalise(text)
        chosen = {id(rule) for rule in rules_for(clean)}
        hidden += [(rule.kind, rule.pattern.pattern[:40], text) for rule in RULES
                   if id(rule) not in chosen and rule.pattern.search(clean)]
    assert not hidden


def test_every_rule_has_anchors() -> None:
    assert all(rule.anchors and all(stem == stem.strip() and stem for stem in rule.anchors) for rule in RULES)


@pytest.mark.parametrize("text", [
    "not " * 20000, "hasnt eaten " * 5000, "a" * 100000, "seizure " * 8000, "he is " * 15000, "| " * 30000,
    "my son my son " * 5000, "took all " * 8000, "self " * 15000, "cant " * 20000, "blood " * 10000,
    "x. " * 30000, "tablets " * 10000, "he has been " * 8000, "!" * 100000,
])
def test_adversarial_input_completes_quickly(text: str) -> None:
    started = time.monotonic()
    assert is_crisis(text) in (True, False)
    assert time.monotonic() - started < 5  # seconds, on a loaded 2-core machine; typically a few ms


def test_typical_message_takes_well_under_a_millisecond() -> None:
    texts = [h.text for h in held_out_texts()][:400]
    for text in texts:
        is_crisis(text)
    started = time.perf_counter()
    for text in texts:
        is_crisis(text)
    per_message = (time.perf_counter() - started) / len(texts)
    assert per_message < 0.005  # generous for CI; measured about 0.3 ms on the development machine


@pytest.mark.parametrize("text, kind", [
    ("my son has taken an overdose", "medical"),
    ("she is cutting herself", "self_harm"),
    ("he wants to kill himself", "suicide"),
    ("my daughter has run away", "missing"),
    ("her stepdad hits her", "violence"),
    ("I can't keep myself safe", "unsafe"),
])
def test_signal_names_the_kind_of_risk(text: str, kind: str) -> None:
    assert crisis_signal(text) == kind


@pytest.mark.parametrize("text, expected", [
    ("she is self harming", True),
    ("she is not self harming", False),
    ("she self harmed when she was 11", False),
    ("she self harmed when she was 11 and started again tonight", True),
    ("what should school do if his seizure lasts over 5 minutes", False),
    ("his seizure has lasted over 5 minutes, help", True),
])
def test_context_discounts_and_brings_back(text: str, expected: bool) -> None:
    assert is_crisis(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("I'm at breaking point and want it over", True),
    ("my husband's visa is running out", False),
    ("does my daughter have adhd, she forgets everything", False),
    ("", False),
])
def test_risk_evidence_is_a_weak_word_test(text: str, expected: bool) -> None:
    assert risk_evidence(text) is expected
