"""Which event started the clock, and which of its clocks the parent asks about, from their own words.

A knowledge entry (the NLU's topic) can have several events: the annual
review topic covers the review meeting and the next review; mediation covers
declining it and asking the council for it. KB_RULES lists them, the default
first. EVENT_CUES says, in order of priority, the words that pick a
non-default event; a topic in CUE_ONLY has no default (a tribunal-process
question with a date is about a tribunal order only if it says so). Judicial
review can be named under any topic.

One event can start several clocks (an assessment request starts three).
CLOCK_CUES picks the one asked about ("when is the final plan due"); without
a cue the event's first clock is the answer. Words the parent says they are
NOT asking about ("not the decision", "I know the draft is due sooner") are
removed first.
"""

from __future__ import annotations

import re
from typing import Dict, Optional, Pattern, Sequence, Tuple

# Knowledge entry -> the rules (events) that start its clocks; the first is the default.
KB_RULES: Dict[str, Tuple[str, ...]] = {
    "ehc-assessment-timescales": ("assessment-request",),
    "ehc-draft-plan": ("draft-plan",),
    "ehc-annual-review": ("annual-review", "next-review"),
    "ehc-phase-transfer": ("phase-transfer-school", "phase-transfer-post16", "phase-transfer-post16-move"),
    "tribunal-deadlines": ("decision-letter", "certificate-issued"),
    "mediation": ("mediation-declined", "mediation-requested"),
    "tribunal-process": ("tribunal-order-assess", "tribunal-order-make-plan", "tribunal-order-amend",
                         "tribunal-order-school"),
    "complaint-council": ("council-complaint",),
    "complaint-health": ("nhs-complaint",),
    "disability-discrimination-claim": ("discrimination-claim",),
}
CUE_ONLY = frozenset({"ehc-phase-transfer", "tribunal-process"})
# What "which was it?" asked under a CUE_ONLY topic, read before the parent's answer ("it's to amend B and F" is
# about the order).
ASKED_ABOUT = {"tribunal-process": "the tribunal order: "}
ANY_TOPIC = ("judicial-review",)
NOT_FOR = frozenset({"crisis"})  # a crisis answer never carries a deadline

_I = re.IGNORECASE
_ORDERED = r"(?=.*\b(?:order\w*|won(?![’'])|win)\b)"  # a tribunal-order event needs the order itself mentioned
_NOT_ASKED = re.compile(r"\b(?:not asking (?:about|for)|not about|not the|do ?n'?t care about|do not care about)\s+"
                        r"[\w ]{0,30}?(?=[,.;:!?)]|\s+(?:just|but|and)\b|$)|"
                        r"\bi (?:already )?know (?:that )?[\w ]{0,20}?\bis due\b[\w ]*", _I)
_NEGATED = re.compile(r"\b(?:not|never|no|do ?n'?t|didn'?t|didnt|doesn'?t|won'?t|did not|do not)\s+(?:\w+\s+)?$", _I)

EVENT_CUES: Tuple[Tuple[str, Pattern[str]], ...] = (
    ("judicial-review", re.compile(r"\bjudicial review\b|\bjr\b", _I)),
    ("council-complaint", re.compile(r"\bombudsman\b|\blgs?co\b|\blgo\b", _I)),  # beats a remembered "judicial review"
    ("tribunal-order-amend", re.compile(_ORDERED + r".*(?:\bamend\w*|\bchanges? to (?:section|the plan|his plan|"
                                        r"her plan)|\bsections? [bf]\b)", _I | re.S)),
    ("tribunal-order-school", re.compile(_ORDERED + r".*(?:\bsection i\b|\bplacement\b|\bname (?:the|a|our|his|"
                                         r"her) (?:school|college)|\b(?:school|college) (?:named|we wanted))",
                                         _I | re.S)),
    ("tribunal-order-make-plan", re.compile(_ORDERED + r".*(?:\bmake and maintain\b|\b(?:make|issue|produce|write)"
                                            r"\s+(?:a|an)\s+(?:ehc\s*)?(?:plan|ehcp)\b)", _I | re.S)),
    ("tribunal-order-assess", re.compile(_ORDERED + r".*\b(?:re-?)?assess", _I | re.S)),
    ("next-review", re.compile(r"\bnext (?:annual )?review\b|\bnext one\b|\bfirst (?:annual )?review\b|"
                               r"\bdecision letter\b|\b(?:plan|ehcp)\s+(?:was|were|got|has been)\s+(?:first\s+)?"
                               r"issued\b", _I)),
    ("mediation-requested", re.compile(r"\b(?:yes to|do want|would like|'d like|want|wanted|wish|wishes|asked for|"
                                       r"request\w*|agreed to|chose|choose)\s+(?:to\s+)?(?:have\s+|go\s+to\s+|try\s+|"
                                       r"attend\s+|proceed\s+with\s+|go\s+ahead\s+with\s+)?mediat", _I)),
    ("certificate-issued", re.compile(r"\bcert(?:ificate)?s?\b", _I)),
    ("phase-transfer-post16-move", re.compile(r"\b(?:current|one|old|existing)\s+(?:fe\s+)?college\b|\bcolleges\b|"
                                              r"\bcollege\s+now\b|\banother\s+(?:fe\s+)?college\b|"
                                              r"\bbetween\s+(?:colleges|post[- ]?16)", _I)),
    ("phase-transfer-post16", re.compile(r"\b(?:college|post[- ]?16|sixth form|6th form|year 11|yr 11|"
                                         r"leaving school|fe)\b", _I)),
    ("phase-transfer-school", re.compile(r"\b(?:secondary|primary|junior|juniors|infant|reception|nursery|school|"
                                         r"year [0-9]|yr [0-9])\b", _I)),
)

