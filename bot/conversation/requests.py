"""Does the parent ask for a form? Only an explicit request starts the letter, deadline or timeline form.

"The letter was dated 2 November" or "what should the letter say?" mention a
letter but ask for none; "can you help me write a letter to the school" and
"draft me a complaint letter" do. A button's payload ("/request_letter...")
is always a request. The same holds for the deadline and timeline tools:
"what date do I appeal by?" asks a question, "work out my deadline" asks for
the tool.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Optional

from bot.deadlines.reading import find_dates

_I = re.IGNORECASE
TOOL_WORDS = 25
_ASK = r"(?:help(?: me)?|can (?:you|u)|could (?:you|u)|would (?:you|u)|will (?:you|u)|please|pls|plz|i need (?:you )?to|" \
       r"i want (?:you )?to|i'?d like (?:you )?to|want to|need to|how (?:do|can|should) i)"
_WRITE = r"(?:write|writing|draft|drafting|do|make|prepare|compose|put together|word|start)"

LETTER_REQUEST = re.compile(
    rf"\b{_ASK}\b[^.?!]{{0,40}}?\b{_WRITE}\b[^.?!]{{0,40}}?\bletter\b|"          # can you help me write a letter
    rf"\b(?:write|draft|do|make|prepare)\s+(?:me|us)\s+(?:a|an|the|my|our)\b[^.?!]{{0,30}}?\bletter\b|"  # draft me a letter
    rf"^\s*(?:please\s+)?(?:write|draft|compose)\s+(?:a|an|the|my|our)\s+[^.?!]{{0,30}}?\bletter\b|"     # write a letter to..
    rf"\bletter\b[^.?!]{{0,40}}\bfor me\b|"                                      # write a letter to school for me
    rf"\bhelp (?:me )?with (?:a|the|my|writing a|writing the) letter\b|"
    rf"\b(?:letter template|template letter|model letter|letter for me|letter templates|templates?)\b|"
    rf"^\s*(?:a )?letter please\b|"
    rf"\b(?:i|we) (?:need|want|would like|'d like) (?:a|an|the) (?:\w+ ){{0,2}}le?tt?er\b|"      # i need a letter
    rf"\bcan (?:i|we) (?:get|have|download) (?:a|an|the) (?:\w+ ){{0,2}}letter\b|\bletter i can\b|"
    rf"\b(?:help me|can you|could you|pls|please)\s+(?:\w+\s+){{0,2}}(?:write|reply|respond|draft)\w*\s+(?:to|back)\b|"
    rf"\b(?:writ\w*|draft\w*|word)\b[^.?!]{{0,40}}\ble?tt?er\b[^.?!]{{0,20}}\b(?:for me|can you|could you)\b|"
    rf"\b(?:help me|can you|could you)\s+(?:\w+\s+){{0,3}}in (?:writing|a letter)\b|"
    rf"^\s*(?:draft|write)\s+(?:a|an|the|my)\s+(?:response|reply|complaint|email)\b|"
    rf"\ble?tt?er\b[^.?!]{{0,40}}\b(?:can (?:you|u) do it|for me)\b|"
    rf"^\s*(?:please\s+)?write to (?:the|my|our|kent|kcc|school)\b|\bhelp me (?:draft|write) it\b|"
    rf"\bhelp me\b[^.?!]{{0,40}}\bin a letter\b", _I)

# A short message that is only the name of a letter ("letter asking for mediation", "sar letter") asks for it,
# unless it says something about a letter the parent has (dated, came, says ...).
_LETTER_NAME = re.compile(r"^\s*(?:a |an |the )?(?:[\w-]+ ){0,3}le?tt?er\b", _I)
_ABOUT_A_LETTER = re.compile(r"\b(?:was|is|were|came|come|arrived|says|said|say|dated|date|from|got|had|received|"
                             r"opened|sent me|sent us|today|yesterday|\d)\b", _I)
_SHORT = 12

DEADLINE_REQUEST = re.compile(
    r"^\s*(?:so\s+)?(?:what'?s|whats|what is|when'?s|whens|when is|tell me|give me)\s+(?:my|our|the exact|my own|our own)"
    r"\s+(?:\w+\s+)?(?:deadline|due date|cut ?off|time ?limit)\b\s*(?:then|now|please|pls|for me)?\s*\??\s*$|"
    r"\b(?:deadl?ine?|date) (?:calculator|checker|calcuator)\b|\b(?:check|calculate|calcuate|tell me|count)\b[^.?!]{0,20}"
    r"\b(?:deadline|deadlne|weeks|days|dates?)\b|\bexact date\b|\bactual date\b|\bdo the maths\b|"
    r"\b(?:work|wrk) (?:it|out)\b[^.?!]{0,20}\b(?:deadline|deadlin|date|when)\b|\bcan (?:you|u) work it out\b|"
    r"\bin (?:my|our) case\b[^.?!]{0,20}\b(?:deadline|date|due)\b|\b(?:deadline|date|due)\b[^.?!]{0,30}\bin (?:my|our) case\b|"
    r"\b(?:work|working|figure|figuring)\s+out\s+(?:my|the|our|a|when)?\s*(?:own\s+)?(?:date|deadline|dates|deadlines|"
    r"time ?limit)|\bcalculat\w*\b[^.?!]{0,30}\b(?:date|deadline)|\bdeadline (?:calculator|tool|checker)\b|"
    r"\bwork(?:ing)? out (?:my|our) (?:own )?(?:date|deadline)", _I)

TIMELINE_REQUEST = re.compile(
    r"\btimeline\b|\bwhere (?:are|am|r) (?:we|i)\b[^.?!]{0,20}\b(?:up to|in the|at)\b|\bwher am i\b|\bwhat stage\b|"
    r"\bon track\b|\boverdue\b|\bhow far (?:along|through)\b|\bprogress\b|\blost track\b|\b(?:check|put) (?:all )?my dates\b|"
    r"\bwhat have they missed\b|\bhave they missed anything\b|\b(?:running late|behind) (?:with|on) (?:us|our)\b|"
    r"\bare they behind\b|\bwhat'?s done\b|\bnearly at the end\b|\bwhere (?:we|i) (?:are|am) up to\b|"
    r"\b(?:show|check|work out|track|see)\b[^.?!]{0,30}\b(?:timeline|where (?:we|i) are)\b|\bmy timeline\b|"
    r"\btimeline (?:tool|check)\b", _I)


def is_button(text: str) -> bool:
    """Return True for a button's payload ("/intent{...}"), which always asks for what it names."""
    return text.lstrip().startswith("/")


