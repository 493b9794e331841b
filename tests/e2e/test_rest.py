"""End-to-end: real REST messages through Rasa and the action server."""

from __future__ import annotations

from contextlib import closing
import sqlite3

import pytest

from bot.knowledge.entries import load_kb
from tests.helpers.rest import payloads, texts
from tests.helpers.topics import REQUIRED_IDS
from bot.settings import PROJECT_ROOT

pytestmark = pytest.mark.e2e

# One everyday question per required topic (written for these tests; the held-out set is separate).
TOPIC_QUESTIONS = {
    "ehc-plan-basics": "what actually is an ehcp and does my child need one",
    "ehc-needs-assessment-request": "how do i ask the council for an ehc needs assessment",
    "ehc-assessment-timescales": "how many weeks does the council have to decide on the assessment",
    "ehc-refusal-to-assess": "kcc refused to assess my son, what now?",
    "ehc-draft-plan": "we have just been sent the draft ehc plan, what should i do with it",
    "ehc-annual-review": "when should the annual review of the ehcp happen",
    "ehc-phase-transfer": "my daughter goes to secondary next september, when must the plan name the new school",
    "personal-budgets": "can we have a personal budget from the ehcp",
    "send-reforms-2026": "is the government getting rid of ehcps with the new white paper",
    "sen-support-in-school": "what support should school give without an ehcp, the senco isnt doing anything",
    "school-exclusion": "school keeps sending my autistic son home at lunchtime, is that allowed",
    "school-attendance-anxiety": "my daughter is too anxious to go to school and they are threatening a fine",
    "school-transport": "can my son get free transport to his special school",
    "health-waiting-times": "the waiting list for an autism assessment is 2 years, what can we do meanwhile",
    "post-16": "i am 17 and have an ehcp, can i keep it at college",
    "tribunal-appeal-rights": "which parts of the ehcp can i appeal against",
    "tribunal-deadlines": "how long do i have to appeal to the send tribunal",
    "mediation": "do i have to go to mediation before i appeal",
    "tribunal-process": "how do i register an appeal with the tribunal, which form",
    "disability-discrimination-claim": "the school wont let my disabled son go on the school trip, is that discrimination",
    "complaint-school": "how do i make a formal complaint about my sons academy",
    "complaint-council": "the council missed the 20 week deadline and nobody answers my emails, how do i complain",
    "complaint-health": "i want to complain about camhs",
    "contact-sendiass": "how do i contact iask",
    "contact-pact": "what is kent pact",
    "contact-council-send-team": "how do i get hold of my sen case officer at kcc",
    "national-advice-services": "is there a national charity that gives free send legal advice like ipsea",
    "crisis": "my son says he wants to kill himself",
}



def answer_of(replies):
    answers = [p for p in payloads(replies) if p.get("type") == "answer"]
    assert len(answers) == 1, replies
    return answers[0]





def test_every_required_topic_has_a_question() -> None:
    assert set(REQUIRED_IDS) <= set(TOPIC_QUESTIONS)


@pytest.mark.parametrize("kb_id,question", sorted(TOPIC_QUESTIONS.items()))
def test_topic_is_answered_with_sources(assistant, kb_id: str, question: str) -> None:
    replies = assistant.send(question)
    answer = answer_of(replies)
    entry = load_kb(PROJECT_ROOT / "knowledge").get(kb_id)
    assert answer["kb_id"] == kb_id
    assert answer["title"] == entry.title
    assert answer["reviewed"] == entry.reviewed.isoformat()
    assert answer["sources"] and all(s["url"].startswith("http") for s in answer["sources"])
    text = texts(replies)
    assert entry.short.split(".")[0] in text
    assert "not legal advice" in text


def test_crisis_comes_first_even_inside_a_send_question(assistant) -> None:
    replies = assistant.send("the council refused the ehcp and now he says he wants to end it all")
    assert answer_of(replies)["kb_id"] == "crisis"
    first = replies[0]["text"]
    assert "danger" in first.lower() or "999" in first
    assert "999" in texts(replies)


