"""Redact personal details from parents' messages before they are stored.

Threat: parents tell SEND Navigator about their children's diagnoses, needs
and schooling.  That is special-category (health) data about children.  If
raw messages reach logs, tracker tables or analytics exports, anyone with
access to those stores can link the health details to an identifiable child
or family.  Every message is therefore passed through ``redact`` first.

Design: pure, pattern-based, standard library only.  Patterns are compiled
once, are anchored on cheap lookbehinds and use no nested unbounded
quantifiers, so run time stays linear on hostile input.  The rules err
towards over-redaction: a false placeholder costs a little context, a missed
detail leaks data.  Replacement is repeated until nothing changes, so
``redact(redact(x)) == redact(x)``.

Caught: e-mail addresses, full-length UK phone numbers, NHS numbers with a
valid modulus-11 check digit, full UK postcodes, dates that follow a
birth cue ("born", "DOB", "date of birth", ...), and names that follow a cue
("called", "named", "name is", "my son <Name>", "my nephew <Name>",
"<Name> is 7", "Dear <Name>"), surnames after a courtesy title in any case
("Mrs Khan", "mr hussain", "Dr. Patel's", "Mr van der Berg"), and names that
own a relative or a thing of a child's schooling ("Kacper's TA", "alfie's nan",
"Olamide's plan").

NOT caught (security review F14): names mentioned without a cue ("Tom hates
PE", "Amelia Jones in year 4"), lower-case names after a relation word
("my son ahmed"), names in scripts without capital letters, surnames on their own,
street addresses without a postcode, school names, dates of birth without a
cue, international (non-UK) phone numbers, NHS numbers with a bad check
digit that do not look like phone numbers, and any detail spelled out in
words ("oh seven seven ...").
"""

from __future__ import annotations

import re
from typing import Iterator, List, Tuple

EMAIL = "[email]"
PHONE = "[phone]"
NHS = "[nhs number]"
POSTCODE = "[postcode]"
DOB = "[date of birth]"
NAME = "[name]"

_MAX_PASSES = 4

# --- e-mail -----------------------------------------------------------------
_EMAIL_RE = re.compile(
    r"(?<![\w.%+\-'])[\w.%+\-']{1,64}@[^\W_](?:[\w\-]{0,62})"
    r"(?:\.[\w\-]{1,63}){1,8}"
)

# --- NHS number (checked by _nhs_checksum_ok) --------------------------------
_NHS_RE = re.compile(r"(?<![\d+])(\d{3})([ \-]?)(\d{3})\2(\d{4})(?!\d)")

# --- UK phone: 0 or +44/0044 (optionally "(0)"), then 9-10 more digits -------
_PHONE_RE = re.compile(
    r"(?<![\w+])"
    r"(?:(?:\+|00)[ ]?44[ \-]?(?:\([ ]?0[ ]?\)[ \-]?|0[ \-]?)?|\(?0)"
    r"[1-9](?:(?:[ \-.]|\)[ \-]?)?\d){8,9}"
    r"(?!\d)"
)

# --- UK postcode: full outward + inward code --------------------------------
_POSTCODE_RE = re.compile(
    r"(?<![^\W_])[A-Z]{1,2}\d[A-Z\d]?[ \t]?"
    r"\d(?!(?-i:st|nd|rd|th|am|pm)\b)[A-Z]{2}(?![^\W_])",
    re.IGNORECASE,
)

