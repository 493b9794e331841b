"""ActionAnswer in a conversation: follow-ups, later dates, close calls, and questions asked inside forms."""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List

import pytest
from rasa_sdk import Tracker
from sqlalchemy import select

import actions.deadline_replies as replies
from actions.answers import ActionAnswer
from actions.letters import ActionAskLetterTemplate, ValidateLetterForm
from actions.services import get_services
from bot.store.models import UnansweredLog

pytestmark = pytest.mark.anyio
TODAY = dt.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch) -> None:
    monkeypatch.setattr(replies, "_clock", lambda: TODAY)


def _custom(dispatcher) -> List[Dict[str, Any]]:
    return [m["custom"] for m in dispatcher.messages if m.get("custom")]


def _slots(events) -> Dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def _ranking(*pairs) -> List[Dict[str, Any]]:
    return [{"name": name, "confidence": conf} for name, conf in pairs]


async def test_a_follow_up_is_answered_on_the_live_topic(dispatcher, tracker) -> None:
    # "what is mediation" was answered; "do I have to do it?" names no topic, whatever the NLU guessed.
    t = tracker("ask_tribunal_appeal_rights", text="do I have to do it?",
                ranking=_ranking(("ask_tribunal_appeal_rights", 0.8)), slots={"last_kb_id": "mediation"})
    events = await ActionAnswer().run(dispatcher, t, {})
    [custom] = _custom(dispatcher)
    assert custom["kb_id"] == "mediation" and custom["follow_up"] == "must"
    assert "unanswered" not in {c["type"] for c in _custom(dispatcher)}
    assert _slots(events)["last_kb_id"] == "mediation"


async def test_a_date_in_the_next_message_goes_to_the_live_topics_clock(dispatcher, tracker) -> None:
    # The wrong statutory date: the annual review decision is due 4 weeks after the meeting.
    t = tracker("ask_ehc_assessment_timescales", text="ours was on 14 October 2026, when should we hear back?",
                ranking=_ranking(("ask_ehc_assessment_timescales", 0.7)), slots={"last_kb_id": "ehc-annual-review"})
    events = await ActionAnswer().run(dispatcher, t, {})
    [message] = dispatcher.messages
    assert message["custom"]["deadline"]["rule"] == "review-decision"
    assert message["custom"]["deadline"]["due"] == "2026-11-11"
    assert "Wednesday 14 October 2026" in message["text"]  # the date read back to the parent
    assert _slots(events)["deadline_shown"]["rule"] == "annual-review"


async def test_another_clock_of_the_same_dates(dispatcher, tracker) -> None:
    shown = {"rule": "annual-review", "answers": {"meeting": "2026-10-14"}}
    t = tracker("nlu_fallback", text="and the final plan?", ranking=_ranking(("ask_ehc_draft_plan", 0.3)),
                slots={"last_kb_id": "ehc-annual-review", "deadline_shown": shown})
    await ActionAnswer().run(dispatcher, t, {})
    [custom] = _custom(dispatcher)
    assert custom["deadline"]["rule"] == "review-final-plan"
    assert custom["deadline"]["due"] == "2027-01-06"


async def test_no_specific_answer_says_so_and_offers_entries(dispatcher, tracker) -> None:
    t = tracker("nlu_fallback", text="ok and", ranking=_ranking(("ask_personal_budgets", 0.1)),
                slots={"last_kb_id": "mediation"})
    await ActionAnswer().run(dispatcher, t, {})
    [message] = dispatcher.messages
    assert message["custom"]["type"] == "no_specific_answer"
    assert message["buttons"][0]["payload"] == "/ask_mediation"
    assert message["buttons"][-1]["payload"] == "/request_human"


