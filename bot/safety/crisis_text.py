"""Normalise a message for the crisis patterns: case, accents, punctuation, stretched letters, typos.

Parents type on a phone, at night, frightened: "my daugter took an ovrdose", "hes unconsious". The
patterns in `crisis_rules` and `crisis_medical` are written against clean lower-case words
without apostrophes ("hasnt", "wont", "shes"), so every spelling is brought to that form
first. Only a small vocabulary of crisis words is corrected, and only when the typo is close,
so ordinary words are never rewritten into alarming ones ("cooking" is not near any of them).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import List

# Words people misspell under stress; tokens within one edit (two for words of eight letters
# or more) are corrected before matching. Words whose near neighbours are everyday words
# ("choking"/"cooking", "fitting"/"sitting", "collapsed"/"collated", "breathing"/"breaking",
# "unconscious"/"conscious", "vomiting"/"omitting", "swallowed"/"swallows", "strangled"/"struggled")
# are left out on purpose: the patterns accept their common misspellings instead.
_VOCABULARY = (
    "suicide", "suicidal", "himself", "herself", "myself", "themselves",
    "overdose", "overdosed", "disappear", "missing", "tablets", "abused",
    "abusing", "disappeared", "anymore", "paracetamol",
    "seizure", "seizures", "daughter", "anaphylaxis", "anaphylactic",
)
# Known misspellings the edit-distance pass cannot reach safely (too short, or too near an everyday word).
_SHORT_FIXES = {
    "kil": "kill", "kll": "kill", "slef": "self", "sef": "self", "harn": "harm", "hram": "harm",
    "ded": "dead", "dye": "die", "urself": "yourself", "sn": "son", "eatn": "eaten", "dayz": "days",
    "dys": "days", "mins": "minutes", "min": "minutes", "hrs": "hours", "hr": "hours", "pils": "pills",
    "breathin": "breathing", "breating": "breathing", "brething": "breathing", "tkaen": "taken",
    "takn": "taken", "wnats": "wants", "wnat": "want", "unconcious": "unconscious", "unconsious": "unconscious",
}

_STRETCH = re.compile(r"(\w)\1{2,}")
_DECIMAL = re.compile(r"(?<=\d)[.,](?=\d)")
_A_AND_E = re.compile(r"\ba\s*(?:&|and|n)\s*e\b")
_SENTENCE_END = re.compile(r"[.!?;\n]+")
_NON_WORD = re.compile(r"[^a-z0-9\s|]+")
BREAK = "|"  # kept between sentences, so "he is missing. the ..." is not read as "missing the"
_SPACES = re.compile(r"\s+")
_VOCABULARY_SET = frozenset(_VOCABULARY)
# Everyday words one edit from the vocabulary, never corrected ("times tables" is not "tablets").
_EVERYDAY = frozenset({"daughters", "tables", "tablet", "kissing", "hissing", "misting", "mussing", "abuse", "hanging"})


def _edit_distance_at_most(a: str, b: str, limit: int) -> bool:
    """Return True if a and b differ by at most `limit` edits (with swaps)."""
    if abs(len(a) - len(b)) > limit:
        return False
    prev2: List[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return False
        prev2, prev = prev, cur
    return prev[-1] <= limit


@lru_cache(maxsize=4096)
def _correct(token: str) -> str:
    if token in _VOCABULARY_SET or token in _EVERYDAY:
        return token
    if token in _SHORT_FIXES:
        return _SHORT_FIXES[token]
    if len(token) < 5 or token.isdigit():
        return token
    limit = 1 if len(token) < 8 else 2
    for word in _VOCABULARY:
        # A typo keeps the first or the second letter, or swaps the two ("usicide"): this cheap
        # test skips the edit distance for nearly every word, which matters for a cold cache.
        if word[0] != token[0] and word[1] != token[1] and word[:2] != token[1::-1]:
            continue
        if _edit_distance_at_most(token, word, limit):
            return word
    return token


def normalise(text: str) -> str:
    """Lower-case, strip accents and punctuation, and correct crisis misspellings.

    Letters repeated three times or more are cut to one ("diiiie" -> "die", "misssing" ->
    "mising" -> "missing"); ordinary double letters ("school", "better") are kept, so the
    guards still match them. Normalising twice changes nothing.
    A decimal point is not a sentence end ("sugar is 1.9" -> "sugar is 1 9"), and
    "A&E" / "a and e" become one word, "ae".
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower()
    text = text.replace("\u2019", "").replace("'", "")
    text = _A_AND_E.sub("ae", _DECIMAL.sub(" ", text))
    text = _NON_WORD.sub(" ", _SENTENCE_END.sub(f" {BREAK} ", text))
    text = _STRETCH.sub(r"\1", text)
    tokens: List[str] = []
    for token in _SPACES.split(text.strip()):
        if token == BREAK and (not tokens or tokens[-1] == BREAK):
            continue
        tokens.append(token if token == BREAK else _correct(token))
    if tokens and tokens[-1] == BREAK:
        tokens.pop()
    return " ".join(tokens)