# --- date of birth: cue + date ----------------------------------------------
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
    r"|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?"
    r"|dec(?:ember)?)\b\.?"
)
_ORD = r"(?:st|nd|rd|th)?"
_DATE = (
    r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"
    r"|\d{4}-\d{1,2}-\d{1,2}"
    rf"|\d{{1,2}}{_ORD}(?:[ \t]+of)?[ \t]+{_MONTH}(?:,?[ \t]+\d{{4}}|[ \t]+'?\d{{2}})?"
    rf"|{_MONTH}[ \t]+\d{{1,2}}{_ORD}\b(?:,?[ \t]+\d{{4}})?"
    r")(?!\d)"
)
_DOB_RE = re.compile(
    r"(\b(?:born(?:[ \t]+on)?|d\.?[ \t]?o\.?[ \t]?b\b\.?|date[ \t]+of[ \t]+birth"
    r"|birth[ \t]?(?:day|date)(?:[ \t]+(?:is|was))?)"
    r"[ \t]{0,3}[:\-,]?[ \t]{0,3}(?:(?:is|was|on|the)[ \t]+){0,2})"
    rf"({_DATE})",
    re.IGNORECASE,
)

# --- names ------------------------------------------------------------------
_L = r"(?:[^\W\d_]|[\u0300-\u036f])"  # letter or combining accent
_PART = rf"[^\W\d_]{_L}*"
_WORD = rf"{_PART}(?:(?:-|['\u2019](?![sS]\b)){_PART}){{0,3}}(?![\w\u0300-\u036f])"
_NEXT = rf"(?=(?:[ \t]+(?:(?:and|&)[ \t]+)?({_WORD}))?)"

_CUE_RE = re.compile(
    r"(?:\b(?:is|was|are|were|be|being)[ \t]+called|['\u2019]s[ \t]+called"
    r"|\bnamed|\bname[ \t]+(?:is|was)|\bname['\u2019]s|\bknown[ \t]+as"
    r"|\bgoes[ \t]+by)"
    rf"[ \t]+({_WORD}){_NEXT}",
    re.IGNORECASE,
)
_REL_RE = re.compile(  # case-sensitive: "Child Benefit" is not a cue
    r"\b(?:step-?|grand|god|half-)?"
    r"(?:son|daughter|child|children|boy|girl|kid|twin|husband|wife|partner"
    r"|brother|sister|nephew|niece|cousin)s?"
    rf"(?:[ \t]*,)?[ \t]+({_WORD}){_NEXT}"
)
# After a courtesy title even a lower-case word is a surname ("mrs abara"), and so is a
# particle ("Mr van der Berg"); common words after one are not ("Miss said").
_PARTICLES = r"(?:(?:van|von|de|der|den|da|di|du|le|la)[ \t]+){0,2}"
_TITLE_RE = re.compile(
    rf"\b(?:mr|mrs|ms|miss|mx|dr|prof)\b\.?[ \t]+({_PARTICLES}{_WORD}){_NEXT}", re.IGNORECASE
)
_DEAR_RE = re.compile(rf"\b[Dd]ear[ \t]+({_WORD}){_NEXT}")
# A name owning a person or a thing of a child's schooling: "Kacper's TA", "ayesha's review".
_OWNED = (
    r"mum|mom|dad|nan|nana|nanny|gran|granny|grandma|grandad|grandpa|aunt|auntie|aunty|uncle"
    r"|brother|sister|twin|carer|teacher|ta|senco|ep|ot|slt|paediatrician|therapist|speech"
    r"|social[ \t]+worker|key[ \t]?worker|plan|ehcp|ehc|review|annual|transport|school|class"
    r"|diagnosis|assessment|report|needs|support|provision|placement|timetable|medication|meds"
    r"|appointment|referral|statement"
)
_OWNER_RE = re.compile(rf"(?<![\w'\u2019\-])({_WORD})['\u2019]s[ \t]+(?i:{_OWNED})\b")
_NOT_OWNERS = frozenset(
    """everyone everybody someone somebody anyone anybody nobody noone government ombudsman
    judge kcc kent ofsted ipsea iask pact dfe panel hub""".split()
)
_AGE_NUM = (
    r"\d{1,2}(?![\d%]|[.:,]\d|[ \t]*(?:%|percent\b|per\b|weeks?\b|days?\b"
    r"|months?\b|hours?\b|hrs?\b|mins?\b|minutes?\b|miles?\b|km\b|am\b|pm\b"
    r"|[ap]\.m|th\b|st\b|nd\b|rd\b|o['\u2019]clock))"
)
_AGED = r"(?:aged?[ \t]+)?"
_AGE_CUE = (
    r"(?=[ \t]*(?:"
    rf"\([ \t]*{_AGED}\d{{1,2}}(?:[ \t]*(?:years?|yrs?)(?:[ \t]+old)?)?[ \t]*\)"
    rf"|,[ \t]*{_AGED}\d{{1,2}}[ \t]*(?:,|years?\b|yrs?\b|y/?o\b)"
    r"|[ \t]+(?:is|was|turned|turns|aged|who[ \t]+is)[ \t]+"
    rf"(?:(?:now|nearly|almost|just|only)[ \t]+)?{_AGE_NUM}"
    r"))"
)
_AGE_RE = re.compile(
    rf"(?<![\w'\u2019\-])(?:({_WORD})[ \t]+)?({_WORD}){_AGE_CUE}"
)

