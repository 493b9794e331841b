"""Spot messages that suggest someone is at risk of harm now.

Threat: the worst mistake this assistant can make is to answer a question
about tribunals when the message also says a child wants to die, is missing
or is being hurt. The NLU model is trained on crisis wording, but a model can
miss an unseen phrasing. This module is a deterministic safety net that runs
on every message, before anything else, and errs towards showing crisis
contacts: a false alarm costs a parent one extra message, a miss can cost a
life.

Design: normalise the text (case, accents, punctuation, stretched letters),
correct near-miss spellings of a small crisis vocabulary, then match phrase
patterns for suicide, self-harm, a missing child and a child at risk.
The text is never stored or logged here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import List, Optional

# Words people misspell under stress; tokens within one or two edits of these
# are corrected before matching.
_VOCABULARY = (
    "suicide", "suicidal", "himself", "herself", "myself", "themselves",
    "overdose", "overdosed", "disappear", "missing", "tablets", "abused",
    "abusing", "hanging", "anymore", "strangle", "strangled", "paracetamol",
)

_SELF = r"(?:my|him|her|them|your|our)\s?sel(?:f|ves)"
_PERSON = r"(?:son|daughter|child|kid|boy|girl|teen|teenager|he|she|they|stepson|stepdaughter|grandson|granddaughter)"
# "he is missing lessons" is about school, not a missing child.
_NOT_AN_OBJECT = r"(?!\s+(?:lesson|lessons|school|class|classes|out|education|days|weeks|work|homework|his|her|the|a|an|some|lots|so|from\s+class|from\s+lessons)\b)"
_PATTERNS = [
    # Suicide and wanting to die.
    r"\bsuicid\w*",
    rf"\bkill(?:ing|ed|s)?\s+{_SELF}",
    r"\b(?:end|ending|ended)\s+(?:it\s+all|(?:my|his|her|their|your)\s+(?:own\s+)?life|everything|things|it\s+now)\b",
    r"\btak(?:e|ing)\s+(?:my|his|her|their)\s+(?:own\s+)?life\b",
    r"\b(?:want|wants|wanted|wanting|wanna|wish|wishes|going|gonna|ready)\s+(?:to\s+)?(?:die|be\s+dead)\b",
    r"\bwish(?:es)?\s+(?:i|he|she|they)\s+(?:was|were|had|could)\s+(?:dead|never\s+been\s+born|die|disappear)",
    r"\bbetter\s+off\s+(?:dead|without\s+(?:me|him|her|them|us))\b",
    r"\b(?:dont|doesnt|do\s+not|does\s+not|didnt|not)\s+want(?:ing)?\s+to\s+(?:live|be\s+alive|be\s+here\s+any\s?more|exist|wake\s+up|carry\s+on)\b",
    r"\bno\s+(?:point|reason)\s+(?:in\s+)?(?:living|to\s+live|going\s+on|carrying\s+on|being\s+alive|being\s+here)\b",
    r"\bwhats\s+the\s+point\s+(?:of|in)\s+(?:living|life|going\s+on|being\s+alive|carrying\s+on)\b",
    # "can't go on" about life, not "can't go on the school trip".
    r"\b(?:cant|can\s+not|cannot)\s+(?:go\s+on(?!\s+(?:the|a|an|his|her|their|scho+l|trips?|holidays?|residentials?|visits?|outings?|rides?|camp|stage|with\s+the)\b)|carry\s+on|keep\s+going|cope|take\s+(?:it|this)|do\s+this|keep\s+doing\s+this|live\s+like\s+this)\s*(?:any\s?more|any\s+longer)?\b",
    r"\bnobody\s+would\s+(?:miss|care\s+if)\b|\bno\s+one\s+would\s+(?:miss|care\s+if)\b",
    r"\b(?:everyone|everybody)\s+would\s+be\s+better\s+off\b",
    r"\bdisappear\s+(?:for\s+ever|forever|for\s+good)\b",
    r"\bhang(?:ing|ed)?\s+" + _SELF,
    r"\bjump(?:ing|ed)?\s+(?:off|in\s+front\s+of|from)\s+(?:a|the)\s+(?:bridge|train|building|roof|cliff)",
    r"\b(?:overdose|overdosed|overdosing)\b",
    r"\b(?:took|take|taken|taking|swallowed)\s+(?:all|a\s+lot|lots|loads|a\s+load|a\s+handful)\s+(?:of\s+)?(?:\w+\s+)?(?:pills|tablets|paracetamol|medication|meds)\b",
    r"\b(?:pills|tablets|paracetamol)\s+(?:ready|saved\s+up|stockpiled)\b",
    r"\bnot\s+safe\s+(?:to\s+be\s+)?(?:around|with)\s+(?:myself|himself|herself)\b",
    # Self-harm.
    r"\bsel?f\s*-?\s*har\w*\b",
    rf"\b(?:cut|cuts|cutting|burn|burns|burning|hurt|hurts|hurting|harm|harms|harming|starving|strangle|strangled|strangling)\s+{_SELF}\b",
    r"\bcut(?:s|ting)?\s+(?:his|her|my|their)\s+(?:arms?|wrists?|legs?|skin)\b",
    r"\bligature\b",
    # A missing child.
    rf"\b{_PERSON}\s+(?:is|has\s+gone|has\s+been|went|gone|has\s+run|has\s+ran|ran|run)\s+(?:missing|away)\b{_NOT_AN_OBJECT}",
    r"\b(?:ran|run|running)\s+away\s+from\s+home\b",
    r"\b(?:cant|can\s+not|cannot)\s+find\s+(?:my|our|him|her|them)\b",
    r"\b(?:hasnt|has\s+not|havent|have\s+not|didnt|did\s+not|not)\s+(?:come|came|been)\s+(?:back\s+)?home\b",
    r"\b(?:lost|missing)\s+(?:my|our)\s+(?:son|daughter|child|kid|boy|girl)\b",
    r"\bmissing\s+(?:child|person|since)\b",
    # A child at risk from someone.
    r"\b(?:hits|hit|beats|beat|beating|hitting|punches|punched|kicks|kicked|chokes|choked|abuses|abused|abusing|molest\w*|touching|touched|hurts|hurting|hurt)\s+(?:him|her|them|my\s+(?:son|daughter|child|kids|children|boy|girl))\b",
    r"\bbeing\s+(?:abused|hurt|hit|beaten|groomed|assaulted|attacked|threatened)\b",
    r"\b(?:sexual(?:ly)?|physical(?:ly)?|emotional(?:ly)?)\s+(?:abuse|abused|assault\w*)\b",
    r"\bdomestic\s+(?:abuse|violence)\b",
    r"\bthreaten\w*\s+to\s+(?:kill|hurt|stab)\b",
    r"\b(?:afraid|scared|frightened|terrified|fear)\s+for\s+(?:my|his|her|their|our)\s+(?:\w+\s+)?(?:life|lives|safety)\b",
    r"\b(?:is|are|am|feel|feels)\s+(?:in\s+danger|unsafe)\b|\bunsafe\s+at\s+home\b",
    r"\bsomeone\s+is\s+(?:hurting|harming|abusing)\b",
    r"\b(?:knife|knives|weapon)\b.*\b(?:threat\w*|attack\w*|stab\w*)\b",
    r"\bstab(?:bed|bing)?\s+(?:him|her|me|them|my)\b",
]
_MATCHERS = [re.compile(p) for p in _PATTERNS]
_STRETCH = re.compile(r"(\w)\1{2,}")
_DOUBLE = re.compile(r"(\w)\1+")
_SENTENCE_END = re.compile(r"[.!?;\n]+")
_NON_WORD = re.compile(r"[^a-z0-9\s|]+")
_BREAK = "|"  # kept between sentences, so "he is missing. the ..." is not read as "missing the"
_SPACES = re.compile(r"\s+")
# Clipped spellings the edit-distance pass cannot reach safely (too short).
_SHORT_FIXES = {"kil": "kill", "kll": "kill", "slef": "self", "sef": "self", "harn": "harm", "hram": "harm", "ded": "dead", "dye": "die", "urself": "yourself"}


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


_VOCABULARY_SET = frozenset(_VOCABULARY)


@lru_cache(maxsize=4096)
def _correct(token: str) -> str:
    if token in _VOCABULARY_SET:
        return token
    if token in _SHORT_FIXES:
        return _SHORT_FIXES[token]
    if len(token) < 5:
        return token
    limit = 1 if len(token) < 8 else 2
    for word in _VOCABULARY:
        if token != word and _edit_distance_at_most(token, word, limit):
            return word
    return token


def normalise(text: str, squeeze: bool = False) -> str:
    """Lower-case, strip accents and punctuation, and correct crisis misspellings.

    Stretched letters are cut to two ("diiiie" -> "diie"), or with squeeze=True
    to one ("diiiie" -> "die"), since both spellings of a word can be meant.
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("\u2019", "").replace("'", "")
    text = _NON_WORD.sub(" ", _SENTENCE_END.sub(f" {_BREAK} ", text))
    text = _DOUBLE.sub(r"\1", text) if squeeze else _STRETCH.sub(r"\1\1", text)
    tokens: List[str] = []
    for token in _SPACES.split(text.strip()):
        if token == _BREAK and (not tokens or tokens[-1] == _BREAK):
            continue
        tokens.append(token if token == _BREAK else _correct(token))
    if tokens and tokens[-1] == _BREAK:
        tokens.pop()
    return " ".join(tokens)


def crisis_signal(text: Optional[str], max_chars: int = 20000) -> Optional[int]:
    """Return the index of the first crisis pattern the text matches, or None."""
    if not text:
        return None
    for clean in (normalise(text[:max_chars]), normalise(text[:max_chars], squeeze=True)):
        for index, matcher in enumerate(_MATCHERS):
            if matcher.search(clean):
                return index
    return None


def is_crisis(text: Optional[str]) -> bool:
    """Return True if the message suggests someone is at risk of harm now."""
    return crisis_signal(text) is not None