async def test_a_close_call_asks_and_logs_only_if_the_parent_picks_something_else(dispatcher, tracker) -> None:
    text = "By what date must the council decide whether to assess?"
    ranking = _ranking(("nlu_fallback", 0.5), ("ask_ehc_assessment_timescales", 0.50),
                       ("ask_ehc_needs_assessment_request", 0.49))
    events = await ActionAnswer().run(dispatcher, tracker("nlu_fallback", text=text, ranking=ranking), {})
    [message] = dispatcher.messages
    assert message["custom"] == {"type": "clarify",
                                 "options": ["ehc-assessment-timescales", "ehc-needs-assessment-request"]}
    assert [b["payload"] for b in message["buttons"]][-1] == "/something_else"
    assert _slots(events)["clarify_pending"] == ["ehc-assessment-timescales", "ehc-needs-assessment-request"]
    with get_services().unanswered.repository.sessions() as session:
        assert session.execute(select(UnansweredLog)).first() is None

    picked = Tracker.from_dict({
        **tracker("something_else", text="/something_else", ranking=_ranking(("something_else", 1.0)),
                  slots={"clarify_pending": ["ehc-assessment-timescales"]}).current_state(),
        "events": [{"event": "user", "text": text}, {"event": "bot", "text": "Do you mean"},
                   {"event": "user", "text": "/something_else"}],
    })
    dispatcher.messages.clear()
    await ActionAnswer().run(dispatcher, picked, {})
    assert dispatcher.messages[0]["custom"]["type"] == "unanswered"
    with get_services().unanswered.repository.sessions() as session:
        [row] = session.execute(select(UnansweredLog)).scalars().all()
    assert row.text_redacted == text


async def test_a_question_inside_the_letter_form_is_answered_then_the_form_goes_on(dispatcher, tracker) -> None:
    t = tracker("ask_mediation", text="actually what is mediation?", ranking=_ranking(("ask_mediation", 0.9)),
                slots={"letter_template": "request-assessment", "letter_answers": {}})
    values = ValidateLetterForm().validate_letter_answer("actually what is mediation?", dispatcher, t, {})
    assert values["letter_answer"] is None and "letter_answers" not in values  # not taken as an answer
    assert [c["type"] for c in _custom(dispatcher)] == ["answer", "form_resume"]
    assert _custom(dispatcher)[0]["kb_id"] == "mediation"


async def test_an_answer_inside_the_letter_form_is_an_answer(dispatcher, tracker) -> None:
    t = tracker("ask_mediation", text="Sam Jones", ranking=_ranking(("ask_mediation", 0.9)),
                slots={"letter_template": "request-assessment", "letter_answers": {}})
    values = ValidateLetterForm().validate_letter_answer("Sam Jones", dispatcher, t, {})
    assert values["letter_answers"]


async def test_the_form_introduces_itself_before_its_first_question(dispatcher, tracker) -> None:
    t = Tracker.from_dict({
        **tracker("request_letter", text="help me write a letter").current_state(),
        "events": [{"event": "user", "text": "help me write a letter"},
                   {"event": "action", "name": "letter_form"}, {"event": "active_loop", "name": "letter_form"}],
    })
    await ActionAskLetterTemplate().run(dispatcher, t, {})
    intro, question = dispatcher.messages
    assert intro["custom"] == {"type": "form", "form": "letter"}
    assert "not stored" in intro["text"] and '"stop"' in intro["text"]
    dispatcher.messages.clear()
    later = Tracker.from_dict({**t.current_state(), "events": t.events + [{"event": "user", "text": "SAR"}]})
    await ActionAskLetterTemplate().run(dispatcher, later, {})
    assert len(dispatcher.messages) == 1


async def test_a_remembered_date_that_cannot_be_read_is_never_guessed(dispatcher, tracker) -> None:
    shown = {"rule": "annual-review", "answers": {"meeting": "[date]"}}
    t = tracker("nlu_fallback", text="and the final plan?", ranking=_ranking(("ask_ehc_draft_plan", 0.3)),
                slots={"last_kb_id": "ehc-annual-review", "deadline_shown": shown})
    await ActionAnswer().run(dispatcher, t, {})
    [custom] = _custom(dispatcher)
    assert custom["type"] == "no_specific_answer" and "deadline" not in custom
