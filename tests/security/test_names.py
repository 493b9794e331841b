"""F14: names with no "called"/"my son" cue. More cues are caught now; a name with no cue at all is still a limit.

The table is written for these tests (not taken from the held-out set); the
held-out figures are a guard that later changes do not lose ground
(bench/names.py prints them).
"""

from __future__ import annotations

import importlib.util

import pytest
import yaml

from bot.safety.redact import redact
from bot.settings import PROJECT_ROOT

CASES = [
    # a courtesy title, any case, a particle, a possessive
    ("Mrs Henderson never rings back", "Mrs [name] never rings back"),
    ("ask mr okoro about it", "ask mr [name] about it"),
    ("Dr. Lindqvist's letter came", "Dr. [name]'s letter came"),
    ("Mr de la Cruz chairs the panel", "Mr [name] chairs the panel"),
    ("Ms Adams and Mr Pryce disagree", "Ms [name] and Mr [name] disagree"),
    ("Dear Hannah, thank you", "Dear [name], thank you"),
    # a name that owns a relative or a thing of schooling
    ("Freddie's TA left", "[name]'s TA left"),
    ("is noah's plan legal", "is [name]'s plan legal"),
    ("Zara’s annual review is late", "[name]’s annual review is late"),
    ("my niece Poppy and my cousin Ravi", "my niece [name] and my cousin [name]"),
    # words that look like those cues but are not names
    ("Miss said he can't go", "Miss said he can't go"),
    ("Dear Sir or Madam", "Dear Sir or Madam"),
    ("Dear all", "Dear all"),
    ("the school's plan and the council's report", "the school's plan and the council's report"),
    ("IPSEA's advice and Kent's transport policy", "IPSEA's advice and Kent's transport policy"),
    ("everyone's needs are different", "everyone's needs are different"),
    ("Mrs is not a name", "Mrs is not a name"),
    # the documented limit: a name with no cue stays
    ("Freddie hates PE", "Freddie hates PE"),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_f14_names_after_more_cues_are_hidden(text: str, expected: str) -> None:
    assert redact(text) == expected


def _bench():
    spec = importlib.util.spec_from_file_location("bench_names", PROJECT_ROOT / "bench" / "names.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_f14_heldout_names_do_not_lose_ground() -> None:
    messages = yaml.safe_load((PROJECT_ROOT / "tests" / "heldout" / "names.yml").read_text())["messages"]
    hidden, total, lost, traps, _ = _bench().score(messages)
    assert (total, traps) == (122, 87)
    assert hidden >= 36, "was 3/122 before the title, 'Dear' and possessive cues; 36/122 after"
    assert lost <= 1, "only 'Dr Google' is taken for a surname"
