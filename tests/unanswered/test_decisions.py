"""Coordinators' decisions are found for groups that grew, and canned replies only for questions like the group's."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.store.unanswered_groups import DRAFTED, OUT_OF_SCOPE, GroupDecision, group_key
from bot.unanswered.decisions import best_decision, canned_reply, status_label
from bot.unanswered.grouping import content_words, group_questions

WHEN = dt.datetime(2026, 11, 30, 12, 0)


def decision(words: str, status: str = OUT_OF_SCOPE, reply: str = "We cannot help with passports.") -> GroupDecision:
    signature = frozenset(words.split())
    return GroupDecision(group_key(signature), signature, words, status, reply if status == OUT_OF_SCOPE else None,
                         None, WHEN)


PASSPORTS = decision("passport renew")


@pytest.mark.parametrize("text, matched", [
    ("how do I renew my passport", True),
    ("Passport renewal for my son?", True),        # "renewal" is not stemmed; "passport" alone gives 1/3
    ("my passport has expired, renew it how", True),
    ("what is an EHC plan", False),
    ("", False),
])
def test_canned_reply_only_for_questions_like_the_group(text: str, matched: bool) -> None:
    assert (canned_reply(text, [PASSPORTS]) is PASSPORTS) is matched


def test_a_drafted_group_gives_no_canned_reply() -> None:
    assert canned_reply("how do I renew my passport", [decision("passport renew", DRAFTED)]) is None


def test_a_group_that_grew_keeps_its_decision() -> None:
    texts = ["renew passport", "renew my passport please", "passport renew online form"]
    [group] = group_questions(texts)
    assert best_decision(group.signature(), [PASSPORTS]) is PASSPORTS
    assert status_label(best_decision(group.signature(), [PASSPORTS])) == "out of scope, canned reply"
    assert status_label(None) == "open"


def test_the_closest_decision_wins() -> None:
    other = decision("passport photo booth")
    assert best_decision(content_words("renew passport"), [other, PASSPORTS]) is PASSPORTS


def test_group_key_hides_the_words_and_ignores_order() -> None:
    assert group_key(["b", "a"]) == group_key(["a", "b", "a"])
    assert len(group_key(["passport"])) == 64 and "passport" not in group_key(["passport"])
