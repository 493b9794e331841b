"""components.conversation_guard: a form's intent survives only when the words ask for the form."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.conversation_guard import GUARD_KEY, ConversationGuard


def _guarded(text: str, ranking: List[Dict[str, Any]]) -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT, ranking[0])
    message.set(INTENT_RANKING_KEY, ranking)
    return ConversationGuard(ConversationGuard.get_default_config()).process([message])[0]


@pytest.mark.parametrize("text, ranking, expected", [
    # The trap: a date about a letter is not a request for one.
    ("the letter was dated 2 November 2026", [("request_letter", 0.7), ("ask_tribunal_deadlines", 0.2)],
     "nlu_fallback"),
    ("what should the letter from the council say?", [("request_letter", 0.6), ("ask_ehc_refusal_to_assess", 0.45)],
     "ask_ehc_refusal_to_assess"),
    ("can you help me write a letter to the school", [("request_letter", 0.9)], "request_letter"),
    ("i need to write to kent to ask for an ehcp assessment, can you do the letter for me",
     [("ask_ehc_needs_assessment_request", 0.8), ("request_letter", 0.1)], "request_letter"),
    ("it came on monday the 23rd. whens my deadline", [("ask_deadline", 0.8), ("ask_ehc_draft_plan", 0.1)],
     "nlu_fallback"),
    ("whats my deadline", [("ask_deadline", 0.8)], "ask_deadline"),
    ("where are we up to with the ehcp", [("ask_timeline", 0.7)], "ask_timeline"),
    ("i want to check where were up to with the ehc process", [("ask_timeline", 0.99)], "ask_timeline"),
    ("the decision letter dated 3 March, where were we up to", [("ask_timeline", 0.95), ("ask_mediation", 0.01)],
     "nlu_fallback"),
    # Follow-ups the classifier took for small talk or an escalation command.
    ("is there a way to challenge this", [("bot_challenge", 0.55), ("stop_form", 0.11)], "nlu_fallback"),
    ("is it compulsory", [("affirm", 0.43), ("out_of_scope", 0.12)], "nlu_fallback"),
    ("what if they dont do it by then", [("cancel_escalation", 0.67)], "nlu_fallback"),
    ("cancel my question", [("cancel_escalation", 0.8)], "cancel_escalation"),
    ("are you a robot", [("bot_challenge", 0.95)], "bot_challenge"),
    ("what is mediation", [("ask_mediation", 0.95)], "ask_mediation"),
    ('/request_letter{"letter_template": "sar"}', [("request_letter", 1.0)], "request_letter"),
])
def test_forms_only_when_asked(text: str, ranking: List[tuple], expected: str) -> None:
    message = _guarded(text, [{"name": n, "confidence": c} for n, c in ranking])
    assert message.get(INTENT)["name"] == expected
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == expected


def test_the_guard_records_why_but_never_the_text() -> None:
    message = _guarded("the letter was dated 2 November 2026", [{"name": "request_letter", "confidence": 0.7}])
    assert message.get(GUARD_KEY) == {"was": "request_letter", "why": "not_asked"}
    assert "2 November" not in str(message.get(GUARD_KEY))
