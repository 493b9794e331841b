"""bot.conversation.decide on the real knowledge base and follow-ups.yml: every pattern of issue 10, no server."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional, Sequence, Tuple

import pytest

from bot.conversation.decide import (ANSWER, CLARIFY, FOLLOW_UP, NO_SPECIFIC, REDATE, UNANSWERED, Decider, Message,
                                     date_cue, dates_topic)
from bot.conversation.kinds import TopicNames, follow_up_kind
from bot.deadlines.chat import Worked, from_message
from bot.knowledge.entries import load_kb
from bot.knowledge.follow_ups import load_follow_ups

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 30)
KB = load_kb(ROOT / "knowledge", "kent")
FOLLOW_UPS = load_follow_ups(ROOT / "knowledge", KB)
DECIDER = Decider(FOLLOW_UPS, KB.entries)


def decide(text: str, ranking: Sequence[Tuple[str, float]] = (), live: Optional[str] = None,
           shown_rule: Optional[str] = None):
    return DECIDER.decide(Message(text, list(ranking), TODAY, live, None, shown_rule))


@pytest.mark.parametrize("text, kind", [
    ("do I have to do it?", "must"),
    ("how long will it take?", "when"),
    ("can I challenge it?", "challenge"),
    ("what's their phone number?", "contact"),
    ("how do I join?", "contact"),
    ("what if they miss it?", "miss"),
    ("what happens next?", "next"),
    ("does this apply to my son, he's 17", "young-person"),
    ("is it different in kent", "local"),
    ("can I ask for a different school?", "challenge"),
    ("what if I'm not happy with how the governors deal with it?", "miss"),
    ("thanks", None),
])
def test_follow_up_kinds_from_the_parents_words(text: str, kind: Optional[str]) -> None:
    assert follow_up_kind(text) == kind


def test_the_longest_name_wins_and_claims_its_words() -> None:
    names = TopicNames(FOLLOW_UPS)
    assert names.named("we got the draft ehcp")[0] == "ehc-draft-plan"
    assert "ehc-plan-basics" not in names.named("we got the draft ehcp")
    assert names.named("the letter was dated 2 November 2026") == []


# The issue's own examples: a follow-up that names no topic is read against the live topic.
@pytest.mark.parametrize("live, text, entries", [
    ("mediation", "do I have to do it?", {"mediation"}),
    ("ehc-needs-assessment-request", "how long will it take?", {"ehc-assessment-timescales"}),
    ("school-exclusion", "can I challenge it?", {"school-exclusion"}),
    ("contact-sendiass", "what's their phone number?", {"contact-sendiass"}),
    ("contact-pact", "how do I join?", {"contact-pact"}),
])
def test_follow_ups_are_read_against_the_live_topic(live: str, text: str, entries: set) -> None:
    # The NLU is sure of some other topic: a message that names none is still a follow-up.
    decision = decide(text, [("tribunal-appeal-rights", 0.8)], live=live)
    assert decision.action in (FOLLOW_UP, NO_SPECIFIC)
    assert decision.topic == live
    if decision.action == FOLLOW_UP:
        assert decision.entry in entries


def test_a_follow_up_with_no_specific_answer_says_so_and_offers_the_nearest() -> None:
    topic = next(t for t in FOLLOW_UPS.topics.values() if "young-person" not in t.follow_ups)
    decision = decide("does this apply if he is over 16?", [], live=topic.id)
    assert decision.action == NO_SPECIFIC and decision.topic == topic.id
    assert decision.options and topic.id not in decision.options


def test_a_live_topic_never_gets_a_bare_i_dont_know() -> None:
    decision = decide("hmm ok and", [("personal-budgets", 0.1)], live="mediation")
    assert decision.action == NO_SPECIFIC and decision.topic == "mediation"


def test_a_new_topic_replaces_the_old() -> None:
    decision = decide("what is a personal budget", [("personal-budgets", 0.9)], live="mediation")
    assert (decision.action, decision.topic) == (ANSWER, "personal-budgets")


def test_a_message_naming_another_topic_is_a_new_question_even_if_short() -> None:
    decision = decide("what about the draft ehcp?", [("ehc-draft-plan", 0.5)], live="mediation")
    assert decision.topic == "ehc-draft-plan"


def test_a_date_after_an_annual_review_answer_goes_to_the_review_clock() -> None:
    # The issue: the 6-week assessment clock was used; the review decision is 4 weeks after the meeting.
    text = "ours was on 14 October 2026, when should we hear back?"
    decision = decide(text, [("ehc-assessment-timescales", 0.7)], live="ehc-annual-review")
    assert decision.action == ANSWER and decision.dates_topic == "ehc-annual-review"
    worked = from_message(decision.dates_topic, text, TODAY)
    assert isinstance(worked, Worked)
    assert (worked.main.rule, worked.main.due) == ("review-decision", dt.date(2026, 11, 11))


def test_a_date_never_uses_another_topics_clock() -> None:
    for topic in FOLLOW_UPS.topics.values():
        owner = dates_topic(topic.id, FOLLOW_UPS)
        if owner is None:
            continue
        worked = from_message(owner, "it was on 2 November 2026", TODAY)
        if isinstance(worked, Worked):
            assert {d.rule for d in worked.deadlines} & set(topic.clocks), topic.id


@pytest.mark.parametrize("text, dates, live, expected", [
    ("the letter with the final plan was dated 2 november. last day to appeal?", 1, "mediation", "tribunal-deadlines"),
    ("letter date is 25 november. if i go down the discrimination route whens the cut off", 1, "tribunal-deadlines",
     "disability-discrimination-claim"),
    ("I told the adviser on 2 November, when will I get the certificate?", 1, "mediation", None),
    ("certificate came 19 november, the decision letter was 30 september", 2, "mediation", "tribunal-deadlines"),
    ("the order is dated 20 november", 1, "ehc-refusal-to-assess", "tribunal-process"),
])
def test_the_words_beside_a_date_can_name_its_clock(text: str, dates: int, live: str,
                                                   expected: Optional[str]) -> None:
    assert date_cue(text, dates, live) == expected


def test_a_later_clock_of_dates_already_given_is_worked_out_again() -> None:
    decision = decide("and the final plan?", [], live="ehc-annual-review", shown_rule="annual-review")
    assert (decision.action, decision.clock) == (REDATE, "review-final-plan")
    decision = decide("when is that then", [], live="ehc-annual-review", shown_rule="annual-review")
    assert (decision.action, decision.clock) == (REDATE, "review-decision")


def test_close_calls_ask_which_topic() -> None:
    ranking = [("ehc-assessment-timescales", 0.50), ("ehc-needs-assessment-request", 0.49), ("mediation", 0.01)]
    decision = decide("By what date must the council decide whether to assess?", ranking)
    assert decision.action == CLARIFY
    assert decision.options == ("ehc-assessment-timescales", "ehc-needs-assessment-request")


def test_one_unsure_guess_asks_do_you_mean() -> None:
    decision = decide("something about support plans", [("sen-support-in-school", 0.3), ("mediation", 0.05)])
    assert (decision.action, decision.options) == (CLARIFY, ("sen-support-in-school",))


def test_nothing_near_is_honestly_unanswered() -> None:
    assert decide("what is the capital of france", [("mediation", 0.05)]).action == UNANSWERED


def test_a_long_post_is_answered_on_its_main_topic_and_offers_the_others() -> None:
    post = ("We have been waiting for CAMHS for two years and school keep saying there is nothing more they can do "
            "for our son who is struggling every single day and we are exhausted and do not know where to turn next "
            "at all, so can we apply for an EHCP ourselves?")
    ranking = [("ehc-needs-assessment-request", 0.6), ("health-waiting-times", 0.3)]
    decision = decide(post, ranking)
    assert decision.entry == "ehc-needs-assessment-request"
    assert "health-waiting-times" in decision.also


def test_a_self_contained_question_the_nlu_is_sure_of_is_a_new_topic() -> None:
    decision = decide("how long do i have to appeal to the send tribunal", [("tribunal-deadlines", 0.97)],
                      live="mediation")
    assert (decision.action, decision.topic) == (ANSWER, "tribunal-deadlines")
    # ... but one that points back, or is only a few words, is still read against the live topic.
    assert decide("how long will it take?", [("tribunal-deadlines", 0.97)], live="mediation").topic == "mediation"
    assert decide("how do I join?", [("contact-sendiass", 0.9)], live="contact-pact").topic == "contact-pact"


def test_a_message_that_names_the_live_topic_again_is_answered_on_it() -> None:
    decision = decide("kcc refused to assess my son, what now?", [("ehc-refusal-to-assess", 0.99)],
                      live="ehc-refusal-to-assess")
    assert (decision.action, decision.entry) == (ANSWER, "ehc-refusal-to-assess")


def test_dates_given_under_another_topic_never_answer_a_when_follow_up() -> None:
    # The appeal's dates were worked out, then the parent moved to annual reviews: "when should we hear back?"
    # is the review's question, never the appeal deadline again.
    decision = decide("when should we hear back?", [], live="ehc-annual-review", shown_rule="decision-letter")
    assert decision.action != REDATE
    assert decision.topic == "ehc-annual-review"


def test_a_certificate_date_naming_mediation_stays_with_the_live_appeal() -> None:
    ranking = [("mediation", 0.9), ("tribunal-deadlines", 0.05)]
    decision = decide("but i got a mediation certificate on the 18th november, does that change it?", ranking,
                      live="tribunal-deadlines", shown_rule="decision-letter")
    assert (decision.topic, decision.dates_topic) == ("tribunal-deadlines", "tribunal-deadlines")


def test_a_dated_message_naming_another_topic_without_a_cue_is_still_a_new_question() -> None:
    ranking = [("ehc-annual-review", 0.9), ("tribunal-deadlines", 0.05)]
    decision = decide("what happens at an annual review? ours is on 3 december 2026", ranking,
                      live="tribunal-deadlines", shown_rule="decision-letter")
    assert decision.topic == "ehc-annual-review"


def test_naming_the_live_topic_by_one_of_its_clocks_works_out_that_clock() -> None:
    decision = decide("the 16 week one", [("ehc-assessment-timescales", 0.86)], live="ehc-assessment-timescales",
                      shown_rule="assessment-request")
    assert (decision.action, decision.clock) == (REDATE, "assessment-no-plan")


def test_a_date_for_the_live_topic_named_again_goes_to_its_clock_whatever_the_nlu_thought() -> None:
    ranking = [("ehc-phase-transfer", 0.8), ("ehc-annual-review", 0.15)]
    decision = decide("meeting was 22 september. so when is the final amended plan due", ranking,
                      live="ehc-annual-review")
    assert (decision.topic, decision.dates_topic) == ("ehc-annual-review", "ehc-annual-review")


def test_the_answer_to_which_order_it_was_goes_to_the_live_topics_clock() -> None:
    ranking = [("ehc-draft-plan", 0.8)]   # the NLU reads "amend sections B and F" as another topic
    decision = DECIDER.decide(Message("its to amend sections B and F", ranking, TODAY, "tribunal-process",
                                      date_kept_for="tribunal-process"))
    assert (decision.action, decision.topic, decision.dates_topic) == (ANSWER, "tribunal-process", "tribunal-process")
    unrelated = DECIDER.decide(Message("can i get a personal budget", [("personal-budgets", 0.95)], TODAY,
                                       "tribunal-process", date_kept_for="tribunal-process"))
    assert unrelated.topic == "personal-budgets"


@pytest.mark.parametrize("live, text", [
    ("tribunal-deadlines", "how long do i have to appeal to the send tribunal"),
    ("mediation", "what is mediation and do i have to go"),
])
def test_the_topics_own_question_asked_again_gets_its_answer_again(live: str, text: str) -> None:
    # Sent twice (a double tap, or the widget's retry after a dropped connection): the same answer, never
    # "I have no specific answer on that" for the very question the topic answers.
    first = decide(text, [(live, 0.67), ("tribunal-process", 0.33)])
    again = decide(text, [(live, 0.67), ("tribunal-process", 0.33)], live=live)
    assert (first.action, first.entry) == (ANSWER, live)
    assert (again.action, again.entry) == (ANSWER, live)


def test_a_short_follow_up_the_topic_has_no_answer_for_still_says_so() -> None:
    # Only a message of more than a few words that the NLU is sure of counts as the topic's own question.
    decision = decide("can I challenge it?", [("tribunal-deadlines", 0.9)], live="tribunal-deadlines")
    assert decision.action == NO_SPECIFIC and decision.topic == "tribunal-deadlines"


BACKGROUND = ("Our son is nine, autistic, and has been out of school since the spring. After months of emails the "
              "council finally wrote to us and we have a folder of reports from the school and the therapist. ")


def test_a_long_posts_background_date_and_appeal_do_not_pick_the_appeal_deadline() -> None:
    # "appealing" and "yesterday" are background; the question is how to bring the appeal.
    text = (BACKGROUND + "We got the mediation certificate yesterday and we are appealing the refusal to issue a "
            "plan. Which form do we fill in, and what happens at the hearing?")
    decision = decide(text, [("tribunal-process", 0.6), ("mediation", 0.3)])
    assert (decision.action, decision.entry) == (ANSWER, "tribunal-process")


def test_a_long_post_that_asks_by_when_to_appeal_still_gets_the_appeal_clock() -> None:
    text = (BACKGROUND + "The final plan came with a letter dated 2 November 2026 and it still names the wrong "
            "school. What is the last day we can appeal?")
    decision = decide(text, [("ehc-draft-plan", 0.6), ("tribunal-appeal-rights", 0.3)])
    assert (decision.action, decision.entry, decision.dates_topic) == (ANSWER, "tribunal-deadlines",
                                                                      "tribunal-deadlines")


def test_a_long_post_that_asks_by_which_date_keeps_the_clock_its_date_is_for() -> None:
    # The date's own words ("the request was received") pick the assessment clocks, because the post asks for a date.
    text = (BACKGROUND + "The council received our request on Monday 7 September 2026 and agreed to assess. If the "
            "panel says no to a plan, by which date must they tell us?")
    decision = decide(text, [("ehc-refusal-to-assess", 0.6), ("ehc-assessment-timescales", 0.3)])
    assert (decision.entry, decision.dates_topic) == ("ehc-assessment-timescales", "ehc-assessment-timescales")
