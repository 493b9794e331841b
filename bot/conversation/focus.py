"""In a long post, the question at the end says what the parent wants to know.

A forum-style post of 60-150 words tells the story first (the waiting list,
the exclusions, the school's excuses) and asks at the end ("can I apply for
the assessment myself?"). A classifier reading the whole post weighs the
story as much as the question, so it often answers the story. These pure
functions find the question part of a long post, blend a ranking of that
part with the ranking of the whole post, and read the long posts the
classifier learns from; `components/long_posts.py` runs them inside the NLU
pipeline. No Rasa here, so they are tested on 3.10
and 3.13 alike.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Tuple

import yaml

LONG_POST_WORDS = 40   # the Decider's own bar for a message that may ask about several things
MIN_QUESTION_WORDS = 6  # a shorter question ("any ideas?") borrows the sentence before it
# A question that points back ("is there a time limit for THAT kind of claim?") borrows it too.
_POINTS_BACK = re.compile(r"\b(?:it|its|it's|that|this|they|them|their|those|these|one|there)\b", re.IGNORECASE)

_SENTENCE_END = re.compile(r"(?<=[.?!])[\"')\]]*\s+|\n+")
_QUESTION_OPENERS = re.compile(
    r"^(?:so\s+|and\s+|but\s+|basically\s+|my question is,?\s*|question:?\s*)?"
    r"(?:can|could|do|does|did|is|are|am|was|were|will|would|should|shall|has|have|how|what|when|where|which|who|"
    r"why|any|anyone|has anyone|is it|is there)\b", re.IGNORECASE)


def sentences(text: str) -> List[str]:
    """Return the text's sentences, in order, without empty pieces."""
    return [piece.strip() for piece in _SENTENCE_END.split(text) if piece and piece.strip()]


def _is_question(sentence: str) -> bool:
    return sentence.rstrip().endswith("?") or bool(_QUESTION_OPENERS.match(sentence.strip()))


def question_part(text: str, min_words: int = LONG_POST_WORDS) -> Optional[str]:
    """Return the question a long post ends on, or None if the text is short or is all question.

    The question part is the last sentence that asks something (ends with "?"
    or opens like a question), with the sentence before it when it is too
    short to stand alone or points back to it ("that", "they"). A post with no question at all gives its last
    sentence: that is where a request ("I need to know what to do next")
    usually is.
    """
    if len(text.split()) < min_words:
        return None
    parts = sentences(text)
    if len(parts) < 2:
        return None
    index = max((i for i, part in enumerate(parts) if _is_question(part)), default=len(parts) - 1)
    chosen = [parts[index]]
    if index > 0 and (len(chosen[0].split()) < MIN_QUESTION_WORDS or _POINTS_BACK.search(chosen[0])):
        chosen.insert(0, parts[index - 1])
    question = " ".join(chosen)
    return question if question != text.strip() else None


def blend(whole: Sequence[Tuple[str, float]], question: Mapping[str, float], weight: float,
          keep: Optional[int] = None) -> List[Tuple[str, float]]:
    """Return the blended ranking, best first: (1 - weight) x the whole post's + weight x the question's.

    An intent missing from one ranking counts 0 there. Ties keep the whole
    post's order, so a blend with weight 0 is the whole post's ranking.
    """
    if not 0.0 <= weight <= 1.0:
        raise ValueError(f"weight must be between 0 and 1, not {weight}")
    order: Dict[str, int] = {}
    scores: Dict[str, float] = {}
    for name, confidence in whole:
        order.setdefault(name, len(order))
        scores[name] = scores.get(name, 0.0) + (1.0 - weight) * float(confidence)
    for name, confidence in question.items():
        order.setdefault(name, len(order))
        scores[name] = scores.get(name, 0.0) + weight * float(confidence)
    ranked = sorted(scores.items(), key=lambda item: (-item[1], order[item[0]]))
    return ranked[:keep] if keep is not None else ranked


def rank_long_post(text: str, rank: Callable[[str], Mapping[str, float]], weight: float,
                   min_words: int = LONG_POST_WORDS, keep: Optional[int] = None) -> List[Tuple[str, float]]:
    """Return a long post's ranking, best first: `rank` of the whole post, its closing question weighed in.

    With no separate question (or weight 0) it is the whole post's ranking as `rank` gives it.
    """
    post = sorted(rank(text).items(), key=lambda item: -item[1])
    question = question_part(text, min_words)
    if question is None or weight == 0.0:
        return post[:keep] if keep is not None else post
    return blend(post, rank(question), weight, keep=keep)


def read_long_posts(path: Path) -> List[Tuple[str, str]]:
    """Return (text, intent) for every long post in a file, or in the .yml files of a folder (data/long_posts).

    Each file holds `long_posts:`, a list of `{intent, examples}` blocks whose
    examples are written as in Rasa's NLU files ("- one post per line").
    Raises ValueError for a file of another shape or a post under 20 words.
    """
    files = sorted(path.glob("*.yml")) if path.is_dir() else [path]
    found: List[Tuple[str, str]] = []
    for file in files:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        blocks = data.get("long_posts") if isinstance(data, dict) else None
        if not isinstance(blocks, list):
            raise ValueError(f"{file}: expected a `long_posts:` list")
        for block in blocks:
            if not isinstance(block, dict) or not isinstance(block.get("intent"), str) or \
                    not isinstance(block.get("examples"), str):
                raise ValueError(f"{file}: each block needs an `intent` and `examples`")
            for line in block["examples"].splitlines():
                post = line.strip()[2:].strip() if line.strip().startswith("- ") else ""
                if not post:
                    continue
                if len(post.split()) < 20:
                    raise ValueError(f"{file}: a post under {block['intent']} is not a long post ({post[:40]!r})")
                found.append((post, block["intent"]))
    return found