_STOP = frozenset(
    """
    i a an the and or but so if as at by for from in into of off on onto out
    over to up with without about after before since until than then there
    here when where while who whom whose which what why how yes no not nor
    he she they it we you me him her them us my his our their your its this
    that these those is are was were be been being am do does did done has
    have had having will would shall should can could may might must also
    just only still even very really too now today tomorrow yesterday
    tonight later soon always never sometimes often again please thanks
    thank hi hello dear sir madam mr mrs ms miss dr
    monday tuesday wednesday thursday friday saturday sunday
    january february march april june july august september october
    november december jan feb mar apr jun jul aug sep sept oct nov dec
    year years age aged month months week weeks day days term half
    son daughter child children boy girl kid kids twin twins husband wife
    partner brother sister baby mum mom dad mother father parent parents
    family grandparent carer carers stepson stepdaughter grandson
    granddaughter foster
    school schools college nursery academy class classes group team unit
    council authority tribunal appeal panel plan plans section sections
    part stage key reception primary secondary infant infants junior
    juniors sixth form teacher teachers head headteacher assistant
    attendance deadline report reports review reviews assessment
    support service services benefit benefits tax care trust fund centre
    center clinic hospital health social development protection allowance
    autistic autism dyslexic dyslexia dyspraxia epilepsy epileptic
    diabetic deaf blind disabled nonverbal non-verbal adhd asd asc add pda
    ehcp ehc ehcps sen send senco sendco sendiass iasis ipsea camhs nhs gp
    ot salt slt ta la lea dla pip ks ks1 ks2 ks3 ks4 gcse gcses sats
    has had gets got goes went attends attended loves likes hates needs
    struggles struggled started starts finished finishes lives lived
    says said does did is was can cannot cant won't wont doesnt doesn't
    isn't isnt wasn't wasnt hasn't hasnt has't aged also both all any
    some each every other another same new old young little big first
    last next one two three four five six seven eight nine ten eleven
    twelve ok okay well because though although however therefore
    english england uk
    """.split()
)


def _nhs_checksum_ok(digits: str) -> bool:
    """Return True if a 10-digit string passes the NHS modulus-11 check."""
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _nhs_sub(match: re.Match[str]) -> str:
    """Replace a 3-3-4 digit group with a placeholder if its checksum holds."""
    digits = match.group(1) + match.group(3) + match.group(4)
    return NHS if _nhs_checksum_ok(digits) else match.group(0)


def _postcode_sub(match: re.Match[str]) -> str:
    """Replace a postcode, sparing mixed-case statute refs such as "s509AA"."""
    code = match.group(0)
    letters = [c for c in code if c.isalpha()]
    mixed = any(c.isupper() for c in letters) and any(c.islower() for c in letters)
    return code if mixed and " " not in code and "\t" not in code else POSTCODE


def _dob_sub(match: re.Match[str]) -> str:
    """Keep the birth cue and replace the date after it."""
    return match.group(1) + DOB


