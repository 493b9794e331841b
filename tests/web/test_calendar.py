"""POST /api/calendar: an .ics file only for a deadline the server sent in this live conversation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from icalendar import Calendar
from starlette.testclient import TestClient

from bot.store.models import utcnow
from tests.helpers.web import DEADLINE, OTHER_DEADLINE, FakeRasa


def ask_for_deadline(client: TestClient, conversation: str, rasa: FakeRasa) -> None:
    rasa.mode = "deadline"
    response = client.post("/api/chat", json={"conversation_id": conversation, "text": "when is my final plan due"})
    assert response.status_code == 200 and response.json()["messages"][0]["custom"]["deadline"] == DEADLINE


def calendar(client: TestClient, conversation: str, **body: Any):
    return client.post("/api/calendar", json={"conversation_id": conversation, **body})


@pytest.mark.parametrize("deadline", [DEADLINE, OTHER_DEADLINE])
def test_a_sent_deadline_becomes_an_all_day_event_with_an_alarm(
    client: TestClient, conversation: str, rasa: FakeRasa, deadline
) -> None:
    ask_for_deadline(client, conversation, rasa)
    response = calendar(client, conversation, rule=deadline["rule"], due=deadline["due"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["content-disposition"].endswith('.ics"')
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("dtstart") == dt.date.fromisoformat(deadline["due"])
    assert not isinstance(event.decoded("dtstart"), dt.datetime), "an all-day event"
    assert str(event["summary"]).startswith("SEND deadline: ")
    assert event["uid"] and event["dtstamp"] and "not legal advice" in str(event["description"])
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("trigger") == -dt.timedelta(days=7)


@pytest.mark.parametrize("rule, due", [
    ("no-such-rule", "2026-05-25"), ("assessment-final-plan", "25/05/2026"), ("assessment-final-plan", "2026-02-30"),
    ("assessment-final-plan", None), (None, "2026-05-25"), (["assessment-final-plan"], "2026-05-25"),
])
def test_an_unknown_rule_or_a_bad_date_is_refused(
    client: TestClient, conversation: str, rasa: FakeRasa, rule, due
) -> None:
    ask_for_deadline(client, conversation, rasa)
    assert calendar(client, conversation, rule=rule, due=due).status_code == 400


def test_a_deadline_not_sent_in_this_conversation_is_refused(
    client: TestClient, conversation: str, rasa: FakeRasa
) -> None:
    ask_for_deadline(client, conversation, rasa)
    assert calendar(client, conversation, rule="assessment-final-plan", due="2026-05-26").status_code == 403
    assert calendar(client, conversation, rule="appeal-deadline", due="2026-05-25").status_code == 403


def test_another_conversation_cannot_use_a_deadline_sent_elsewhere(
    client: TestClient, conversation: str, rasa: FakeRasa
) -> None:
    ask_for_deadline(client, conversation, rasa)
    other = client.post("/api/session", json={}).json()["conversation_id"]
    assert calendar(client, other, **{k: DEADLINE[k] for k in ("rule", "due")}).status_code == 403


def test_no_live_conversation_gets_404(client: TestClient, conversation: str, rasa: FakeRasa) -> None:
    ask_for_deadline(client, conversation, rasa)
    body = {k: DEADLINE[k] for k in ("rule", "due")}
    assert calendar(client, "A" * 43, **body).status_code == 404
    later = utcnow() + dt.timedelta(hours=25)
    client.app.state.api.sessions.clock = lambda: later
    assert calendar(client, conversation, **body).status_code == 404


def test_an_offered_deadline_is_not_a_chat_payload(client: TestClient, conversation: str, rasa: FakeRasa) -> None:
    ask_for_deadline(client, conversation, rasa)
    token = f"calendar:{DEADLINE['rule']}|{DEADLINE['due']}"
    response = client.post("/api/chat", json={"conversation_id": conversation, "payload": token})
    assert response.status_code == 403
