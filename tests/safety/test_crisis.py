"""Tests for bot.safety.crisis: a table of crisis and ordinary SEND messages, plus properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from bot.safety.crisis import crisis_signal, is_crisis, normalise

CRISIS = [
    # Suicide and wanting to die.
    "my son says he wants to kill himself",
    "she told me she is suicidal",
    "he keeps talking about suicide",
    "SUICIDE!!!",
    "i am going to kill myself",
    "she wants to die",
    "she's ready to die",
    "he said he wishes he was dead",
    "My son, who has ADHD, keeps saying he'd be better off dead",
    "she keeps saying everyone would be better off without her",
    "he says he doesnt want to live anymore",
    "my daughter said she doesn't want to be alive",
    "she said there is no point in living",
    "he talks about ending his life",
    "she wants to end it all",
    "he tried to take his own life last year and is talking about it again",
    "he said he's going to hang himself",
    "he said nobody would miss him",
    "she's saying she can't go on anymore",
    "my daughter wants to disappear forever",
    "she said she would jump off the bridge",
    "he is not safe around himself",
    # Typos and odd spelling.
    "my son wants to commit sucide",
    "my daughter is having sucidal thoughts",
    "she is suicdal",
    "my son said he will kil himself",
    "she said she wants to kill herslef",
    "he wants to kill hisself",
    "my son sayd he will kill him self",
    "suuuuicide",
    "HE WANTS TO KILL HIMSELF",
    # Self-harm.
    "she has been self harming",
    "my son has started to self harn",
    "she is cutting herself",
    "he's been cutting his arms",
    "my daughter burns herself with a lighter",
    "he hurts himself when he is upset",
    "he's been hurting himslef",
    "she has a ligature",
    "he was strangling himself",
    # Overdose.
    "she took an overdose last night",
    "he took an ovrdose",
    "he overdosed on his meds",
    "she took a handful of paracetamol",
    "he swallowed loads of tablets",
    "he has paracetamol saved up",
    # A missing child.
    "my son is missing",
    "my son has gone misssing",
    "my son has gone mising",
    "my daughter has run away",
    "he ran away from home this morning",
    "i cant find my son anywhere",
    "she hasn't come home from school and it's 9pm",
    "my child is missing since this afternoon",
    # A child being hurt.
    "my husband hits my son",
    "his dad beats him",
    "she is being abused at home",
    "i think he is being groomed online",
    "someone is hurting my daughter",
    "her stepdad touched her",
    "my daughter is being sexually abused",
    "he threatened to kill her",
    "he is in danger",
    # Mixed with SEND text.
    "we are waiting for an EHCP and my son said he wants to kill himself",
    "the tribunal is next week but she has been self-harming again",
    "SENCO rang, my autistic son has gone missing from school",
    "she keeps saying she wants to die and the school won't listen",
    "The council refused to assess. He told me yesterday he wants to end his life.",
    "Annual review tomorrow; also my daughter has been cutting herself, what do I do",
]

CRISIS_MISSED = [
    pytest.param("he says he wants to diiiie", id="stretched-die"),
    pytest.param("she wants to dieeee", id="stretched-die-e"),
    pytest.param("he wants to kiiiill himself", id="stretched-kill"),
]

CRISIS_JUDGEMENT = [
    pytest.param("she says she wanna die", id="wanna-die"),
    pytest.param("i'm scared for my daughter's safety", id="scared-for-daughters-safety"),
]

ORDINARY = [
    "this process is killing me",
    "the deadline to appeal is killing me",
    "he runs away from class when it's noisy",
    "the school hit a brick wall with funding",
    "she was hit by a ball in PE",
    "my girl got hit by a ball in PE",
    "what is the deadline for the appeal",
    "i cant find the form",
    "what is an EHC plan",
    "how do i ask for an EHC needs assessment",
    "the council refused to assess my son",
    "how long does the tribunal take",
    "can i get school transport for my daughter",
    "my son is autistic and anxious about school",
    "she won't go to school because of anxiety",
    "what is a personal budget",
    "how do I complain about the school",
    "the annual review is overdue",
    "my son has been excluded",
    "he is on a part-time timetable",
    "what happens at 16",
    "who is IASK",
    "how do I contact Kent PACT",
    "the waiting list for CAMHS is two years",
    "my daughter has ADHD and dyslexia",
    "the draft plan is missing section F",
    "missing evidence in the appeal bundle",
    "the SENCO is not answering my emails",
    "I'm exhausted by all the paperwork",
    "we have a mediation meeting next week",
    "he hates maths",
    "my son loves trains",
    "can I appeal section I of the plan",
    "what is the graduated approach",
    "the EHCP was late by 6 weeks",
    "he was kicked out of the after school club",
    "my kid lost his coat at school again",
    "which school is best for autism",
    "what does the white paper change",
    "can my son get DLA",
    "she finds PE really hard",
    "the school ignores his sensory needs",
    "how do i find the local offer",
    "the school says he is fine but he melts down at home",
    "",
    "   ",
]


@pytest.mark.parametrize("text", CRISIS)
def test_crisis_messages_are_detected(text: str) -> None:
    assert is_crisis(text)
    assert crisis_signal(text) is not None


@pytest.mark.parametrize("text", CRISIS_MISSED)
def test_stretched_letters_are_detected(text: str) -> None:
    assert is_crisis(text)


@pytest.mark.parametrize("text", CRISIS_JUDGEMENT)
def test_other_phrasings_are_detected(text: str) -> None:
    assert is_crisis(text)


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_send_messages_are_not_crisis(text: str) -> None:
    assert not is_crisis(text)
    assert crisis_signal(text) is None


def test_tables_are_big_enough() -> None:
    assert len(CRISIS) >= 40
    assert len(ORDINARY) >= 30
    assert not set(CRISIS) & set(ORDINARY)


def test_none_is_not_crisis() -> None:
    assert is_crisis(None) is False
    assert crisis_signal(None) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("He WANTS to   Die!!!", "he wants to die"),
        ("She took PÀRACÉTAMOL", "she took paracetamol"),
        ("don\u2019t", "dont"),
        ("sooooo tired", "so tired"),
        ("he will kil himslef", "he will kill himself"),
        ("self-harn", "self harm"),
        ("  \t\n ", ""),
    ],
    ids=["case-punctuation-spaces", "accents", "curly-apostrophe", "stretch", "typos", "short-fix", "blank"],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_crisis_after_long_send_text_is_detected() -> None:
    text = "We have been waiting for the EHC needs assessment for months. " * 100 + "Now he says he wants to die."
    assert is_crisis(text)


@pytest.mark.parametrize("word", ["overdose", "overdosed", "strangle", "strangled"])
def test_normalise_is_idempotent_on_vocabulary(word: str) -> None:
    once = normalise(word)
    assert normalise(once) == once


@hyp_settings(max_examples=300, database=None, deadline=None)
@given(st.text())
def test_is_crisis_never_raises(text: str) -> None:
    assert is_crisis(text) in (True, False)


@hyp_settings(max_examples=300, database=None, deadline=None)
@given(st.one_of(st.text(), st.lists(st.sampled_from(["STRANGL", "ovrdose", "overdosed", "himslef", "x", " ", "!"])).map("".join)))
def test_normalise_is_idempotent_ish(text: str) -> None:
    # Normalising again changes nothing, and never changes the crisis verdict.
    once = normalise(text)
    twice = normalise(once)
    assert twice == once
    assert is_crisis(twice) == is_crisis(once) == is_crisis(text)
    assert once == once.strip()
    assert "  " not in once
    assert all(c in " |" or (c.isascii() and c.isalnum() and not c.isupper()) for c in once)


_SEND_WORDS = ["ehcp", "senco", "tribunal", "appeal", "school", "my", "son", "daughter", "the", "council", "plan", "deadline"]


@hyp_settings(max_examples=200, database=None, deadline=None)
@given(
    st.lists(st.sampled_from(_SEND_WORDS), max_size=20).map(" ".join),
    st.lists(st.sampled_from(_SEND_WORDS), max_size=20).map(" ".join),
    st.sampled_from([c for c in CRISIS if len(c) < 80]),
)
def test_crisis_is_detected_inside_send_text(before: str, after: str, crisis: str) -> None:
    assert is_crisis(f"{before}. {crisis}. {after}")


@pytest.mark.parametrize("text", [
    "our autistic son cant go on the Year 6 residential because of his disability",
    "he cant go on school trips without a 1:1",
    "she can't go on the bus on her own",
])
def test_cant_go_on_a_trip_is_not_a_crisis(text: str) -> None:
    assert not is_crisis(text)
