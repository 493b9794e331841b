"""End-to-end: deadlines, the forms and letters through the real Rasa and action servers.

Dates are absolute: relative ones ("3 weeks ago") depend on the day the tests run.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import uuid
from typing import Any, Dict, List

import pytest
from docx import Document
from sqlalchemy import create_engine, text

from tests.helpers.rest import new_sender, payloads, texts

pytestmark = pytest.mark.e2e

# One natural question per rule group, with the deadline it must give.
RULE_QUESTIONS = {
    "ehc-assessment-timescales": ("I asked for an assessment on 5 January 2026, when must they decide?",
                                  {"rule": "assessment-decision", "from": "2026-01-05", "due": "2026-02-16"}),
    "ehc-draft-plan": ("the draft plan arrived on 2 March 2026, when do i have to reply by",
                       {"rule": "draft-plan-comments", "from": "2026-03-02", "due": "2026-03-16"}),
    "ehc-annual-review": ("the annual review meeting was on 20 January 2026, when must the council decide",
                          {"rule": "review-decision", "from": "2026-01-20", "due": "2026-02-17"}),
    "ehc-phase-transfer": ("my son moves to secondary school in september 2027, when must the plan be amended",
                           {"rule": "phase-transfer-school", "from": "2027-01-01", "due": "2027-02-14"}),
    "tribunal-deadlines": ("the decision letter was dated 15 January 2026, when is my appeal deadline",
                           {"rule": "appeal-deadline", "from": "2026-01-15", "due": "2026-03-16"}),
    "mediation": ("i told the mediation adviser on 9 February 2026 that i dont want mediation, when do i get "
                  "the certificate", {"rule": "mediation-certificate", "from": "2026-02-09", "due": "2026-02-12"}),
    "complaint-council": ("the council missed the deadline on 20 March 2026, how long do i have to complain to "
                          "the ombudsman", {"rule": "ombudsman-complaint", "from": "2026-03-20", "due": "2027-03-19"}),
    "complaint-health": ("camhs discharged my son on 14 August 2026, how long do i have to complain",
                         {"rule": "nhs-complaint", "from": "2026-08-14", "due": "2027-08-14"}),
    "disability-discrimination-claim": (
        "the school excluded my disabled son from the trip on 10 March 2026, when is the deadline to claim "
        "discrimination", {"rule": "discrimination-claim", "from": "2026-03-10", "due": "2026-09-09"}),
}


def _answer(replies: List[Dict[str, Any]]) -> Dict[str, Any]:
    [answer] = [p for p in payloads(replies) if p.get("type") == "answer"]
    return answer


def test_deadline_in_the_same_turn(assistant) -> None:
    replies = assistant.send("I asked for an assessment on 5 January 2026, when must they decide?")
    answer = _answer(replies)
    assert answer["kb_id"] == "ehc-assessment-timescales"
    assert answer["deadline"] == {"rule": "assessment-decision", "from": "2026-01-05", "due": "2026-02-16"}
    assert "16 February 2026" in texts(replies)


@pytest.mark.parametrize("kb_id", sorted(RULE_QUESTIONS))
def test_every_rule_group_is_reachable(assistant, kb_id: str) -> None:
    question, deadline = RULE_QUESTIONS[kb_id]
    answer = _answer(assistant.send(question))
    assert answer["kb_id"] == kb_id
    assert answer["deadline"] == deadline


def test_deadline_form_asks_one_question_at_a_time(assistant) -> None:
    sender = new_sender()
    first = assistant.send("can you work out my deadline", sender)
    intro = [r for r in first if (r.get("custom") or {}).get("type") == "form"]  # what it does, "stop" ends it
    questions = [r for r in first if r.get("buttons")]
    assert len(intro) == 1 and "stop" in first[0]["text"]
    assert len(questions) == 1 and "Draft plan received" in [b["title"] for b in questions[0]["buttons"]]
    second = assistant.send("Draft plan received", sender)
    assert texts(second) == "What date was the draft plan sent to you?"
    again = assistant.send("sometime", sender)
    assert "couldn't read that as a date" in texts(again) and "draft plan sent" in texts(again)
    result = assistant.send("2 March 2026", sender)
    answer = _answer(result)
    assert answer["kb_id"] == "ehc-draft-plan"
    assert answer["deadline"] == {"rule": "draft-plan-comments", "from": "2026-03-02", "due": "2026-03-16"}


def test_a_form_answer_sent_again_with_its_id_is_read_once(assistant) -> None:
    # The widget sends a message again, with the same id, when its connection dropped while Rasa was answering:
    # read twice, the date would also answer the form's next question. It gets the first replies back instead.
    sender = new_sender()
    assistant.send("can you work out my deadline", sender)
    assistant.send("Draft plan received", sender)
    message = {"sender": sender, "message": "2 March 2026", "message_id": uuid.uuid4().hex}
    first = assistant.post(message)
    again = assistant.post(message)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert _answer(first.json())["deadline"]["due"] == "2026-03-16"
    assert texts(assistant.send("what is mediation", sender))  # the conversation carries on as normal
    events = [json.loads(row) for row in _tracker_rows(assistant.settings.tracker_url, sender)]
    assert [e.get("message_id") for e in events if e["event"] == "user"].count(message["message_id"]) == 1


@pytest.mark.parametrize("stop", ["stop", "cancel", "never mind"])
def test_deadline_form_can_be_stopped(assistant, stop: str) -> None:
    sender = new_sender()
    assistant.send("when is my deadline", sender)
    assistant.send("Assessment request sent", sender)
    stopped = assistant.send(stop, sender)
    assert "stopped" in texts(stopped)
    assert not [p for p in payloads(stopped) if "deadline" in p]
    after = assistant.send("how do i complain about camhs", sender)
    assert _answer(after)["kb_id"] == "complaint-health"


def test_timeline_form(assistant) -> None:
    sender = new_sender()
    assistant.send("where am i in the process", sender)
    assistant.send("5 January 2026", sender)
    for _ in range(3):
        replies = assistant.send("skip", sender)
    [timeline] = [p for p in payloads(replies) if p.get("type") == "timeline"]
    assert [s["status"] for s in timeline["steps"]][:2] == ["done", "overdue"]
    assert any(b["payload"].startswith("/request_letter") for r in replies for b in r.get("buttons", []))


def test_letter_form_delivers_a_docx_and_keeps_nothing(assistant) -> None:
    sender, child = new_sender(), "Zebedee Quartermain"
    replies = assistant.send("subject access request letter", sender)
    letter = None
    for _ in range(12):
        question = texts(replies)
        replies = assistant.send(child if "child's full name" in question else "skip", sender)
        letter = next((p for p in payloads(replies) if p.get("type") == "letter"), None)
        if letter:
            break
    assert letter is not None and letter["template"] == "subject-access"
    document = Document(io.BytesIO(base64.b64decode(letter["docx_base64"])))
    assert any(child in p.text for p in document.paragraphs)
    assert child in texts(replies)
    rows = _tracker_rows(assistant.settings.tracker_url, sender)
    assert rows and not any(child in row or "Zebedee" in row or "docx_base64" in row for row in rows)
    assert not any("Subject access request" in row and "Dear" in row for row in rows)


def _tracker_rows(url: str, sender: str) -> List[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            result = connection.execute(text("SELECT data FROM events WHERE sender_id = :s"), {"s": sender})
            return [json.dumps(json.loads(row[0])) for row in result]
    finally:
        engine.dispose()


def test_a_weekday_that_disagrees_is_asked_about_and_a_button_answers_it(assistant) -> None:
    sender = new_sender()
    asked = assistant.send("the decision letter is dated Tuesday 22 October 2025, when is my appeal deadline", sender)
    assert "22 October 2025 was a Wednesday, not a Tuesday. Which is right?" in texts(asked)
    [question] = [p for p in payloads(asked) if p.get("type") == "deadline_question"]
    assert question["kind"] == "weekday_mismatch" and not [p for p in payloads(asked) if "deadline" in p]
    titles = [b["title"] for r in asked for b in r.get("buttons", [])]
    assert titles == ["Wednesday 22 October 2025", "Tuesday 21 October 2025", "Let me type it again"]
    result = assistant.send("Wednesday 22 October 2025", sender)
    answer = _answer(result)
    assert answer["deadline"] == {"rule": "appeal-deadline", "from": "2025-10-22", "due": "2025-12-22"}
    assert "You said the decision letter is dated Wednesday 22 October 2025." in texts(result)


def test_a_future_date_in_the_form_is_asked_about_and_can_be_typed_again(assistant) -> None:
    sender, ahead = new_sender(), dt.date.today() + dt.timedelta(days=40)
    assistant.send("can you work out my deadline", sender)
    assistant.send("Decision letter received", sender)
    asked = assistant.send(f"{ahead.day} {ahead:%B %Y}", sender)
    assert "hasn't come yet. Did you mean" in texts(asked)
    assert "Let me type it again" in [b["title"] for r in asked for b in r.get("buttons", [])]
    again = assistant.send("Let me type it again", sender)
    assert texts(again) == "What date is on the council's decision letter?"
    stopped = assistant.send("stop", sender)
    assert "stopped" in texts(stopped) and not [p for p in payloads(stopped) if "deadline" in p]
