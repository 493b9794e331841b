"""Short replies a parent gives inside a form: skipping a question or stopping altogether."""

from __future__ import annotations

import re

_SKIP = {
    "skip", "skip it", "skip this", "skip that", "dont know", "don't know", "do not know", "i dont know",
    "i don't know", "not sure", "no idea", "pass", "n/a", "na", "unknown", "cant remember", "can't remember",
}
_STOP = {
    "stop", "cancel", "never mind", "nevermind", "quit", "exit", "forget it", "stop it", "stop this",
    "cancel this", "cancel that", "cancel it", "leave it", "i want to stop", "stop please", "please stop",
}


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[.!,]+", " ", text.lower().replace("’", "'"))).strip()


def is_skip(text: str) -> bool:
    """Return True if the reply means 'skip this question'."""
    return _normal(text) in _SKIP


def is_stop(text: str) -> bool:
    """Return True if the reply means 'stop asking me'."""
    return _normal(text) in _STOP
