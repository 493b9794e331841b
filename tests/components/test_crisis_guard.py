"""components.crisis_guard: rules decide; the model's own crisis guess counts only if trusted, confident and backed by a word of risk."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.crisis_guard import CRISIS_INTENT, GUARD_KEY, CrisisGuard


def _message(text: str, ranking: List[Dict[str, Any]]) -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT, ranking[0])
    message.set(INTENT_RANKING_KEY, ranking)
    return message


TRUSTED = {"trust_model": True, "model_threshold": 0.5}


def _guarded(text: str, top: str, confidence: float, config: Optional[Dict[str, Any]] = None) -> Message:
    second = "ask_mediation" if top != "ask_mediation" else "ask_tribunal_process"
    ranking = [{"name": top, "confidence": confidence}, {"name": second, "confidence": 0.05}]
    guard = CrisisGuard({**CrisisGuard.get_default_config(), **(config or {})})
    return guard.process([_message(text, ranking)])[0]


@pytest.mark.parametrize("text, top, confidence, config, expected", [
    ("my son has swallowed a packet of paracetamol", "ask_mediation", 0.9, None, (CRISIS_INTENT, 1.0)),  # a rule
    ("i'm at breaking point and i want it all over", CRISIS_INTENT, 0.95, None, ("nlu_fallback", 0.4)),  # by default
    ("i'm at breaking point and i want it all over", CRISIS_INTENT, 0.6, TRUSTED, (CRISIS_INTENT, 0.6)),
    ("I'm a dad and his mum won't tell me about the review", CRISIS_INTENT, 0.6, TRUSTED, ("nlu_fallback", 0.4)),
    ("i'm at breaking point and i want it all over", CRISIS_INTENT, 0.35, TRUSTED, ("nlu_fallback", 0.4)),
    ("what is mediation", "ask_mediation", 0.95, None, ("ask_mediation", 0.95)),  # not the guard's business
])
def test_who_decides_a_crisis(text: str, top: str, confidence: float, config: Optional[Dict[str, Any]],
                              expected: Tuple[str, float]) -> None:
    intent = _guarded(text, top, confidence, config).get(INTENT)
    assert (intent["name"], round(intent["confidence"], 2)) == expected


def test_a_refused_guess_falls_to_the_next_intent_when_it_is_confident() -> None:
    ranking = [{"name": CRISIS_INTENT, "confidence": 0.5}, {"name": "ask_mediation", "confidence": 0.45}]
    message = CrisisGuard(CrisisGuard.get_default_config()).process([_message("my husbands visa", ranking)])[0]
    assert message.get(INTENT) == {"name": "ask_mediation", "confidence": 0.45}
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == ["ask_mediation"]


def test_rule_crisis_keeps_the_parents_topic_second() -> None:
    message = _guarded("we have mediation next week but she is cutting herself again", "ask_mediation", 0.8)
    names = [r["name"] for r in message.get(INTENT_RANKING_KEY)]
    assert names[:2] == [CRISIS_INTENT, "ask_mediation"]


def test_guard_records_what_it_saw_without_the_text() -> None:
    message = _guarded("she is not breathing", CRISIS_INTENT, 0.7)
    assert message.get(GUARD_KEY) == {"signal": "medical", "model_confidence": 0.7}
    assert GUARD_KEY in message.as_dict(only_output_properties=True)


def test_evidence_can_be_switched_off() -> None:
    message = _guarded("I'm a dad and his mum won't tell me about the review", CRISIS_INTENT, 0.6,
                       {**TRUSTED, "require_evidence": False})
    assert message.get(INTENT)["name"] == CRISIS_INTENT
