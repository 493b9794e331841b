"""End-to-end conversations through the real Rasa and action servers (issue 10): each turn depends on the last."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.text import long_date
from tests.helpers.rest import new_sender, payloads, texts

pytestmark = pytest.mark.e2e


def kinds(replies):
    return [p.get("type") for p in payloads(replies)]


def kb_ids(replies):
    return [p.get("kb_id") for p in payloads(replies) if p.get("kb_id")]


def deadline(replies):
    found = [p["deadline"] for p in payloads(replies) if p.get("deadline")]
    assert found, replies
    return found[0]


def test_a_follow_up_keeps_the_topic(assistant) -> None:
    sender = new_sender()
    assert "mediation" in kb_ids(assistant.send("what is mediation", sender))
    replies = assistant.send("do I have to do it?", sender)
    assert "unanswered" not in kinds(replies)
    assert kb_ids(replies)[0] == "mediation"


@pytest.mark.parametrize("first, follow_up, expected", [
    ("how do i ask for an ehc needs assessment", "how long will it take?", {"ehc-assessment-timescales"}),
    ("what is iask", "what's their phone number?", {"contact-sendiass"}),
    ("what is kent pact", "how do I join?", {"contact-pact"}),
])
def test_follow_ups_of_the_issue(assistant, first: str, follow_up: str, expected: set) -> None:
    sender = new_sender()
    assistant.send(first, sender)
    replies = assistant.send(follow_up, sender)
    assert "unanswered" not in kinds(replies)
    assert set(kb_ids(replies)) & expected, replies


def test_a_date_in_the_next_message_goes_to_the_topics_own_clock_then_another_clock(assistant) -> None:
    sender = new_sender()
    meeting = dt.date.today() - dt.timedelta(days=47)
    assert "ehc-annual-review" in kb_ids(assistant.send("what is an annual review", sender))
    replies = assistant.send(f"ours was on {meeting:%d %B %Y}, when should we hear back?", sender)
    found = deadline(replies)
    assert found["rule"] == "review-decision"  # never the 6-week assessment clock
    assert found["due"] == (meeting + dt.timedelta(weeks=4)).isoformat()
    assert long_date(meeting) in texts(replies)  # the date read back, with its weekday
    later = deadline(assistant.send("and when is the final plan due?", sender))
    assert later["rule"] == "review-final-plan"
    assert later["due"] == (meeting + dt.timedelta(weeks=12)).isoformat()


def test_a_letter_mentioned_in_passing_starts_no_form(assistant) -> None:
    sender = new_sender()
    assistant.send("how long do I have to appeal?", sender)
    letter = dt.date.today() - dt.timedelta(days=28)
    replies = assistant.send(f"the letter was dated {letter:%d %B %Y}", sender)
    assert "form" not in kinds(replies)
    assert "Which letter" not in texts(replies)
    assert deadline(replies)["rule"] == "appeal-deadline"
    replies = assistant.send("thanks. and what if i miss it?", sender)
    assert "Which letter" not in texts(replies) and "not sure which letter" not in texts(replies)
    assert "unanswered" not in kinds(replies)


def test_a_letter_form_introduces_itself_answers_a_question_and_stops(assistant) -> None:
    sender = new_sender()
    replies = assistant.send("can you help me write a letter asking kcc to assess my daughter", sender)
    assert kinds(replies)[0] == "form"
    assert "not stored" in replies[0]["text"] and "stop" in replies[0]["text"]
    assert len(replies) >= 2  # then the first question
    replies = assistant.send("actually what is mediation?", sender)
    assert "mediation" in kb_ids(replies) and "form_resume" in kinds(replies)
    replies = assistant.send("stop", sender)
    assert "stopped" in texts(replies)
    replies = assistant.send("what is a personal budget", sender)
    assert "personal-budgets" in kb_ids(replies)


def test_a_close_call_is_not_thrown_away(assistant) -> None:
    sender = new_sender()
    replies = assistant.send("I sent my request for an EHC needs assessment on 5 January 2026. By what date must "
                             "the council decide whether to assess?", sender)
    assert "unanswered" not in kinds(replies)
    options = {"ehc-assessment-timescales", "ehc-needs-assessment-request"}
    clarify = [p for p in payloads(replies) if p.get("type") == "clarify"]
    if clarify:
        assert set(clarify[0]["options"]) <= options
        assert "unanswered" in kinds(assistant.send("/something_else", sender))
    else:
        assert set(kb_ids(replies)) & options


def test_a_future_date_for_a_past_event_gets_a_question_back(assistant) -> None:
    sender = new_sender()
    assistant.send("how long do I have to appeal?", sender)
    future = dt.date.today() + dt.timedelta(days=31)
    replies = assistant.send(f"the refusal letter is dated {future:%d %B %Y}", sender)
    assert "deadline_question" in kinds(replies)


def test_crisis_wins_in_the_middle_of_a_conversation(assistant) -> None:
    sender = new_sender()
    assistant.send("what is mediation", sender)
    replies = assistant.send("he says he wants to kill himself", sender)
    assert kb_ids(replies)[0] == "crisis"


def test_a_tribunal_order_date_without_its_kind_asks_which_and_keeps_the_date(assistant) -> None:
    sender = new_sender()
    order = dt.date.today() - dt.timedelta(days=10)
    assistant.send("what happens if the council ignores the tribunal decision", sender)
    replies = assistant.send(f"the order is dated {order:%d %B %Y}, when do they have to do it by?", sender)
    asked = next(p["which_event"] for p in payloads(replies) if p.get("which_event"))
    assert asked["date"] == order.isoformat() and "tribunal-order-amend" in asked["events"]
    assert not [p for p in payloads(replies) if p.get("deadline")]           # nothing guessed
    found = deadline(assistant.send("Tribunal ordered changes to the plan", sender))   # the button's payload
    assert found["rule"] == "tribunal-order-amend"
    assert found["due"] == (order + dt.timedelta(weeks=5)).isoformat()     # SEND Regulations 2014 reg 44(2)


def test_a_certificate_date_after_the_letter_date_works_out_the_later_appeal_deadline(assistant) -> None:
    from bot.deadlines.chat import Worked, from_message

    sender = new_sender()
    letter, certificate = dt.date.today() - dt.timedelta(days=50), dt.date.today() - dt.timedelta(days=12)
    assistant.send("how long do i have to appeal to the tribunal", sender)
    first = deadline(assistant.send(f"the decision letter was dated {letter:%d %B %Y}", sender))
    assert first["rule"] == "appeal-deadline"
    said = f"i got the mediation certificate on {certificate:%d %B %Y}, does that change it?"
    found = deadline(assistant.send(said, sender))
    expected = from_message("tribunal-deadlines", f"letter dated {letter:%d %B %Y} and certificate issued on "
                            f"{certificate:%d %B %Y}", dt.date.today())
    assert isinstance(expected, Worked)
    assert (found["rule"], found["due"]) == (expected.main.rule, expected.main.due.isoformat())
    assert found["rule"] == "appeal-after-certificate"


def test_an_event_named_first_gets_its_own_clock_when_the_date_comes_next(assistant) -> None:
    sender = new_sender()
    missed = dt.date.today() - dt.timedelta(days=21)
    assistant.send("the council blew the 20 week deadline. someone mentioned judicial review, what is that?", sender)
    found = deadline(assistant.send(f"they missed it on {missed:%d %B %Y}. how long have we got to start one", sender))
    assert found["rule"] == "judicial-review"   # not the Ombudsman's 12 months
