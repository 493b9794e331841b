"""The outcome of a turn, read from the reply payloads the actions send (bot/metrics/outcomes.py)."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from bot.metrics.outcomes import outcome_of

ANSWER = {"custom": {"type": "answer", "kb_id": "tribunal-deadlines"}}
CRISIS = {"custom": {"type": "answer", "kb_id": "crisis"}}
HANDOFF = {"custom": {"type": "handoff", "escalation_id": 3, "state": "open"}}
OFFER = {"custom": {"type": "handoff"}}
UNANSWERED = {"custom": {"type": "unanswered", "log_id": 9}}
TEXT = {"text": "crisis handoff unanswered answer"}  # words in the text never decide anything


@pytest.mark.parametrize("replies, outcome", [
    ([TEXT, ANSWER], "answer"),
    ([TEXT, CRISIS], "crisis"),
    ([CRISIS, HANDOFF], "crisis"),  # the most serious wins
    ([TEXT, HANDOFF], "handoff"),
    ([OFFER], "handoff"),
    ([TEXT, UNANSWERED], "unanswered"),
    ([UNANSWERED, ANSWER], "unanswered"),
    ([TEXT], "other"),
    ([{"custom": {"type": "letter"}}], "other"),
    ([{"custom": "not a dict"}, "not a reply"], "other"),
    ([], "other"),
])
def test_outcome_of(replies: List[Dict[str, Any]], outcome: str) -> None:
    assert outcome_of(replies) == outcome