_NO_PLAN = re.compile(r"\b(?:not|won'?t|wont|n't|never)\s+(?:be\s+)?(?:going\s+to\s+)?(?:to\s+)?(?:issu\w*|do\w*|"
                      r"mak\w*|giv\w*|get\w*|writ\w*)\s+(?:(?:him|her|them|us)\s+)?(?:a|an|the)?\s*(?:ehc\s*)?"
                      r"(?:plan|ehcp)\b|\bdecid\w*\s+(?:not|no|against)\b|\b16 ?weeks?\b|\brefus\w*\s+to\s+"
                      r"(?:issue|make)\b|\bno (?:ehcp|ehc plan|plan)\b(?!\s+yet)|"
                      r"\bit'?s a no\b(?![^.?!]*\bassess)", _I)
_FINAL = re.compile(r"\bfinal\b|\bfinished plan\b|\bactual plan\b|\bplan (?:be |is )?(?:issued|sent|ready|done|out)\b|"
                    r"\b(?:20|12|11|14) ?weeks?\b|\bwhole process\b", _I)
CLOCK_CUES: Tuple[Tuple[Tuple[str, ...], Pattern[str]], ...] = (
    (("assessment-no-plan", "tribunal-order-assess-no-plan"), _NO_PLAN),
    (("tribunal-order-draft-plan",), re.compile(r"\bdraft\b", _I)),
    (("assessment-final-plan", "review-final-plan", "tribunal-order-make-plan", "tribunal-order-assess-plan"),
     _FINAL),
)


def asked(text: str) -> str:
    """Return the text without what the parent says they are not asking about."""
    return _NOT_ASKED.sub(" ", text)


def _says(rule_id: str, pattern: Pattern[str], text: str) -> bool:
    for match in pattern.finditer(text):
        if rule_id != "mediation-requested" or not _NEGATED.search(text[:match.start()]):
            return True  # "we don't want mediation" does not ask the council for it
    return False


def events_of(kb_id: str) -> Tuple[str, ...]:
    """Return the events a date under this topic can start: its own, then those any topic can name."""
    return () if kb_id in NOT_FOR else KB_RULES.get(kb_id, ()) + ANY_TOPIC


def cued_event(kb_id: str, text: str) -> Optional[str]:
    """Return the event the message's own words name under this topic ("judicial review"), or None."""
    candidates = events_of(kb_id)
    words = asked(text)
    for rule_id, pattern in EVENT_CUES:
        if rule_id in candidates and _says(rule_id, pattern, words):
            return rule_id
    return None


def default_event(kb_id: str) -> Optional[str]:
    """Return the event a date under this topic starts when nothing names one, or None if it must be named."""
    topic = KB_RULES.get(kb_id, ())
    return topic[0] if topic and kb_id not in CUE_ONLY and kb_id not in NOT_FOR else None


def choose_event(kb_id: str, text: str) -> Optional[str]:
    """Return the event the message is about under this topic, or None if the topic has none."""
    return cued_event(kb_id, text) or default_event(kb_id)  # both give nothing for a topic in NOT_FOR


def choose_clock(text: str, clocks: Sequence[str]) -> Optional[str]:
    """Return the clock the message asks about among these, or None to use the event's first."""
    words = asked(text)
    for rules, pattern in CLOCK_CUES:
        wanted = [r for r in clocks if r in rules]
        if wanted and pattern.search(words):
            return wanted[0]
    return None
