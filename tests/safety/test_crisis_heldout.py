"""Measure `is_crisis` on every held-out text: 100% recall on crisis, at most 0.5% false alarms.

The held-out sets (tests/heldout/) were written independently and are a measurement, not a
development table: a miss here is fixed by covering its category of risk in
bot/safety/crisis_*.py and in the development tables (test_crisis_medical.py,
test_crisis_categories.py), never by copying its wording.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Dict, List

import pytest

from bot.safety.crisis import crisis_signal, is_crisis
from tests.helpers.heldout import HeldOut, held_out_texts

MAX_FALSE_ALARM_RATE = 0.005
HELD_OUT = held_out_texts()


def _by_source(items: List[HeldOut]) -> Dict[str, List[HeldOut]]:
    grouped: Dict[str, List[HeldOut]] = defaultdict(list)
    for item in items:
        grouped[item.source].append(item)
    return grouped


@pytest.mark.parametrize("source", sorted({h.source for h in HELD_OUT if h.crisis}))
def test_every_held_out_crisis_is_detected(source: str) -> None:
    crises = [h.text for h in _by_source(HELD_OUT)[source] if h.crisis]
    missed = [text for text in crises if not is_crisis(text)]
    assert crises and not missed, f"{source}: missed {len(missed)}/{len(crises)} crisis messages:\n" + "\n".join(missed)


def test_held_out_false_alarms_stay_under_half_a_percent() -> None:
    ordinary = [h for h in HELD_OUT if not h.crisis]
    alarms = [f"{h.source} [{crisis_signal(h.text)}]: {h.text}" for h in ordinary if is_crisis(h.text)]
    rate = len(alarms) / len(ordinary)
    assert len(ordinary) >= 1000
    assert rate <= MAX_FALSE_ALARM_RATE, f"{len(alarms)}/{len(ordinary)} false alarms ({rate:.2%}):\n" + "\n".join(alarms)


def test_hard_negatives_are_part_of_the_measure() -> None:
    # crisis.yml's hard negatives (stress, refusing, fines, past history) must be in the denominator.
    hard = [h for h in _by_source(HELD_OUT)["crisis.yml"] if not h.crisis]
    assert len(hard) >= 250