def asks_for_letter(text: str) -> bool:
    """Return True if the message asks for help writing a letter (not just mentions one)."""
    if is_button(text) or LETTER_REQUEST.search(text):
        return True
    return bool(_LETTER_NAME.search(text)) and len(text.split()) <= _SHORT and not _ABOUT_A_LETTER.search(text)


def asks_for_deadline_tool(text: str) -> bool:
    """Return True if the message asks the assistant to work out a date.

    A message that gives its own date ("it came on the 23rd, when's my
    deadline?") is answered from that date instead, and a long post is a
    question, not a request for a tool.
    """
    if is_button(text):
        return True
    return short_and_undated(text) and bool(DEADLINE_REQUEST.search(text))


def asks_for_timeline(text: str) -> bool:
    """Return True if the message asks for the EHC timeline check (same limits as the deadline tool)."""
    if is_button(text):
        return True
    return short_and_undated(text) and bool(TIMELINE_REQUEST.search(text))


def short_and_undated(text: str) -> bool:
    """Return True for a message short enough to be a request and holding no date of its own."""
    return len(text.split()) <= TOOL_WORDS and not find_dates(text, dt.date.today())


TOOL_INTENTS = {"request_letter": ("letter", asks_for_letter), "ask_deadline": ("deadline", asks_for_deadline_tool),
                "ask_timeline": ("timeline", asks_for_timeline)}


def tool_asked(intent: str, text: str) -> Optional[str]:
    """Return the form a message asks for ("letter", "deadline", "timeline"), or None.

    A tool's own intent needs words (or a button) that ask for it; an explicit
    letter request counts whatever topic the NLU read in it ("i need to write to
    kent to ask for an assessment, can you do the letter for me").
    """
    if intent in TOOL_INTENTS and TOOL_INTENTS[intent][1](text):
        return TOOL_INTENTS[intent][0]
    if not is_button(text) and asks_for_letter(text):
        return "letter"
    return None