@pytest.mark.parametrize("message", [
    "my daughter has run away and we cant find her",
    "her stepdad hits her when im at work",
    "i cant go on any more, everyone would be better off without me",
    "he keeps self harming and cutting his arms",
    "sucide",
    "Our daughter hasn't eaten for days and is refusing water, she's getting really weak",
    "his seizure has not stopped after ten minutes",
    "she is unconscious and not breathing properly",
])
def test_crisis_wording(assistant, message: str) -> None:
    assert answer_of(assistant.send(message))["kb_id"] == "crisis"


@pytest.mark.parametrize("message", [
    "will i get fined because my autistic son cant cope with going to school",
    "my husbands visa is running out, will it affect our sons school",
    "can he appeal it himself",
])
def test_no_crisis_answer_for_ordinary_worries(assistant, message: str) -> None:
    kb_ids = [p.get("kb_id") for p in payloads(assistant.send(message))]
    assert "crisis" not in kb_ids


def test_answer_then_tell_me_more_then_follow_up(assistant) -> None:
    sender = "e2e-follow-up"
    first = answer_of(assistant.send("kcc refused to assess my son, what now?", sender))
    assert first["kb_id"] == "ehc-refusal-to-assess"
    more = assistant.send("tell me more", sender)
    assert answer_of(more)["kb_id"] == "ehc-refusal-to-assess"
    entry = load_kb(PROJECT_ROOT / "knowledge").get("ehc-refusal-to-assess")
    assert entry.detail.split(".")[0] in texts(more)
    assert answer_of(assistant.send("what about mediation?", sender))["kb_id"] == "mediation"


def test_buttons_offer_more_and_related_topics(assistant) -> None:
    replies = assistant.send("how long do i have to appeal to the send tribunal")
    buttons = [b for r in replies for b in r.get("buttons", [])]
    payload_list = [b["payload"] for b in buttons]
    assert "/tell_me_more" in payload_list
    assert any(p.startswith("/ask_") for p in payload_list)
    tapped = assistant.send(next(p for p in payload_list if p.startswith("/ask_")))
    assert answer_of(tapped)["kb_id"]


@pytest.mark.parametrize("message", [
    "how do i renew my passport",
    "when is council tax due",
    "what's the weather in margate tomorrow",
])
def test_out_of_scope_is_honest_and_logged(assistant, message: str) -> None:
    replies = assistant.send(message)
    unanswered = [p for p in payloads(replies) if p["type"] == "unanswered"]
    assert len(unanswered) == 1
    assert "don't know" in texts(replies)
    assert not [p for p in payloads(replies) if p["type"] == "answer"]
    assert isinstance(unanswered[0].get("log_id"), int)


def test_unanswered_log_is_redacted(assistant) -> None:
    replies = assistant.send("how do i renew my passport? email me at jo.bloggs@example.com or call 07700 900123")
    log_id = [p for p in payloads(replies) if p["type"] == "unanswered"][0]["log_id"]
    db = assistant.settings.database_url.split("///", 1)[1]
    with closing(sqlite3.connect(db)) as conn, conn:
        text, ref, channel = conn.execute(
            "select text_redacted, conversation_ref, channel from unanswered_log where id = ?", (log_id,)
        ).fetchone()
    assert "jo.bloggs" not in text and "07700" not in text
    assert "[email]" in text and "[phone]" in text
    assert channel == "rest"
    assert not ref.startswith("e2e-")


def test_crisis_text_is_never_logged(assistant) -> None:
    assistant.send("my son has taken an overdose please help")
    db = assistant.settings.database_url.split("///", 1)[1]
    with closing(sqlite3.connect(db)) as conn, conn:
        rows = conn.execute("select text_redacted from unanswered_log").fetchall()
    assert not any("overdose" in r[0] for r in rows)


@pytest.mark.parametrize("message", ["can i talk to a real person", "i need a human not a bot"])
def test_asking_for_a_person_is_a_handoff(assistant, message: str) -> None:
    replies = assistant.send(message)
    assert {"type": "handoff"} in payloads(replies)
    assert "IASK" in texts(replies)


@pytest.mark.parametrize("message,expected", [
    ("hello", "SEND Navigator"),
    ("are you a bot?", "not a person"),
    ("thanks", "welcome"),
    ("bye", "Take care"),
    ("help", "Pick"),
])
def test_small_talk(assistant, message: str, expected: str) -> None:
    assert expected in texts(assistant.send(message))


