"""Deadline answers in the same turn, the deadline form, the timeline form and reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from rasa_sdk.events import SlotSet

import actions.deadline_replies as replies
from actions.answers import ActionAnswer
from actions.deadlines import (ActionAskDeadlineDate, ActionAskDeadlineEvent, ActionDeadlineResult, ActionRemindMe,
                               ValidateDeadlineForm)
from actions.timeline import ActionShowTimeline, ValidateTimelineForm

pytestmark = pytest.mark.anyio
TODAY = dt.date(2026, 3, 11)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch) -> None:
    monkeypatch.setattr(replies, "_clock", lambda: TODAY)


def _custom(dispatcher):
    return [m["custom"] for m in dispatcher.messages if m.get("custom")]


async def test_answer_with_a_date_adds_the_deadline(dispatcher, tracker) -> None:
    text = "I asked for an assessment on 5 January 2026, when must they decide?"
    events = await ActionAnswer().run(dispatcher, tracker("ask_ehc_assessment_timescales", text=text), {})
    [message] = dispatcher.messages
    assert message["custom"]["kb_id"] == "ehc-assessment-timescales"
    assert message["custom"]["deadline"] == {"rule": "assessment-decision", "from": "2026-01-05", "due": "2026-02-16"}
    assert [d["rule"] for d in message["custom"]["deadlines"]] == [
        "assessment-decision", "assessment-no-plan", "assessment-final-plan"]
    assert "by Monday 16 February 2026" in message["text"]
    assert "passed 23 days ago" in message["text"]  # and what can be done now, with the letter
    assert "What you can do now" in message["text"]
    assert '/request_letter{"letter_template": "missed-deadline"}' in [b["payload"] for b in message["buttons"]]
    assert SlotSet("letter_prefill", {"template": "missed-deadline", "answers": {
        "deadline": "6-weeks", "due_date": "16 February 2026"}}) in events


async def test_upcoming_deadline_offers_a_reminder(dispatcher, tracker) -> None:
    await ActionAnswer().run(dispatcher, tracker("ask_ehc_draft_plan", text="the draft came on 2 March 2026"), {})
    [message] = dispatcher.messages
    assert message["custom"]["deadline"]["due"] == "2026-03-16"
    assert "5 days from today" in message["text"]
    assert "/remind_me" in [b["payload"] for b in message["buttons"]]


async def test_answer_without_a_date_offers_the_form(dispatcher, tracker) -> None:
    await ActionAnswer().run(dispatcher, tracker("ask_tribunal_deadlines", text="how long to appeal"), {})
    [message] = dispatcher.messages
    assert "deadline" not in message["custom"]
    assert '/ask_deadline{"deadline_event": "decision-letter"}' in [b["payload"] for b in message["buttons"]]


@pytest.mark.parametrize("value,expected", [
    ("Draft plan received", "draft-plan"), ("assessment-request", "assessment-request"), ("pizza", None)])
async def test_event_is_chosen_by_label_or_id(dispatcher, tracker, value, expected) -> None:
    result = ValidateDeadlineForm().validate_deadline_event(value, dispatcher, tracker("ask_deadline", text=value), {})
    assert result == {"deadline_event": expected}
    assert bool(dispatcher.messages) == (expected is None)


async def test_unreadable_date_is_asked_again_kindly(dispatcher, tracker) -> None:
    t = tracker("out_of_scope", text="ages ago", slots={"deadline_event": "draft-plan"})
    assert ValidateDeadlineForm().validate_deadline_date("ages ago", dispatcher, t, {}) == {"deadline_date": None}
    assert "couldn't read that as a date" in dispatcher.messages[0]["text"]


async def test_date_and_year_are_read(dispatcher, tracker) -> None:
    form = ValidateDeadlineForm()
    t = tracker("out_of_scope", text="5.1.26", slots={"deadline_event": "assessment-request"})
    assert form.validate_deadline_date("5.1.26", dispatcher, t, {}) == {"deadline_date": "2026-01-05"}
    t = tracker("out_of_scope", text="2027", slots={"deadline_event": "phase-transfer-school"})
    assert form.validate_deadline_date("2027", dispatcher, t, {}) == {"deadline_date": 2027}


@pytest.mark.parametrize("text,intent", [("stop", "deny"), ("never mind", "deny"), ("cancel", "stop_form")])
async def test_parent_can_stop(dispatcher, tracker, text, intent) -> None:
    result = ValidateDeadlineForm().validate_deadline_event(text, dispatcher, tracker(intent, text=text), {})
    assert result["form_stopped"] is True and result["deadline_event"] is None
    assert "stopped" in dispatcher.messages[0]["text"]
    stopped = tracker(intent, slots={"form_stopped": True})
    assert await ValidateDeadlineForm().required_slots([], dispatcher, stopped, {}) == []


async def test_second_date_only_for_a_mediation_certificate(dispatcher, tracker) -> None:
    form = ValidateDeadlineForm()
    plain = tracker("x", slots={"deadline_event": "decision-letter"})
    both = tracker("x", slots={"deadline_event": "certificate-issued"})
    assert await form.required_slots([], dispatcher, plain, {}) == ["deadline_event", "deadline_date"]
    assert await form.required_slots([], dispatcher, both, {}) == [
        "deadline_event", "deadline_date", "deadline_second_date"]


async def test_questions_come_one_at_a_time(dispatcher, tracker) -> None:
    await ActionAskDeadlineEvent().run(dispatcher, tracker("ask_deadline"), {})
    assert len(dispatcher.messages) == 1 and len(dispatcher.messages[0]["buttons"]) >= 10
    await ActionAskDeadlineDate().run(dispatcher, tracker("x", slots={"deadline_event": "draft-plan"}), {})
    assert dispatcher.messages[1]["text"] == "What date was the draft plan sent to you?"


async def test_result_sends_text_answer_payload_and_deadline(dispatcher, tracker) -> None:
    slots = {"deadline_event": "assessment-request", "deadline_date": "2026-01-05"}
    events = await ActionDeadlineResult().run(dispatcher, tracker("x", slots=slots), {})
    [message] = dispatcher.messages
    assert message["custom"]["type"] == "answer" and message["custom"]["kb_id"] == "ehc-assessment-timescales"
    assert message["custom"]["deadline"] == {"rule": "assessment-decision", "from": "2026-01-05", "due": "2026-02-16"}
    assert "16 February 2026" in message["text"]
    assert SlotSet("deadline_date", None) in events and SlotSet("form_stopped", False) in events


async def test_result_after_stop_says_nothing(dispatcher, tracker) -> None:
    events = await ActionDeadlineResult().run(dispatcher, tracker("x", slots={"form_stopped": True}), {})
    assert dispatcher.messages == [] and SlotSet("form_stopped", False) in events


async def test_remind_me_points_to_the_channels(dispatcher, tracker) -> None:
    await ActionRemindMe().run(dispatcher, tracker("remind_me"), {})
    assert "Telegram" in dispatcher.messages[0]["text"] and "calendar" in dispatcher.messages[0]["text"]


@pytest.mark.parametrize("text,expected", [("skip", "skipped"), ("don't know", "skipped"),
                                           ("5 January 2026", "2026-01-05"), ("5 January 2030", None)])
async def test_timeline_dates_can_be_skipped(dispatcher, tracker, text, expected) -> None:
    result = ValidateTimelineForm().validate_timeline_request(text, dispatcher, tracker("deny", text=text), {})
    assert result == {"timeline_request": expected}


async def test_timeline_shows_done_next_and_overdue_with_a_letter(dispatcher, tracker) -> None:
    slots = {"timeline_request": "2026-01-05", "timeline_decision": "skipped", "timeline_draft": "skipped",
             "timeline_final": "skipped"}
    events = await ActionShowTimeline().run(dispatcher, tracker("x", slots=slots), {})
    [message] = dispatcher.messages
    assert "overdue by 23 days" in message["text"]
    assert "Next: Final EHC plan, due by 25 May 2026" in message["text"]
    assert [s["status"] for s in message["custom"]["steps"]] == ["done", "overdue", "unknown", "next"]
    assert message["buttons"][0]["payload"].startswith("/request_letter")
    assert SlotSet("timeline_request", None) in events


async def test_timeline_without_the_request_date(dispatcher, tracker) -> None:
    await ActionShowTimeline().run(dispatcher, tracker("x", slots={"timeline_request": "skipped"}), {})
    assert "Without the date" in dispatcher.messages[0]["text"]


async def test_every_overdue_step_links_to_its_letter(dispatcher, tracker) -> None:
    slots = {"timeline_request": "2025-03-03", "timeline_decision": "skipped", "timeline_draft": "skipped",
             "timeline_final": "skipped"}
    await ActionShowTimeline().run(dispatcher, tracker("x", slots=slots), {})
    [message] = dispatcher.messages
    overdue = [s for s in message["custom"]["steps"] if s["status"] == "overdue"]
    letters = [b for b in message["buttons"] if b["payload"].startswith("/request_letter")]
    assert len(overdue) >= 2 and len(letters) == len(overdue)
    assert all(b["title"].startswith("Letter: ") for b in letters)
    assert len({b["title"] for b in letters}) == len(letters)