def _is_name(word: str | None) -> bool:
    """Return True if a cued word looks like a personal name."""
    return (
        word is not None
        and len(word) >= 2
        and word[0].isupper()
        and word.lower() not in _STOP
    )


# Cheap tests of what a rule's pattern cannot match without, so that most messages skip its slow search:
# every age cue has a digit, an owner an apostrophe and "s", a naming cue one of these words.
_HAS_DIGIT = re.compile(r"\d")
_CUE_WORDS = ("call", "name", "known", "goes")


def _may_cue(text: str) -> bool:
    lowered = text.casefold()  # as the pattern's IGNORECASE folds (the long s, the Kelvin sign)
    return any(word in lowered for word in _CUE_WORDS)


def _cued_spans(pattern: re.Pattern[str], text: str) -> Iterator[Tuple[int, int]]:
    """Yield spans of a cued name and, if also a name, the word after it."""
    for m in pattern.finditer(text):
        if _is_name(m.group(1)):
            yield m.span(1)
            if _is_name(m.group(2)):
                yield m.span(2)


def _is_titled(word: str | None) -> bool:
    """Return True if a word after a courtesy title is a surname (any case, not a common word)."""
    return word is not None and len(word) >= 2 and word.lower() not in _STOP


def _title_spans(text: str) -> Iterator[Tuple[int, int]]:
    """Yield spans of surnames after a title ("Mrs Khan", "Dr. Patel's"), and a second name after one."""
    for m in _TITLE_RE.finditer(text):
        if _is_titled(m.group(1)):
            yield m.span(1)
            if _is_name(m.group(2)):
                yield m.span(2)


def _owner_spans(text: str) -> Iterator[Tuple[int, int]]:
    """Yield spans of names that own a relative or a thing of schooling ("Olamide's plan")."""
    if "'s" not in text and "\u2019s" not in text:
        return
    for m in _OWNER_RE.finditer(text):
        word = m.group(1)
        if _is_titled(word) and word.lower() not in _NOT_OWNERS and not word.isupper():
            yield m.span(1)


def _age_spans(text: str) -> Iterator[Tuple[int, int]]:
    """Yield spans of names directly followed by an age ("Tom is 7")."""
    if not _HAS_DIGIT.search(text):
        return
    for m in _AGE_RE.finditer(text):
        if _is_name(m.group(2)):
            yield m.span(2)
            if _is_name(m.group(1)):
                yield m.span(1)


def _replace_spans(text: str, spans: List[Tuple[int, int]], token: str) -> str:
    """Replace the given (possibly overlapping) spans of text with token."""
    out: List[str] = []
    pos = 0
    for start, end in sorted(spans):
        if start < pos:  # overlaps a span already replaced
            pos = max(pos, end)
            continue
        out.append(text[pos:start])
        out.append(token)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _redact_names(text: str) -> str:
    """Replace names that follow a cue or precede an age."""
    spans = list(_cued_spans(_CUE_RE, text)) if _may_cue(text) else []
    spans += _cued_spans(_REL_RE, text)
    spans += _age_spans(text)
    spans += _title_spans(text)
    spans += _cued_spans(_DEAR_RE, text)
    spans += _owner_spans(text)
    return _replace_spans(text, spans, NAME) if spans else text


def _redact_once(text: str) -> str:
    """Apply every redaction rule once, in a fixed order."""
    if "@" in text:
        text = _EMAIL_RE.sub(EMAIL, text)
    text = _DOB_RE.sub(_dob_sub, text)
    text = _NHS_RE.sub(_nhs_sub, text)
    text = _PHONE_RE.sub(PHONE, text)
    text = _POSTCODE_RE.sub(_postcode_sub, text)
    return _redact_names(text)


def redact(text: str) -> str:
    """Return text with personal details replaced by placeholders."""
    if not text:
        return text
    for _ in range(_MAX_PASSES):
        new = _redact_once(text)
        if new == text:
            break
        text = new
    return text