def test_greeting_offers_topic_buttons_and_a_group_opens(assistant) -> None:
    replies = assistant.send("hi")
    buttons = [b for r in replies for b in r.get("buttons", [])]
    assert len(buttons) >= 4
    group = assistant.send(buttons[0]["payload"])
    assert [b for r in group for b in r.get("buttons", []) if b["payload"].startswith("/ask_")]


BAD_INPUTS = {
    "empty": "",
    "whitespace": "   \n\t  ",
    "huge": "help with my ehcp " * 1200,
    "emoji and non-Latin": "😭😭 مرحبا 你好 Привет",
    "control characters": "\x00\x07\x1b[31m hello \x7f",
    "html and script": "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "slash command": "/restart",
    "unknown slash intent": "/nonsense_intent",
    "slash with json": '/ask_mediation{"group": "<b>x</b>"}',
    "sql-ish": "'; DROP TABLE unanswered_log; --",
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_gets_a_sensible_reply(assistant, name: str) -> None:
    replies = assistant.send(BAD_INPUTS[name])
    assert any(r.get("text", "").strip() for r in replies), replies
    # The server is still healthy afterwards.
    assert answer_of(assistant.send("what is mediation"))["kb_id"] == "mediation"


def test_html_is_not_interpreted_or_echoed(assistant) -> None:
    replies = assistant.send("<img src=x onerror=alert(1)>")
    assert "onerror" not in texts(replies)


def _tracker_rows(assistant, sender: str):
    db = assistant.settings.tracker_url.split("///", 1)[1]
    with closing(sqlite3.connect(db)) as conn, conn:
        return [r[0] for r in conn.execute("select data from events where sender_id = ? and type_name = 'user'", (sender,))]


def test_rasa_stores_conversations_redacted(assistant) -> None:
    sender = "e2e-tracker-redaction"
    assistant.send("how do i renew my passport? call me on 07700 900123", sender)
    assistant.send("my daughter says she wants to die", sender)
    rows = _tracker_rows(assistant, sender)
    assert len(rows) == 2
    assert not any("07700" in r or "wants to die" in r for r in rows)
    assert "[phone]" in rows[0] and "not stored" in rows[1]


def test_escalation_needs_consent_then_reports_status(assistant) -> None:
    sender = "e2e-escalation"
    assistant.send("can i get a blue badge for my autistic son", sender)
    offer = assistant.send("can i talk to a real person", sender)
    assert {"type": "handoff"} in payloads(offer)
    assert "not the council" in texts(offer)
    sent = assistant.send("/confirm_escalation", sender)
    escalation = [p for p in payloads(sent) if p.get("escalation_id")][0]
    assert escalation["state"] == "open"
    status = assistant.send("any reply yet?", sender)
    assert "waiting for a volunteer" in texts(status)
    db = assistant.settings.database_url.split("///", 1)[1]
    with closing(sqlite3.connect(db)) as conn, conn:
        packet, channel = conn.execute("select packet, channel from escalations where id = ?", (escalation["escalation_id"],)).fetchone()
    assert "blue badge" in packet and channel == "rest"
    cancelled = assistant.send("cancel my question", sender)
    assert "withdrawn" in texts(cancelled)


@pytest.mark.parametrize("typed", ['/greet{"last_kb_id": "mediation"}', '   /restart', '/request_human'])
def test_typed_intent_syntax_reaches_rasa_as_text(assistant, typed: str) -> None:
    """Rasa strips text before looking for '/intent{...}'; the proxy's mark keeps it plain text."""
    import json

    from bot.channels.rasa_client import as_text

    sender = f"e2e-injection-{abs(hash(typed))}"
    assistant.send("hello", sender)
    assistant.send(as_text(typed), sender)
    [_, parsed] = [json.loads(row)["parse_data"] for row in _tracker_rows(assistant, sender)]
    assert parsed["entities"] == []  # no slot set from the typed JSON
    assert parsed["intent"]["confidence"] < 1.0  # a model's guess, not Rasa's forced "/intent" parse
