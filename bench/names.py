"""Measure how well redaction hides personal names, on the held-out names set (tests/heldout/names.yml).

    .venv/bin/python bench/names.py

Each message lists the names that must be hidden and the capitalised words
that must not be. A name counts as hidden if it no longer appears as a whole
word in the redacted text; a trap counts as a false positive if it no longer
appears. Prints recall over names, precision over every word redaction took
out, and the messages still leaking, so a change to bot/safety/redact.py can
be judged on figures.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.safety.redact import redact  # noqa: E402

HELD_OUT = ROOT / "tests" / "heldout" / "names.yml"


def present(word: str, text: str) -> bool:
    """Return True if the word is still in the text as a whole word (a possessive 's allowed)."""
    return re.search(rf"(?<![\w'-]){re.escape(word)}(?![\w-])", text) is not None


def score(messages: List[Dict]) -> Tuple[int, int, int, int, List[str]]:
    """Return (names hidden, names, traps lost, traps, leaking messages)."""
    hidden = total = lost = traps = 0
    leaking = []
    for message in messages:
        redacted = redact(message["text"])
        names = [w for name in message.get("names") or [] for w in name.split()]
        kept = [n for n in names if present(n, redacted)]
        hidden, total = hidden + len(names) - len(kept), total + len(names)
        for trap in message.get("not_names") or []:
            traps += 1
            lost += not all(present(w, redacted) for w in trap.split())
        if kept:
            leaking.append(f"{message['text']!r} -> {redacted!r}")
    return hidden, total, lost, traps, leaking


def main() -> int:
    messages = yaml.safe_load(HELD_OUT.read_text(encoding="utf-8"))["messages"]
    hidden, total, lost, traps, leaking = score(messages)
    with_names = sum(1 for m in messages if m.get("names"))
    print(f"messages: {len(messages)} ({with_names} with names, {len(messages) - with_names} without)")
    print(f"recall: {hidden}/{total} names hidden = {hidden / total:.1%}")
    print(f"traps kept: {traps - lost}/{traps}; false positives: {lost}")
    print(f"precision: {hidden}/{hidden + lost} of the words taken out were names = {hidden / max(1, hidden + lost):.1%}")
    print(f"messages still showing a name: {len(leaking)}/{with_names}")
    for line in leaking if "-v" in sys.argv else []:
        print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
