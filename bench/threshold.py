"""Sweep the FallbackClassifier threshold on the held-out set (in-process NLU).

Prints held-out accuracy and the out-of-scope score for each threshold, so
the value in config.yml is chosen from figures rather than guessed. The
crisis guard is applied as in production. It loads Rasa in-process, so it
runs in the Rasa environment:

    .venv-rasa/bin/python bench/threshold.py
"""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path
from typing import Any, Dict, List

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.ops.training import ensure_model  # noqa: E402

THRESHOLDS = (0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7)


def label(intent: str) -> str:
    """Map an intent to the held-out label it stands for."""
    if intent.startswith("ask_"):
        return intent[4:].replace("_", "-")
    return {"out_of_scope": "unanswered", "nlu_fallback": "unanswered", "request_human": "handoff"}.get(intent, intent)


async def parse_all(model: Path, texts: List[str]) -> List[Dict[str, Any]]:
    """Return Rasa's parse of each text."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    return [await agent.parse_message(text) for text in texts]


def main() -> int:
    """Print the sweep."""
    logging.disable(logging.WARNING)
    messages = yaml.safe_load((ROOT / "tests" / "heldout" / "messages.yml").read_text())["messages"]
    parses = asyncio.run(parse_all(ensure_model(ROOT), [m["text"] for m in messages]))
    print(f"{'threshold':>9}  {'accuracy':>8}  out-of-scope")
    for threshold in THRESHOLDS:
        right = oos_right = oos = 0
        for message, parse in zip(messages, parses):
            final = parse["intent"]["name"]
            model_top = next(r for r in parse["intent_ranking"] if r["name"] != "nlu_fallback")
            if final == "ask_crisis":
                got = "crisis"  # the guard's decision does not depend on the threshold
            elif model_top["confidence"] < threshold:
                got = "unanswered"
            else:
                got = label(model_top["name"])
            right += got == message["expect"]
            if message["expect"] == "unanswered":
                oos += 1
                oos_right += got == "unanswered"
        print(f"{threshold:>9.2f}  {right / len(messages):>8.1%}  {oos_right}/{oos}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
