"""Tests for bot.safety.redact: table-driven cases plus property-based checks."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.safety.redact import redact

CASES = [
    # --- e-mail ---------------------------------------------------------------
    ("email me at jane.doe@example.com", "email me at [email]"),
    ("J.Smith+send@school.kent.sch.uk.", "[email]."),
    ("Contact: tom_o'neill99@mail.co.uk,", "Contact: [email],"),
    ("see x@y.co or a-b@c-d.org", "see [email] or [email]"),
    ("not an email: @home and a@b", "not an email: @home and a@b"),
    # --- phone: mobiles -------------------------------------------------------
    ("call 07700 900123", "call [phone]"),
    ("call 07700-900-456 now", "call [phone] now"),
    ("07700900789", "[phone]"),
    ("my mobile is 07911 123456.", "my mobile is [phone]."),
    ("+447700900456", "[phone]"),
    ("+44 7700 900456 or +44 (0)7700 900123", "[phone] or [phone]"),
    ("0044 7700 900 123", "[phone]"),
    # --- phone: landlines -----------------------------------------------------
    ("office 01622 694000", "office [phone]"),
    ("(01622) 694000", "[phone]"),
    ("ring 020 7946 0018", "ring [phone]"),
    ("+44 (0)20 7946 0018", "[phone]"),
    ("0300 123 4567 or 0800 123 4567", "[phone] or [phone]"),
    ("0808 800 5000", "[phone]"),
    # --- phone: negatives -----------------------------------------------------
    ("Call 999 or 111 now", "Call 999 or 111 now"),
    ("Samaritans 116 123, text SHOUT to 85258", "Samaritans 116 123, text SHOUT to 85258"),
    ("Childline 0800 1111", "Childline 0800 1111"),
    ("ref 0123 4567", "ref 0123 4567"),
    ("card 0770 0900 1234 5678", "card 0770 0900 1234 5678"),
    # --- NHS numbers ----------------------------------------------------------
    ("NHS no 943 476 5919", "NHS no [nhs number]"),
    ("NHS: 943-476-5919.", "NHS: [nhs number]."),
    ("nhs 9434765919", "nhs [nhs number]"),
    ("bad checksum 943 476 5918", "bad checksum 943 476 5918"),
    ("check digit ten 123 456 7890", "check digit ten 123 456 7890"),
    ("0161496000", "[phone]"),  # fails the NHS checksum, but is a landline shape
    ("0123456789", "[nhs number]"),  # valid checksum wins over the phone rule
    # --- postcodes ------------------------------------------------------------
    ("we live at ME14 1XQ", "we live at [postcode]"),
    ("CT1 2EH and TN23 1PL", "[postcode] and [postcode]"),
    ("postcode me141xq", "postcode [postcode]"),
    ("SW1A 1AA.", "[postcode]."),
    ("sw1a1aa", "[postcode]"),
    ("She is in Y6 and did form S35", "She is in Y6 and did form S35"),
    ("road A1, vitamin B12, KS2 SATs", "road A1, vitamin B12, KS2 SATs"),
    ("room A1 3rd floor at Y6 3pm", "room A1 3rd floor at Y6 3pm"),
    ("PLAN2 4YOU", "PLAN2 4YOU"),
    ("Education Act 1996 s509AA", "Education Act 1996 s509AA"),
    ("Me14 1xq", "[postcode]"),
    # --- dates of birth -------------------------------------------------------
    ("DOB 05/01/2015", "DOB [date of birth]"),
    ("D.O.B: 5.1.15", "D.O.B: [date of birth]"),
    ("he was born on 5th Jan 2015.", "he was born on [date of birth]."),
    ("born 5 January 2015", "born [date of birth]"),
    ("date of birth is January 5 2015", "date of birth is [date of birth]"),
    ("her birthday is 5th of March", "her birthday is [date of birth]"),
    ("birthday was 2015-01-05", "birthday was [date of birth]"),
    ("deadline 05/01/2025, review 5 January 2025", "deadline 05/01/2025, review 5 January 2025"),
    ("born at 28 weeks", "born at 28 weeks"),
    # --- names after a naming cue ---------------------------------------------
    ("my son is called Tom", "my son is called [name]"),
    ("my daughter's name is Amira.", "my daughter's name is [name]."),
    ("His name is Jack and he is 7", "His name is [name] and he is 7"),
    ("she is called Zoë", "she is called [name]"),
    ("a boy named Oliver", "a boy named [name]"),
    ("she is called Mary Jane", "she is called [name] [name]"),
    ("he's called Seán O'Brien", "he's called [name] [name]"),
    # --- names after a relationship word --------------------------------------
    ("my son Tom has ADHD", "my son [name] has ADHD"),
    ("my daughter Lily-Mae", "my daughter [name]"),
    ("my son, Ali, is autistic", "my son, [name], is autistic"),
    ("our foster daughter Chloé", "our foster daughter [name]"),
    ("my stepson Kai and my granddaughter Ava", "my stepson [name] and my granddaughter [name]"),
    ("my twins Ben and Sam", "my twins [name] and [name]"),
    ("my husband Dave", "my husband [name]"),
    ("my son Tom's EHCP", "my son [name]'s EHCP"),
    # --- names before an age --------------------------------------------------
    ("Tom is 7", "[name] is 7"),
    ("Amira is 12 years old", "[name] is 12 years old"),
    ("Jack (7) and Ruby (aged 4)", "[name] (7) and [name] (aged 4)"),
    ("Oliver, 7, is autistic", "[name], 7, is autistic"),
    ("Today Tom is 7", "Today [name] is 7"),
    # --- names: negatives -----------------------------------------------------
    ("my son is Autistic", "my son is Autistic"),
    ("my daughter In year 6", "my daughter In year 6"),
    ("He is 7. She is 12.", "He is 7. She is 12."),
    ("My son is 7", "My son is 7"),
    ("It is 7 miles. Attendance is 85%.", "It is 7 miles. Attendance is 85%."),
    ("Year 6, 7, 8", "Year 6, 7, 8"),
    ("my child The school", "my child The school"),
    ("Child Benefit and the Child Development Centre", "Child Benefit and the Child Development Centre"),
    ("my son is called tom", "my son is called tom"),
    ("I called Monday", "I called Monday"),
    # --- untouched text and edge inputs ---------------------------------------
    ("", ""),
    ("What is an EHCP?", "What is an EHCP?"),
    ("🙂 我的儿子 \x00\x1b\u200b", "🙂 我的儿子 \x00\x1b\u200b"),
    ("Section 19 of the Children and Families Act 2014", "Section 19 of the Children and Families Act 2014"),
    # --- mixed ----------------------------------------------------------------
    (
        "My son Tom (7), DOB 05/01/2015, NHS 943 476 5919, ME14 1XQ, 07700 900123, t@x.com",
        "My son [name] (7), DOB [date of birth], NHS [nhs number], [postcode], [phone], [email]",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_redact_table(text: str, expected: str) -> None:
    """Check each input maps to its expected redaction."""
    assert redact(text) == expected


# --- property-based tests ---------------------------------------------------

_PRINTABLE = st.text(alphabet=string.printable, max_size=40)
_ALNUM = string.ascii_letters + string.digits


def _nhs_check(first9: str) -> int:
    """Return the modulus-11 check digit for nine digits (10 means invalid)."""
    check = 11 - sum(int(d) * w for d, w in zip(first9, range(10, 1, -1))) % 11
    return 0 if check == 11 else check


@st.composite
def emails(draw: st.DrawFn) -> str:
    """Draw a plausible e-mail address."""
    first = draw(st.sampled_from(_ALNUM))
    local = first + draw(st.text(alphabet=_ALNUM + "._+-", max_size=20))
    labels = draw(st.lists(st.text(alphabet=_ALNUM, min_size=1, max_size=10), min_size=1, max_size=3))
    tld = draw(st.text(alphabet=string.ascii_lowercase, min_size=2, max_size=6))
    return f"{local}@{'.'.join(labels)}.{tld}"


@st.composite
def uk_mobiles(draw: st.DrawFn) -> str:
    """Draw a UK mobile number in a common written format."""
    if draw(st.booleans()):
        rest = "700900" + draw(st.text(alphabet=string.digits, min_size=3, max_size=3))
    else:
        rest = draw(st.text(alphabet=string.digits, min_size=9, max_size=9))
    head, tail = "7" + rest[:3], rest[3:]
    formats = [
        f"0{head} {tail}", f"0{head}{tail}", f"0{head}-{tail}",
        f"0{head} {tail[:3]} {tail[3:]}", f"+44{head}{tail}",
        f"+44 {head} {tail}", f"+44 (0){head} {tail}",
    ]
    return draw(st.sampled_from(formats))


@st.composite
def nhs_numbers(draw: st.DrawFn) -> str:
    """Draw an NHS number with a valid check digit in a common format."""
    first9 = draw(
        st.text(alphabet=string.digits, min_size=9, max_size=9).filter(lambda d: _nhs_check(d) != 10)
    )
    digits = first9 + str(_nhs_check(first9))
    sep = draw(st.sampled_from(["", " ", "-"]))
    return f"{digits[:3]}{sep}{digits[3:6]}{sep}{digits[6:]}"


@settings(max_examples=300, database=None)
@given(prefix=_PRINTABLE, secret=st.one_of(emails(), uk_mobiles(), nhs_numbers()), suffix=_PRINTABLE)
def test_identifiers_never_survive(prefix: str, secret: str, suffix: str) -> None:
    """Check an embedded e-mail, mobile or NHS number is always removed."""
    assert secret not in redact(f"{prefix} {secret} {suffix}")


@settings(max_examples=500, database=None)
@given(st.text())
def test_never_raises_and_idempotent(text: str) -> None:
    """Check arbitrary text is handled and a second pass changes nothing."""
    once = redact(text)
    assert isinstance(once, str)
    assert redact(once) == once


_FRAGMENTS = [
    "my son ", "is called ", "name is ", "Tom", "Mary", "O'Brien", "Zoë", " is ", "7", " (7)",
    ", 7,", "07700", " 900123", "+44", "(0)", "943 476 5919", "@", "a", ".", "ME14", " 1XQ",
    "DOB ", "born on ", "5 Jan ", "2015", "05/01/", " ", "-", "'s", " and ", "\n", "The",
]


@settings(max_examples=500, database=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=25).map("".join))
def test_idempotent_on_tricky_fragments(text: str) -> None:
    """Check idempotence on text built from pattern-shaped pieces."""
    once = redact(text)
    assert redact(once) == once


_PLAIN = st.text(
    alphabet=st.characters(exclude_categories=("Lu", "Lt", "Nd"), exclude_characters="@"),
).filter(lambda s: not any(c.isdigit() or c.isupper() for c in s))


@settings(database=None)
@given(_PLAIN)
def test_plain_text_unchanged(text: str) -> None:
    """Check text with no digits, '@' or capitals is returned unchanged."""
    assert redact(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "0 " * 50000,
        "a@" * 50000,
        "my son is called " * 5000,
        "a" * 100000,
        "a.a@" * 25000,
        "x@" + "a." * 50000,
        "07700 " * 16000,
        "Tom is " * 14000,
        "son Tom " * 12000,
        "born on " * 12000,
        "A1 " * 33000,
        "Aa-" * 33000,
    ],
)
def test_adversarial_input_completes(text: str) -> None:
    """Check long repetitive input finishes (no catastrophic backtracking)."""
    assert isinstance(redact(text), str)
