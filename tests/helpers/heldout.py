"""Read every held-out text, with whether it is a crisis, for the meta-test, the crisis test and bench/."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Iterator, List, NamedTuple

import yaml

HELDOUT = Path(__file__).resolve().parent.parent / "heldout"


class HeldOut(NamedTuple):
    """One held-out text: where it comes from, the words, and whether someone is at risk now."""

    source: str
    text: str
    crisis: bool


def _load(name: str) -> Dict[str, Any]:
    return yaml.safe_load((HELDOUT / name).read_text(encoding="utf-8"))


def _messages() -> Iterator[HeldOut]:
    for message in _load("messages.yml")["messages"]:
        yield HeldOut("messages.yml", message["text"], message["expect"] == "crisis")


def _crisis() -> Iterator[HeldOut]:
    for message in _load("crisis.yml")["messages"]:
        yield HeldOut("crisis.yml", message["text"], bool(message["crisis"]))


def _conversations() -> Iterator[HeldOut]:
    for conversation in _load("conversations.yml")["conversations"]:
        for turn in conversation["turns"]:
            yield HeldOut("conversations.yml", turn["say"], bool((turn.get("expect") or {}).get("crisis")))


def _never_crisis(name: str) -> Iterator[HeldOut]:
    for message in _load(name)["messages"]:
        yield HeldOut(name, message["text"], False)


def held_out_texts() -> List[HeldOut]:
    """Return every text in tests/heldout/, each labelled crisis or not."""
    return [
        *_messages(), *_crisis(), *_conversations(), *_never_crisis("dated.yml"), *_never_crisis("names.yml"),
    ]


def held_out_files() -> List[str]:
    """Return the names of the held-out files, so a new file without a reader is noticed."""
    return sorted(p.name for p in HELDOUT.glob("*.yml"))


READ_FILES = ["conversations.yml", "crisis.yml", "dated.yml", "messages.yml", "names.yml"]
