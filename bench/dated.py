"""Score the held-out dated questions (tests/heldout/dated.yml) through the whole assistant over REST.

Each message goes, in a new conversation, to the real Rasa server and action
server (NLU, policies and actions), which must run with today fixed to the
set's date (bench/fixed_today.py). A message with `due` is right when the
reply's main `deadline` is that clock with that date; a message with
`ask_back` is right when the reply is a `deadline_question` of that kind and
carries no deadline. A wrong answer under the wrong topic is counted as a
topic (NLU) miss, apart from wrong dates under the right topic.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import requests
import yaml

DATED = Path(__file__).resolve().parents[1] / "tests" / "heldout" / "dated.yml"


def dated_today() -> str:
    """Return the day the dated set was written for (YYYY-MM-DD)."""
    return str(yaml.safe_load(DATED.read_text(encoding="utf-8"))["today"])


@dataclass
class DatedScore:
    """Counts and misses over the dated set."""

    due_total: int = 0
    due_right: int = 0
    ask_total: int = 0
    ask_right: int = 0
    topic_misses: List[Tuple[str, str, str, str]] = field(default_factory=list)  # expected, got topic, got, text
    wrong: List[Tuple[str, str, str]] = field(default_factory=list)  # expected, got, text

    def rows(self) -> List[Tuple[str, str]]:
        """Return the figures as (measure, value) rows."""
        def rate(right: int, total: int) -> str:
            return f"{right}/{total} ({right / max(1, total):.1%})"
        return [
            (f"Dated set (dated.yml, today {dated_today()}): exact due date", rate(self.due_right, self.due_total)),
            ("Dated set: right question back (weekday / future date)", rate(self.ask_right, self.ask_total)),
            ("Dated set: misses where the NLU chose another topic", str(len(self.topic_misses))),
            ("Dated set: wrong or missing answers under the right topic", str(len(self.wrong))),
        ]


    def text_misses(self) -> str:
        """Return the misses as plain lines for the terminal."""
        lines = [f"\nDated set, NLU topic misses ({len(self.topic_misses)}):"]
        lines += ["  " + " | ".join(cell[:70] for cell in row) for row in self.topic_misses]
        lines += [f"\nDated set, wrong under the right topic ({len(self.wrong)}):"]
        lines += ["  " + " | ".join(cell[:70] for cell in row) for row in self.wrong]
        return "\n".join(lines)

    def markdown(self) -> str:
        """Return the misses as two Markdown tables."""
        topic = "\n".join(f"| {e} | {t} | {g} | {m[:80]} |" for e, t, g, m in self.topic_misses)
        wrong = "\n".join(f"| {e} | {g} | {m[:80]} |" for e, g, m in self.wrong)
        return (f"## Dated set: misses where the NLU chose another topic\n\n| expected | topic chosen | got | message |"
                f"\n|---|---|---|---|\n{topic}\n\n## Dated set: wrong under the right topic\n\n"
                f"| expected | got | message |\n|---|---|---|\n{wrong}\n")


def _reply(replies: List[Dict[str, Any]]) -> Tuple[Optional[str], Optional[Dict[str, Any]], Optional[Dict[str, Any]]]:
    """Return the topic, the main deadline and any question back found in the replies."""
    topic = deadline = question = None
    for reply in replies:
        custom = reply.get("custom") or {}
        if custom.get("type") == "answer":
            topic = topic or custom.get("kb_id")
            deadline = deadline or custom.get("deadline")
        elif custom.get("type") == "deadline_question":
            topic, question = topic or custom.get("kb_id"), custom
        elif custom.get("type") in ("unanswered", "handoff"):
            topic = topic or custom["type"]
    return topic, deadline, question


def score_dated(url: str, headers: Optional[Dict[str, str]] = None) -> DatedScore:
    """Send every dated question to the REST webhook at `url` (with the shared-secret header) and score the replies."""
    score = DatedScore()
    for message in yaml.safe_load(DATED.read_text(encoding="utf-8"))["messages"]:
        response = requests.post(url, json={"sender": uuid.uuid4().hex, "message": message["text"]},
                                 headers=headers, timeout=60)
        response.raise_for_status()
        topic, deadline, question = _reply(response.json())
        if "due" in message:
            score.due_total += 1
            expected = f"{message['clock']} {message['due']}"
            got = f"{deadline['rule']} {deadline['due']}" if deadline else (
                f"question {question['kind']}" if question else "no date")
            right = got == expected
            score.due_right += right
        else:
            score.ask_total += 1
            expected = f"question {message['ask_back']}"
            got = f"question {question['kind']}" if question else (
                f"{deadline['rule']} {deadline['due']}" if deadline else "no question")
            right = got == expected and deadline is None
            score.ask_right += right
        if right:
            continue
        if topic != message["topic"]:
            score.topic_misses.append((f"{message['topic']}: {expected}", str(topic), got, message["text"]))
        else:
            score.wrong.append((expected, got, message["text"]))
    return score
