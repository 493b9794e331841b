"""Dates read back, tribunal rule 12 explained, and questions back about a date: in answers and in the form."""

from __future__ import annotations

import datetime as dt

import pytest
from rasa_sdk.events import FollowupAction, SlotSet

import actions.deadline_replies as replies
from actions.answers import ActionAnswer
from actions.deadlines import ActionAskDeadlineDate, ActionAskDeadlineSecondDate, ActionDeadlineResult, \
    ValidateDeadlineForm

pytestmark = pytest.mark.anyio
TODAY = dt.date(2026, 11, 30)  # a Monday


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch) -> None:
    monkeypatch.setattr(replies, "_clock", lambda: TODAY)


def _slots(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.mark.parametrize("text,said,due,moved", [
    ("refusal letter dated thursday 29 october 2026, when is my appeal deadline",
     "You said the decision letter is dated Thursday 29 October 2026.", "by Monday 4 January 2027",
     "Counting 2 months from the date of the decision letter takes you to Tuesday 29 December 2026. The "
     "tribunal's rules move a deadline that ends between 25 December and 1 January to the first working day after "
     "1 January, so your appeal is in time if it arrives by Monday 4 January 2027."),
    ("letter dated 5th june 2026 saying no to a plan, when was the appeal deadline",
     "You said the decision letter is dated Friday 5 June 2026.", "by Tuesday 1 September 2026",
     "ends in August to the first working day after 31 August"),
    ("decision letter dated 6 oct 2026, appeal deadline?", "You said the decision letter is dated Tuesday 6 October "
     "2026.", "by Monday 7 December 2026", "takes you to Sunday 6 December 2026, which is not a working day"),
])
async def test_appeal_answer_reads_back_the_date_and_explains_a_move(dispatcher, tracker, text, said, due,
                                                                     moved) -> None:
    await ActionAnswer().run(dispatcher, tracker("ask_tribunal_deadlines", text=text), {})
    [message] = dispatcher.messages
    assert message["text"].startswith(said)
    assert due in message["text"] and moved in message["text"]
    assert "Send it earlier if you can." in message["text"]


async def test_a_moved_appeal_still_says_when_the_mediation_adviser_must_be_contacted(dispatcher, tracker) -> None:
    text = "decision letter dated 26 october 2026, when do i appeal by"
    await ActionAnswer().run(dispatcher, tracker("ask_tribunal_deadlines", text=text), {})
    assert "mediation adviser, which end on Saturday 26 December 2026" in dispatcher.messages[0]["text"]


async def test_a_discrimination_claim_is_not_moved(dispatcher, tracker) -> None:
    text = "school wouldnt let him on sports day on 30 june 2026, last day for a discrimination claim?"
    await ActionAnswer().run(dispatcher, tracker("ask_disability_discrimination_claim", text=text), {})
    [message] = dispatcher.messages
    assert message["custom"]["deadline"]["due"] == "2026-12-29"
    assert "tribunal's rules move" not in message["text"]


@pytest.mark.parametrize("intent,text,rule,check_input", [
    ("ask_tribunal_deadlines", "kcc refusal letter dated friday 12 october 2026, appeal deadline?",
     "decision-letter", "letter_date"),
    ("ask_tribunal_deadlines", "the refusal letter we got is dated 18 december 2026?? when do i need to appeal by",
     "decision-letter", "letter_date"),
    ("ask_tribunal_deadlines", "decision letter dated 2 october 2026 and the mediation certificate was issued "
     "monday 25 november 2026, when must i appeal", "certificate-issued", "certificate_date"),
])
async def test_an_answer_with_a_doubtful_date_starts_the_form_with_a_question(dispatcher, tracker, intent, text,
                                                                              rule, check_input) -> None:
    events = await ActionAnswer().run(dispatcher, tracker(intent, text=text), {})
    assert dispatcher.messages == []  # no deadline built on a date that cannot be right
    assert events[-1] == FollowupAction("deadline_form")
    slots = _slots(events)
    assert slots["deadline_event"] == rule and slots["deadline_check"]["input"] == check_input
    assert slots["last_kb_id"] == "tribunal-deadlines"
    if rule == "certificate-issued":
        assert slots["deadline_date"] == "2026-10-02"  # the letter's date is kept


async def test_the_form_asks_the_weekday_question_with_buttons(dispatcher, tracker) -> None:
    events = await ActionAnswer().run(dispatcher, tracker(
        "ask_tribunal_deadlines", text="letter dated Tuesday 22 October 2026, when do I appeal"), {})
    slots = {**_slots(events), "last_kb_id": "tribunal-deadlines"}
    await ActionAskDeadlineDate().run(dispatcher, tracker("x", slots=slots), {})
    [message] = dispatcher.messages
    assert message["text"] == "22 October 2026 was a Thursday, not a Tuesday. Which is right?"
    assert [b["title"] for b in message["buttons"]] == [
        "Thursday 22 October 2026", "Tuesday 20 October 2026", "Let me type it again"]
    assert [b["payload"] for b in message["buttons"]] == [b["title"] for b in message["buttons"]]
    assert message["custom"] == {"type": "deadline_question", "kind": "weekday_mismatch", "rule": "decision-letter",
                                 "input": "letter_date", "date": "2026-10-22",
                                 "choices": ["2026-10-22", "2026-10-20"], "kb_id": "tribunal-deadlines"}


async def test_the_form_asks_the_future_date_question(dispatcher, tracker) -> None:
    check = {"kind": "future_date", "rule": "decision-letter", "input": "letter_date", "date": "2026-12-31",
             "weekday": None, "choices": ["2025-12-31"]}
    slots = {"deadline_event": "decision-letter", "deadline_check": check}
    await ActionAskDeadlineDate().run(dispatcher, tracker("x", slots=slots), {})
    [message] = dispatcher.messages
    assert message["text"] == ("You said the decision letter is dated Thursday 31 December 2026, but that date "
                               "hasn't come yet. Did you mean 31 December 2025?")
    assert [b["title"] for b in message["buttons"]] == ["Wednesday 31 December 2025", "Let me type it again"]


async def test_a_question_about_the_certificate_is_asked_for_the_second_date_only(dispatcher, tracker) -> None:
    check = {"kind": "weekday_mismatch", "rule": "certificate-issued", "input": "certificate_date",
             "date": "2026-11-25", "weekday": 0, "choices": ["2026-11-25", "2026-11-23"]}
    slots = {"deadline_event": "certificate-issued", "deadline_date": "2026-10-02", "deadline_check": check}
    await ActionAskDeadlineDate().run(dispatcher, tracker("x", slots=slots), {})
    await ActionAskDeadlineSecondDate().run(dispatcher, tracker("x", slots=slots), {})
    assert dispatcher.messages[0]["text"] == "What date is on the council's decision letter?"
    assert dispatcher.messages[1]["text"].startswith("25 November 2026 was a Wednesday, not a Monday.")


CHECK = {"kind": "weekday_mismatch", "rule": "decision-letter", "input": "letter_date", "date": "2026-10-22",
         "weekday": 1, "choices": ["2026-10-22", "2026-10-20"]}


@pytest.mark.parametrize("text,check,expected,says", [
    ("Tuesday 22 October 2026", None, {"deadline_date": None, "deadline_check": {**CHECK}}, False),
    ("18 December 2026", None, {"deadline_date": None, "deadline_check": {
        "kind": "future_date", "rule": "decision-letter", "input": "letter_date", "date": "2026-12-18",
        "weekday": None, "choices": ["2025-12-18"]}}, False),
    ("Thursday 22 October 2026", CHECK, {"deadline_date": "2026-10-22", "deadline_check": None}, False),
    ("Tuesday 20 October 2026", CHECK, {"deadline_date": "2026-10-20", "deadline_check": None}, False),
    ("Let me type it again", CHECK, {"deadline_date": None, "deadline_check": None}, False),
    ("no idea sorry", CHECK, {"deadline_date": None, "deadline_check": None}, True),
    ("22/10/2026", None, {"deadline_date": "2026-10-22"}, False),
])
async def test_the_form_re_asks_kindly_and_never_traps(dispatcher, tracker, text, check, expected, says) -> None:
    slots = {"deadline_event": "decision-letter", "deadline_check": check}
    result = ValidateDeadlineForm().validate_deadline_date(text, dispatcher, tracker("x", text=text, slots=slots), {})
    assert result == expected
    assert bool(dispatcher.messages) == says  # only an unreadable answer gets "couldn't read that"


async def test_stop_still_ends_the_form_during_a_question(dispatcher, tracker) -> None:
    slots = {"deadline_event": "decision-letter", "deadline_check": CHECK}
    result = ValidateDeadlineForm().validate_deadline_date("stop", dispatcher, tracker("deny", text="stop",
                                                                                       slots=slots), {})
    assert result["form_stopped"] is True and result["deadline_check"] is None and result["deadline_date"] is None


async def test_a_prefilled_letter_date_does_not_clear_the_certificate_question(dispatcher, tracker) -> None:
    check = {**CHECK, "rule": "certificate-issued", "input": "certificate_date"}
    slots = {"deadline_event": "certificate-issued", "deadline_check": check}
    result = ValidateDeadlineForm().validate_deadline_date("2026-10-02", dispatcher,
                                                           tracker("x", text="question", slots=slots), {})
    assert result == {"deadline_date": "2026-10-02"}


async def test_the_result_keeps_the_clock_asked_about_and_reads_back(dispatcher, tracker) -> None:
    slots = {"deadline_event": "assessment-request", "deadline_date": "2026-09-17",
             "deadline_focus": ["assessment-final-plan"]}
    events = await ActionDeadlineResult().run(dispatcher, tracker("x", slots=slots), {})
    [message] = dispatcher.messages
    assert message["custom"]["deadline"] == {"rule": "assessment-final-plan", "from": "2026-09-17",
                                             "due": "2027-02-04"}
    assert "You said the council received the request on Thursday 17 September 2026." in message["text"]
    assert "6 weeks" in message["text"]  # the other clocks are still listed, the first one too
    assert SlotSet("deadline_focus", None) in events and SlotSet("deadline_check", None) in events


@pytest.mark.parametrize("intent,titles", [
    ("ask_mediation", ["Work out my date: Mediation declined", "Work out my date: Told the council I want mediation"]),
    ("ask_ehc_annual_review", ["Work out my date: Annual review meeting held",
                               "Work out my date: Plan issued or last review finished"]),
    ("ask_tribunal_process", ["Work out my date: Tribunal ordered an assessment",
                              "Work out my date: Tribunal ordered a plan",
                              "Work out my date: Tribunal ordered changes to the plan",
                              "Work out my date: Tribunal ordered a school to be named"]),
])
async def test_topics_with_several_events_offer_a_button_each(dispatcher, tracker, intent, titles) -> None:
    await ActionAnswer().run(dispatcher, tracker(intent, text="how long do they have"), {})
    [message] = dispatcher.messages
    assert [b["title"] for b in message["buttons"] if b["payload"].startswith("/ask_deadline")] == titles
