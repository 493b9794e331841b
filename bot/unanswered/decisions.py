"""Match groups of unanswered questions, and new questions, to coordinators' decisions about them.

Groups are recomputed from the log each time (bot/unanswered/grouping.py)
and grow as questions arrive, so a stored decision cannot be found by an
exact key. It is found the way a question joins a group: by the Jaccard
similarity of word sets, at the same threshold. A new question the
assistant cannot answer gets a group's canned reply when its content words
are that similar to the group's signature.
"""

from __future__ import annotations

from typing import FrozenSet, Optional, Sequence

from bot.store.unanswered_groups import DRAFTED, OPEN, OUT_OF_SCOPE, GroupDecision
from bot.unanswered.grouping import THRESHOLD, content_words, jaccard

STATUS_LABELS = {OPEN: "open", DRAFTED: "knowledge-base draft written", OUT_OF_SCOPE: "out of scope, canned reply"}


def status_label(decision: Optional[GroupDecision]) -> str:
    """Return how a group's status reads on the dashboard."""
    return STATUS_LABELS[decision.status if decision else OPEN]


def best_decision(words: FrozenSet[str], decisions: Sequence[GroupDecision],
                  threshold: float = THRESHOLD) -> Optional[GroupDecision]:
    """Return the decision whose group's words are most like these (at least `threshold`), or None."""
    if not words:
        return None
    best, best_score = None, threshold
    for decision in decisions:
        score = jaccard(words, decision.words)
        if score >= best_score:
            best, best_score = decision, score
    return best


def canned_reply(text: str, decisions: Sequence[GroupDecision]) -> Optional[GroupDecision]:
    """Return the out-of-scope decision whose canned reply answers this question, or None."""
    return best_decision(content_words(text), [d for d in decisions if d.reply])
