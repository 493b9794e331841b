"""bot.deadlines.chat: which rule a topic question with a date runs, questions back, and bot.deadlines.timeline."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.deadlines.chat import Worked, deadline_json, from_message, read_input, rule_for_choice
from bot.deadlines.cues import KB_RULES
from bot.deadlines.questions import FUTURE_DATE, WEEKDAY_MISMATCH, DateQuestion
from bot.deadlines.registry import RULES
from bot.deadlines.timeline import DONE, NEXT, OVERDUE, UNKNOWN, build_timeline

TODAY = dt.date(2026, 3, 11)
LATE_NOVEMBER = dt.date(2026, 11, 30)  # a Monday


@pytest.mark.parametrize("kb_id,text,rule,start,due", [
    ("ehc-assessment-timescales", "I asked for an assessment on 5 January 2026, when must they decide?",
     "assessment-decision", "2026-01-05", "2026-02-16"),
    ("ehc-draft-plan", "the draft arrived on 2 March 2026", "draft-plan-comments", "2026-03-02", "2026-03-16"),
    ("ehc-annual-review", "review meeting on 20 January 2026", "review-decision", "2026-01-20", "2026-02-17"),
    ("ehc-annual-review", "the decision letter after the review was dated 20 January 2026, when is the next one",
     "next-review", "2026-01-20", "2027-01-19"),  # s44(1): 12 months starting with the decision
    ("ehc-phase-transfer", "moves to secondary school in September 2027", "phase-transfer-school",
     "2027-01-01", "2027-02-14"),  # reg 18(1)(b): before 15 February
    ("ehc-phase-transfer", "starts college in 2027", "phase-transfer-post16", "2027-01-01", "2027-03-30"),
    ("ehc-phase-transfer", "moving from his current college to another on 1 September 2026",
     "phase-transfer-post16-move", "2025-09-01", "2026-04-01"),  # a move ahead is fine
    ("tribunal-deadlines", "decision letter dated 15 January 2026", "appeal-deadline", "2026-01-15",
     "2026-03-16"),  # HESC r12(2): Sunday 15 March -> Monday
    ("tribunal-deadlines", "letter dated 10 January 2026 and mediation certificate issued on 3 February 2026",
     "appeal-after-certificate", "2026-01-10", "2026-03-10"),  # letter + 2 months is later
    ("tribunal-deadlines", "decision letter dated 10 January 2026, do I need a mediation certificate?",
     "appeal-deadline", "2026-01-10", "2026-03-10"),  # one date, the letter's
    ("mediation", "told the adviser on 9 February 2026", "mediation-certificate", "2026-02-09", "2026-02-12"),
    ("mediation", "we told the council on 9 February 2026 that we want mediation", "mediation-arranged",
     "2026-02-09", "2026-03-11"),
    ("tribunal-process", "the tribunal ordered the council to amend section F on 2 February 2026",
     "tribunal-order-amend", "2026-02-02", "2026-03-09"),
    ("complaint-council", "since 1 March 2026", "ombudsman-complaint", "2026-03-01", "2027-02-28"),  # s26B(2)
    ("complaint-health", "on 2 March 2026", "nhs-complaint", "2026-03-02", "2027-03-02"),
    ("disability-discrimination-claim", "on 10 March 2026", "discrimination-claim", "2026-03-10", "2026-09-09"),
    ("school-transport", "the appeal panel refused on 5 January 2026, is judicial review possible",
     "judicial-review", "2026-01-05", "2026-04-05"),  # judicial review can be named under any topic
])
def test_topic_question_with_a_date(kb_id, text, rule, start, due) -> None:
    worked = from_message(kb_id, text, TODAY)
    assert isinstance(worked, Worked)
    assert deadline_json(worked.main) == {"rule": rule, "from": start, "due": due}


@pytest.mark.parametrize("kb_id,text", [
    ("ehc-assessment-timescales", "how long does the council have to decide"),
    ("ehc-phase-transfer", "my son moves next september"),  # a year, but not which kind of move
    ("school-transport", "on 5 January 2026"),  # no rule for this topic
    ("tribunal-process", "the hearing is on 5 January 2026"),  # a date, but no tribunal order
    ("tribunal-deadlines", "the mediation certificate came on 5 January 2026"),  # the letter's date is missing
    ("crisis", "judicial review on 5 January 2026"),  # a crisis answer never carries a deadline
])
def test_nothing_is_guessed(kb_id, text) -> None:
    assert from_message(kb_id, text, TODAY) is None


@pytest.mark.parametrize("kb_id,text,kind,written,choices", [
    ("ehc-draft-plan", "the draft will come on 5 January 2030", FUTURE_DATE, "2030-01-05", ["2026-01-05"]),
    ("tribunal-deadlines", "letter dated Tuesday 22 October 2026", FUTURE_DATE, "2026-10-22", ["2025-10-22"]),
    ("tribunal-deadlines", "letter dated Tuesday 22 October 2026", WEEKDAY_MISMATCH, "2026-10-22",
     ["2026-10-22", "2026-10-20"]),
    ("ehc-annual-review", "the review is on Monday 10 December 2026", WEEKDAY_MISMATCH, "2026-12-10",
     ["2026-12-10", "2026-12-07"]),  # a meeting may be ahead, so both dates are offered
])
def test_questions_back(kb_id, text, kind, written, choices) -> None:
    today = TODAY if kind == FUTURE_DATE else LATE_NOVEMBER
    question = from_message(kb_id, text, today)
    assert isinstance(question, DateQuestion)
    assert (question.kind, question.found.date.isoformat()) == (kind, written)
    assert [c.isoformat() for c in question.choices] == choices


def test_a_past_date_is_used_before_a_future_one() -> None:
    worked = from_message("tribunal-deadlines", "the hearing might be 5 March 2027; letter dated 2 November 2026",
                          LATE_NOVEMBER)
    assert isinstance(worked, Worked) and worked.main.starts == dt.date(2026, 11, 2)


def test_the_question_about_the_certificate_keeps_the_letter_date() -> None:
    question = from_message("tribunal-deadlines", "letter dated 2 October 2026, certificate issued monday 25 "
                            "november 2026", LATE_NOVEMBER)
    assert isinstance(question, DateQuestion) and question.input.name == "certificate_date"
    assert question.answers == {"letter_date": dt.date(2026, 10, 2)}


def test_a_date_with_its_own_doubt_is_not_kept_for_the_form() -> None:
    question = from_message("tribunal-deadlines", "letter dated 18 December 2026, certificate issued monday 25 "
                            "november 2026", LATE_NOVEMBER)
    assert isinstance(question, DateQuestion) and question.input.name == "letter_date"
    assert question.kind == FUTURE_DATE and question.answers == {}  # the certificate's weekday is asked later


def test_the_clock_named_is_kept_through_a_question() -> None:
    question = from_message("ehc-assessment-timescales", "received thursday 18 september 2026, when is the final "
                            "plan due", LATE_NOVEMBER)
    assert isinstance(question, DateQuestion) and question.focus == ("assessment-final-plan",)


@pytest.mark.parametrize("text,expected", [
    ("Thursday 22 October 2026", dt.date(2026, 10, 22)),
    ("22/10/2026", dt.date(2026, 10, 22)),
    ("last friday", dt.date(2026, 11, 27)),
    ("no idea", None),
])
def test_a_form_answer_is_read(text, expected) -> None:
    assert read_input("decision-letter", 0, text, LATE_NOVEMBER) == expected


@pytest.mark.parametrize("text,kind", [("Tuesday 22 October 2026", WEEKDAY_MISMATCH),
                                       ("18 December 2026", FUTURE_DATE)])
def test_a_form_answer_can_raise_a_question(text, kind) -> None:
    question = read_input("decision-letter", 0, text, LATE_NOVEMBER)
    assert isinstance(question, DateQuestion) and question.kind == kind


def test_a_planned_meeting_is_not_questioned() -> None:
    assert read_input("annual-review", 0, "10 December 2026", LATE_NOVEMBER) == dt.date(2026, 12, 10)


def test_every_mapped_rule_exists() -> None:
    assert all(r in RULES for rules in KB_RULES.values() for r in rules)


@pytest.mark.parametrize("text,rule", [("Draft plan received", "draft-plan"), ("draft-plan", "draft-plan"),
                                       ("Tribunal ordered a plan", "tribunal-order-make-plan"),
                                       ("something else", None)])
def test_rule_for_choice(text, rule) -> None:
    assert rule_for_choice(text) == rule


def test_timeline_marks_done_next_and_overdue() -> None:
    steps = build_timeline({"request": dt.date(2026, 1, 5)}, TODAY)
    assert [s.status for s in steps] == [DONE, OVERDUE, UNKNOWN, NEXT]
    assert steps[1].days_overdue(TODAY) == 23
    assert steps[3].date == dt.date(2026, 5, 25)


def test_timeline_all_done() -> None:
    known = {"request": dt.date(2025, 9, 1), "decision": dt.date(2025, 10, 1), "draft": dt.date(2025, 12, 1),
             "final": dt.date(2026, 1, 10)}
    assert {s.status for s in build_timeline(known, TODAY)} == {DONE}


@pytest.mark.parametrize("text,rule,due", [
    ("We applied for an EHCNA on 9 September 2025. When should the final plan be issued?", "assessment-final-plan",
     "2026-01-27"),
    ("request went in 9 September 2025, when must they decide whether to assess", "assessment-decision",
     "2025-10-21"),
    ("request received 9 September 2025, if they won't issue a plan when must they say", "assessment-no-plan",
     "2025-12-30"),
])
def test_the_clock_asked_about_is_the_main_one(text: str, rule: str, due: str) -> None:
    worked = from_message("ehc-assessment-timescales", text, dt.date(2026, 11, 28))
    assert isinstance(worked, Worked)
    assert (worked.main.rule, worked.main.due.isoformat()) == (rule, due)


# What the conversation remembers (the deadline_shown slot) carries into later turns, under the same topic only.
APPEAL_SHOWN = {"topic": "tribunal-deadlines", "rule": "decision-letter", "answers": {"letter_date": "2026-09-10"}}


def test_a_certificate_date_given_later_is_worked_out_with_the_letter_date_given_before() -> None:
    worked = from_message("tribunal-deadlines", "but i got a mediation certificate on the 18th november, "
                          "does that change it?", LATE_NOVEMBER, APPEAL_SHOWN)
    assert isinstance(worked, Worked)
    # letter 10 Sep + 2 months = 10 Nov; certificate 18 Nov + 1 month = 18 Dec; the later one counts
    assert (worked.main.rule, worked.main.due) == ("appeal-after-certificate", dt.date(2026, 12, 18))


def test_a_certificate_date_alone_with_nothing_remembered_guesses_nothing() -> None:
    assert from_message("tribunal-deadlines", "got the certificate on 18 november", LATE_NOVEMBER) is None


@pytest.mark.parametrize("remembered", [
    {**APPEAL_SHOWN, "topic": "mediation"},                       # kept under another topic
    {"rule": "decision-letter", "answers": {"letter_date": "2026-09-10"}},  # an old value with no topic
    {**APPEAL_SHOWN, "answers": {"letter_date": "not a date"}},   # a value that cannot be read
])
def test_remembered_dates_from_elsewhere_are_never_used(remembered) -> None:
    assert from_message("tribunal-deadlines", "got the certificate on 18 november", LATE_NOVEMBER,
                        remembered) is None


def test_an_event_named_in_an_earlier_turn_starts_the_clock_of_a_later_date() -> None:
    named = {"topic": "complaint-council", "event": "judicial-review"}
    text = "they missed the deadline on 9 november. how long have we got to start one"
    worked = from_message("complaint-council", text, LATE_NOVEMBER, named)
    assert isinstance(worked, Worked)
    assert (worked.main.rule, worked.main.due) == ("judicial-review", dt.date(2027, 2, 9))
    # without the memory, the topic's own default clock: the Ombudsman's 12 months
    plain = from_message("complaint-council", text, LATE_NOVEMBER)
    assert isinstance(plain, Worked) and plain.main.rule == "ombudsman-complaint"


def test_an_event_named_under_one_topic_never_reaches_another() -> None:
    named = {"topic": "complaint-council", "event": "judicial-review"}
    worked = from_message("ehc-annual-review", "the review meeting was on 14 october 2026", LATE_NOVEMBER, named)
    assert isinstance(worked, Worked) and worked.main.rule == "review-decision"


def test_the_words_of_the_message_beat_the_remembered_event() -> None:
    named = {"topic": "complaint-council", "event": "judicial-review"}
    worked = from_message("complaint-council", "we found out on 2 november 2026, when is the ombudsman limit",
                          LATE_NOVEMBER, named)
    assert isinstance(worked, Worked) and worked.main.rule == "ombudsman-complaint"


def test_an_event_worked_out_before_does_not_choose_the_event_of_a_new_date() -> None:
    requested = {"topic": "mediation", "rule": "mediation-requested", "answers": {"told_council": "2026-11-25"}}
    worked = from_message("mediation", "actually we've changed our minds. if i tell the adviser today we dont want "
                          "it, when is the certificate due", LATE_NOVEMBER, requested)
    assert isinstance(worked, Worked)
    assert (worked.main.rule, worked.main.due) == ("mediation-certificate", dt.date(2026, 12, 3))


def test_a_tribunal_order_date_without_its_kind_asks_which_and_keeps_the_date() -> None:
    from bot.deadlines.chat import unclear_event

    text = "we won at tribunal!!! order was 13 november. when does the council have to do it"
    assert from_message("tribunal-process", text, LATE_NOVEMBER) is None   # nothing guessed
    when, events = unclear_event("tribunal-process", text, LATE_NOVEMBER)
    assert when == dt.date(2026, 11, 13)
    assert set(events) == {"tribunal-order-assess", "tribunal-order-make-plan", "tribunal-order-amend",
                           "tribunal-order-school"}
    kept = {"topic": "tribunal-process", "date": when.isoformat()}
    for answer in ("its to amend sections B and F", "Tribunal ordered changes to the plan"):  # typed, or a button
        worked = from_message("tribunal-process", answer, LATE_NOVEMBER, kept)
        assert isinstance(worked, Worked)
        assert (worked.main.rule, worked.main.due) == ("tribunal-order-amend", dt.date(2026, 12, 18))


@pytest.mark.parametrize("kb_id,text", [
    ("tribunal-process", "the tribunal ordered them to amend section F on 13 november"),  # it says which
    ("tribunal-process", "how does the hearing work"),                                      # no date
    ("ehc-annual-review", "our review was on 13 november"),                                 # one event only
])
def test_no_which_question_when_the_event_is_clear_or_there_is_no_date(kb_id, text) -> None:
    from bot.deadlines.chat import unclear_event

    assert unclear_event(kb_id, text, LATE_NOVEMBER) is None


def test_a_kept_date_is_used_only_under_its_topic_and_only_for_a_picked_event() -> None:
    kept = {"topic": "tribunal-process", "date": "2026-11-13"}
    assert from_message("tribunal-process", "thanks, what happens next", LATE_NOVEMBER, kept) is None
    assert from_message("ehc-annual-review", "and the final plan?", LATE_NOVEMBER, kept) is None
