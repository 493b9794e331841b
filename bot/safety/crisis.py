"""Spot messages that suggest someone is at risk of harm now.

Threat: the worst mistake this assistant can make is to answer a question
about tribunals when the message also says a child wants to die, is missing,
is being hurt, or is seriously ill or injured. The NLU model is trained on
crisis wording, but a model can miss an unseen phrasing. This module is a
deterministic safety net that runs on every message, before anything else.
A miss can cost a life; a false alarm costs a parent an answer they did not
ask for and teaches them to skim the crisis message, so both are measured
(tests/safety/test_crisis_heldout.py: 100% recall, at most 0.5% false alarms).

Design, by category of risk rather than by phrase:
1. `crisis_text.normalise`: case, accents, punctuation, stretched letters and
   a small typo-corrected vocabulary ("unconcious", "sucidal", "self harn").
2. Rules by category (`crisis_rules`: suicide, self-harm, missing, violence,
   "can't keep safe"; `crisis_medical`: medical emergencies), each a phrase
   pattern with optional guards for words that are only alarming together.
3. Context (`_counts`): a match is discounted when the words just before it
   negate it ("no risk of suicide", "has never self-harmed"), when its sentence
   places it in the past ("a history of self-harm", "when she was 12") with
   nothing that brings it back ("again", "tonight", "started"), or when it is a
   care-plan question ("what should school do if his seizure lasts 5 minutes").
The text is never stored or logged here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from typing import Dict, FrozenSet, List, Optional, Tuple

from bot.safety.crisis_harm import MISSING, VIOLENCE
from bot.safety.crisis_medical import MEDICAL
from bot.safety.crisis_rules import MIND, Rule
from bot.safety.crisis_text import BREAK, normalise

__all__ = ["RULES", "crisis_signal", "is_crisis", "normalise", "rules_for"]

RULES: List[Rule] = [*MIND, *MISSING, *VIOLENCE, *MEDICAL]

_NEAR = 160  # characters either side in which a rule's second cue must occur
_CLAUSE = 120  # characters either side of a match that count as its context
_NEGATED = re.compile(
    r"\b(?:not|never|isnt|arent|wasnt|werent|doesnt|didnt|hasnt|havent|without|denies|denied|nor)(?:\s+\w+){0,2}$|"
    r"\bno(?:\s+(?:risk|risks|signs?|history|evidence|thoughts?|concerns?|mention|indication|intent|current|known|ongoing|"
    r"active|recent|further|more))?(?:\s+(?:of|about))?$"
)
_PAST = re.compile(
    r"\b(?:history\s+of|used\s+to|in\s+the\s+past|previously|previous|past\s+(?:history|self|suicid\w*|attempts?)|years?\s+ago|"
    r"months\s+ago|when\s+(?:he|she|they|i)\s+(?:was|were)\s+(?:little|younger|small|a\s+baby|a\s+toddler|\d+|in\s+year)|"
    r"as\s+a\s+(?:baby|toddler|child|young\s+child)|last\s+(?:year|term|month|summer|spring|autumn|winter)|no\s+longer|"
    r"doing\s+(?:much\s+|a\s+lot\s+|so\s+much\s+|really\s+)?(?:better|well|brilliantly|great|fine)|discharged|recovered|in\s+(?:19\d\d|20[0-2]\d))\b"
)
_RENEWED = re.compile(
    r"\b(?:again|right\s+now|tonight|today|currently|at\s+the\s+moment|this\s+(?:morning|afternoon|evening|week)|just\s+now|"
    r"started|restarted|back\s+to)\b"
)
_IF = re.compile(r"\b(?:if|when|whenever|in\s+case|incase|should\s+(?:he|she|they))\b")
_PLANNING = re.compile(
    r"\b(?:school|staff|teachers?|nursery|college|setting|ta|plan|policy|protocol|training|trained|carers?|respite|ehcp|"
    r"ever|should|would|happens|procedure)\b"
)
# Past-time phrases that only place a match in the past when the match itself is in the past
# tense: "she self-harmed in year 9" is history, "he is in year 9 and has taken an overdose" is not.
_PAST_TIME = re.compile(r"\b(?:(?:once|back|during|in)\s+(?:year|yr)\s+\d+|at\s+(?:primary|nursery|infant|junior)|once)\b")
_PAST_TENSE = re.compile(r"\w\w(?:ed|d)\b|\b(?:took|tried|cut|ran|went|had|did|was|were|got|hit|swallowed|ate|drank|left)\b")
_URGENT = re.compile(r"\b(?:right\s+now|help|please|pls|tonight|urgent|emergency|quick|quickly|asap)\b")


def _clause(clean: str, start: int, end: int) -> Tuple[str, str, str]:
    """Return the words before, the match's sentence around it, and the words after (within one sentence)."""
    left = clean.rfind(BREAK, max(0, start - _CLAUSE), start)
    right = clean.find(BREAK, end, end + _CLAUSE)
    left = max(0, start - _CLAUSE) if left < 0 else left + 1
    right = min(len(clean), end + _CLAUSE) if right < 0 else right
    return clean[left:start], clean[left:right], clean[end:right]


