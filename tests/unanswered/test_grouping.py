"""Tests for bot.unanswered.grouping: content words and grouping of unanswered questions."""

from __future__ import annotations

import pytest

from bot.unanswered.grouping import TopicGroup, content_words, group_questions, jaccard

DLA = [
    "Can my son get DLA?",
    "DLA for autism",
    "how do I claim DLA for my daughter",
    "DLA for ADHD",
    "DLA claim form",
]
BLUE_BADGE = [
    "can we get a blue badge",
    "blue badge for autism",
    "how to apply for a blue badge",
]
RESPITE = ["respite care over the summer holidays"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Can my son get DLA?", {"dla"}),
        ("The schools and the councils", {"school", "council"}),
        ("therapies and activities", {"therap", "activit"}),
        ("She's waiting, he waited", {"wait"}),
        ("boxes of wishes", {"box", "wish"}),
        ("Hello, thanks, I need help please", set()),
        ("is it ok to go", set()),  # short words go too
        ("bus was late", {"bus", "late"}),  # "bus" is too short to lose its s
        ("EHCP EHCPs ehcp", {"ehcp"}),
    ],
    ids=["stop-words", "plurals", "ies", "ing-ed", "es", "all-stop-words", "short-words", "short-stem", "case-and-plural"],
)
def test_content_words(text: str, expected: set) -> None:
    assert content_words(text) == frozenset(expected)


@pytest.mark.parametrize(
    "a, b, score",
    [(set(), set(), 1.0), ({"a"}, set(), 0.0), ({"a", "b"}, {"b", "c"}, 1 / 3), ({"x"}, {"x"}, 1.0)],
)
def test_jaccard(a: set, b: set, score: float) -> None:
    assert jaccard(frozenset(a), frozenset(b)) == pytest.approx(score)


def test_groups_similar_questions_largest_first() -> None:
    texts = [BLUE_BADGE[0], DLA[0], RESPITE[0], DLA[1], BLUE_BADGE[1], DLA[2], DLA[3], BLUE_BADGE[2], DLA[4]]
    groups = group_questions(texts)
    assert [g.count for g in groups] == [5, 3, 1]
    assert sorted(groups[0].examples) == sorted(DLA)
    assert sorted(groups[1].examples) == sorted(BLUE_BADGE)
    assert groups[2].examples == RESPITE
    assert groups[0].label.split()[0] == "dla"
    assert set(groups[1].label.split()[:2]) == {"blue", "badge"}
    assert sum(g.count for g in groups) == len(texts)


def test_groups_keep_first_seen_example() -> None:
    groups = group_questions(BLUE_BADGE + DLA)
    assert groups[0].examples[0] == DLA[0]
    assert groups[1].examples[0] == BLUE_BADGE[0]


@pytest.mark.parametrize("texts", [[], ["hello"], ["hi", "thanks"]], ids=["none", "stop-word-only", "two-stop-word-only"])
def test_edge_cases(texts: list) -> None:
    groups = group_questions(texts)
    assert sum(g.count for g in groups) == len(texts)
    for g in groups:
        assert g.label == "(no words)"


def test_unrelated_questions_stay_apart() -> None:
    texts = ["school transport appeal", "speech therapy waiting list", "respite care summer"]
    assert [g.count for g in group_questions(texts)] == [1, 1, 1]


def test_signature_keeps_common_words() -> None:
    group = TopicGroup()
    for text in ["blue badge parking", "blue badge autism", "blue badge form", "blue badge renewal"]:
        group.words.update(content_words(text))
        group.examples.append(text)
    assert group.signature() == frozenset({"blue", "badge"})


def test_signature_is_words_in_at_least_half_of_questions_even_count() -> None:
    group = TopicGroup()
    for text in ["dla autism", "dla adhd", "dla claim", "dla renewal"]:
        group.words.update(content_words(text))
        group.examples.append(text)
    assert group.signature() == frozenset({"dla"})


def test_signature_is_words_in_at_least_half_of_questions_odd_count() -> None:
    group = TopicGroup()
    for text in ["Can my son get DLA?", "how do I apply for DLA", "DLA application for autistic child"]:
        group.words.update(content_words(text))
        group.examples.append(text)
    assert group.signature() == frozenset({"dla"})


def test_four_dla_questions_form_one_group() -> None:
    texts = ["Can my son get DLA?", "how do I apply for DLA", "DLA application for autistic child", "is my child eligible for DLA"]
    assert [g.count for g in group_questions(texts)] == [4]
