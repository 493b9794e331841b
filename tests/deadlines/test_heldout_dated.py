"""The independent held-out set of dated questions (tests/heldout/dated.yml), through the pure core.

Each message is run under the topic it was written for (the NLU's part is
measured by bench/run.py), with today fixed to the set's date. A message
with `due` must give that exact date on the clock its words name; a message
with `ask_back` must give a question of that kind and no date. The set was
written by someone who never saw the code; nothing here special-cases a text.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml

from bot.deadlines.chat import Worked, from_message
from bot.deadlines.questions import DateQuestion

SET = yaml.safe_load((Path(__file__).resolve().parents[1] / "heldout" / "dated.yml").read_text(encoding="utf-8"))
TODAY = dt.date.fromisoformat(str(SET["today"]))
MESSAGES: List[Dict[str, Any]] = SET["messages"]


def test_the_set_is_whole() -> None:
    assert len(MESSAGES) == 83 and TODAY == dt.date(2026, 11, 30)
    assert all(("due" in m) != ("ask_back" in m) for m in MESSAGES)


@pytest.mark.parametrize("case", MESSAGES, ids=[f"{i:02d}-{m['clock']}" for i, m in enumerate(MESSAGES)])
def test_dated_question(case: Dict[str, Any]) -> None:
    result = from_message(case["topic"], case["text"], TODAY)
    if "due" in case:
        assert isinstance(result, Worked), case["why"]
        assert (result.main.rule, result.main.due) == (case["clock"], case["due"]), case["why"]
    else:
        assert isinstance(result, DateQuestion), case["why"]
        assert result.kind == case["ask_back"], case["why"]
        assert case["clock"] in result.rule.clocks(), case["why"]