def _counts(rule: Rule, clean: str, match: "re.Match[str]") -> bool:
    """Return True if this match signals risk now, given the words around it."""
    before, sentence, after = _clause(clean, match.start(), match.end())
    last_words = " ".join(before.split()[-4:])
    if rule.not_before and rule.not_before.search(last_words):
        return False
    if rule.not_after and rule.not_after.match(after):
        return False
    if rule.near and not rule.near.search(clean, max(0, match.start() - _NEAR), match.end() + _NEAR):
        return False
    if rule.unless and rule.unless.search(sentence):
        return False
    if _NEGATED.search(last_words.strip()):
        return False
    past = _PAST.search(sentence) or (_PAST_TENSE.search(match.group(0)) and _PAST_TIME.search(sentence))
    if past and not _RENEWED.search(sentence):
        return False
    recent = " ".join(before.split()[-6:])
    return not (_IF.search(recent) and _PLANNING.search(sentence) and not _URGENT.search(sentence))


@lru_cache(maxsize=1)
def _anchor_index() -> Tuple[Dict[str, FrozenSet[int]], Tuple[int, ...]]:
    """Return each anchor stem's rules, and the stem lengths to try."""
    index: Dict[str, set] = defaultdict(set)
    for number, each in enumerate(RULES):
        for stem in each.anchors:
            index[stem].add(number)
    return {stem: frozenset(rules) for stem, rules in index.items()}, tuple(sorted({len(stem) for stem in index}))


def rules_for(clean: str) -> List[Rule]:
    """Return the rules worth running on this normalised text: those with an anchor stem in it."""
    index, lengths = _anchor_index()
    chosen: set = set()
    for token in set(clean.split()):
        for length in lengths:
            if length > len(token):
                break
            found = index.get(token[:length])
            if found:
                chosen |= found
    return [RULES[number] for number in sorted(chosen)]


def crisis_signal(text: Optional[str], max_chars: int = 20000) -> Optional[str]:
    """Return the kind of risk the text signals (e.g. "medical", "suicide"), or None."""
    if not text:
        return None
    clean = normalise(text[:max_chars])
    for rule in rules_for(clean):
        for match in rule.pattern.finditer(clean):
            if _counts(rule, clean, match):
                return rule.kind
    return None


def is_crisis(text: Optional[str]) -> bool:
    """Return True if the message suggests someone is at risk of harm now."""
    return crisis_signal(text) is not None


# Words that make a model's crisis guess plausible: without one of them, "crisis" is the
# model reading stress or a long post as risk (see components/crisis_guard.py).
_EVIDENCE = re.compile(
    r"\b(?:die|dead|dying|death|kill\w*|suicid\w*|unaliv\w*|harm\w*|hurt\w*|cut\w*|bleed\w*|blood|overdos\w*|pills|tablets|"
    r"meds|paracetamol|swallow\w*|poison\w*|bleach|breath\w*|unconscious|unresponsive|collaps\w*|seizures?|fit|fits|fitting|"
    r"chok\w*|blue|missing|disappear\w*|runaway|police|abus\w*|hit\w*|beat\w*|knife|weapon|danger\w*|unsafe|safe|"
    r"scared|terrified|frightened|goodbye|end|ending|life|living|alive|point|burden|crisis|emergency|ambulance|999|ae|"
    r"hospital|violent|attack\w*|threat\w*|jump\w*|bridge|roof|hang\w*|ligature|starv\w*|vomit\w*|faint\w*|forever|"
    r"anymore|enough|over|gone|done|stop)\b"
)


def risk_evidence(text: Optional[str], max_chars: int = 20000) -> bool:
    """Return True if the text has any word of risk at all, a much weaker test than `is_crisis`."""
    return text is not None and _EVIDENCE.search(normalise(text[:max_chars])) is not None
