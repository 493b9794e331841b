"""Group similar unanswered questions so curators see what parents need.

Grouping is deliberately simple and explainable: questions are reduced to
their content words (light stemming, stop words removed) and joined greedily
to the first group whose word set is similar enough (Jaccard).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import FrozenSet, Iterable, List

_STOP = frozenset(
    """a about above after again all am an and any are as at be because been before being but by
    can cant could did do does doing dont for from get got had has have having he her hers him his how
    i if in into is it its just me my myself no not now of off on once only or our out over own please
    she should so some such than that the their them then there these they this to too under up very
    was we were what when where which who why will with would you your yours im ive hi hello thanks
    help know need want tell son daughter child kid anyone someone""".split()
)
_WORD = re.compile(r"[a-z0-9]+")
THRESHOLD = 0.25  # the Jaccard similarity at which a question joins a group


def content_words(text: str) -> FrozenSet[str]:
    """Return the stemmed content words of a question."""
    words = set()
    for word in _WORD.findall(text.lower()):
        if word in _STOP or len(word) < 3:
            continue
        for suffix in ("ing", "ies", "es", "s", "ed"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                break
        words.add(word)
    return frozenset(words)


def jaccard(a: FrozenSet[str], b: FrozenSet[str]) -> float:
    """Return the Jaccard similarity of two word sets."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


@dataclass
class TopicGroup:
    """Questions judged to be about the same thing."""

    words: Counter = field(default_factory=Counter)
    examples: List[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Return how many questions are in the group."""
        return len(self.examples)

    @property
    def label(self) -> str:
        """Return the group's most frequent words, as a label."""
        return " ".join(w for w, _ in self.words.most_common(3)) or "(no words)"

    def signature(self) -> FrozenSet[str]:
        """Return the words seen in at least half of the group's questions."""
        floor = max(1, (self.count + 1) // 2)
        return frozenset(w for w, n in self.words.items() if n >= floor)


def group_questions(texts: Iterable[str], threshold: float = THRESHOLD) -> List[TopicGroup]:
    """Group questions by word overlap; largest groups first."""
    groups: List[TopicGroup] = []
    for text in texts:
        words = content_words(text)
        best, best_score = None, threshold
        for group in groups:
            score = jaccard(words, group.signature())
            if score >= best_score:
                best, best_score = group, score
        if best is None:
            best = TopicGroup()
            groups.append(best)
        best.words.update(words)
        best.examples.append(text)
    return sorted(groups, key=lambda g: -g.count)
