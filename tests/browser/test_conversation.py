"""Keeping, deleting and recovering the conversation, and calm words when something goes wrong."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Chromium at /usr/bin/chromium"),
]


def test_first_open_shows_the_notice(widget) -> None:
    page = widget.load().open().page
    notice = page.locator(".snav-notice")
    assert "never your name" in notice.inner_text()
    assert "not the council" in notice.inner_text()
    assert "not legal advice" in notice.inner_text()
    assert notice.locator("a").get_attribute("href").endswith("/privacy")
    assert page.get_attribute("#snav-panel", "role") == "dialog"
    assert page.get_attribute("#snav-panel", "aria-labelledby") == "snav-title"


def test_delete_my_conversation_clears_the_log_and_storage(widget) -> None:
    page = widget.load().open().page
    widget.ask()
    assert widget.stored()["id"]
    with page.expect_response("**/api/conversation") as erased:
        page.get_by_role("button", name="Delete my conversation").click()
        page.get_by_role("button", name="Yes, delete it").click()
    assert erased.value.status == 204
    page.get_by_text("Your conversation has been deleted").wait_for()
    assert widget.messages().count() == 0
    assert widget.stored() is None
    page.reload()
    widget.page.locator("#snav-panel").wait_for(state="visible")
    assert widget.messages().count() == 0


def test_expired_conversation_starts_a_new_one_calmly(widget) -> None:
    page = widget.load().page
    stale = {"id": "x" * 43, "messages": [{"role": "user", "text": "an old question"}]}
    page.evaluate("s => localStorage.setItem('sendnav.conversation.v1', JSON.stringify(s))", stale)
    page.reload()
    widget.open()
    answer = widget.ask()
    assert answer.locator(".snav-sources a").count() >= 1
    assert page.get_by_text("started a new one").is_visible()
    assert widget.stored()["id"] != stale["id"]


@pytest.mark.parametrize("status,headers,words", [
    (413, {}, "That message is too long — please keep it under 2,000 characters"),
    (429, {"Retry-After": "7"}, "You're sending messages quickly; please wait 7 seconds"),
])
def test_refused_message_is_explained_and_given_back(widget, status, headers, words) -> None:
    page = widget.load().open().page
    page.route("**/api/chat", lambda route: route.fulfill(
        status=status, headers=headers, content_type="application/json", body=json.dumps({"error": "x"}),
    ))
    page.locator("#snav-input").fill("my question")
    page.locator("#snav-input").press("Enter")
    page.get_by_text(words).wait_for()
    assert page.locator("#snav-input").input_value() == "my question"
    assert widget.messages().count() == 0


def test_too_long_is_caught_before_sending(widget) -> None:
    page = widget.load().open().page
    page.locator("#snav-input").fill("a" * 2001)
    page.locator("#snav-input").press("Enter")
    page.get_by_text("under 2,000 characters").wait_for()
    assert widget.stored() is None


def test_assistant_down_shows_the_servers_message(widget) -> None:
    page = widget.load().open().page
    body = {"messages": [{"text": "I'm sorry, I can't answer right now."}], "fallback": True}
    page.route("**/api/chat", lambda route: route.fulfill(status=200, content_type="application/json", body=json.dumps(body)))
    reply = widget.ask("hello")
    assert "can't answer right now" in reply.inner_text()


def test_talk_to_a_person_sends_the_handoff(widget) -> None:
    page = widget.load().open().page
    with page.expect_request("**/api/chat") as sent:
        page.get_by_role("button", name="Talk to a person").click()
    assert json.loads(sent.value.post_data)["payload"] == "/request_human"
    reply = widget.wait_for_reply(0)
    assert "can't answer right now" not in reply.inner_text()  # the assistant, not the fallback
    assert page.locator("#snav-log .snav-msg--user").last.inner_text().endswith("Talk to a person")


def test_a_dropped_connection_is_tried_again_without_the_parent_noticing(widget) -> None:
    page = widget.load().open().page
    attempts = []

    def drop_the_first(route) -> None:
        attempts.append(route.request.post_data)
        if len(attempts) == 1:
            route.abort("connectionreset")  # as when the web server is killed mid-request
        else:
            route.continue_()

    page.route("**/api/chat", drop_the_first)
    reply = widget.ask("what is mediation")
    assert len(attempts) == 2 and attempts[0] == attempts[1]
    # The retry carries the same message id, so Rasa answers it once; the next message gets its own.
    first_id = json.loads(attempts[0])["message_id"]
    assert re.fullmatch(r"[0-9a-f]{32}", first_id)
    assert "mediation" in reply.inner_text().lower()
    assert not page.locator("#snav-error").inner_text().strip()
    widget.ask("what is an ehcp")
    assert len(attempts) == 3 and json.loads(attempts[2])["message_id"] not in (first_id, None)


def test_a_server_that_stays_away_gets_a_calm_message_and_the_words_back(widget) -> None:
    page = widget.load().open().page
    attempts = []
    page.route("**/api/chat", lambda route: (attempts.append(1), route.abort("connectionrefused")))
    page.locator("#snav-input").fill("what is mediation")
    page.locator("#snav-input").press("Enter")
    page.get_by_text("I can't reach").wait_for(timeout=15000)
    assert len(attempts) == 3  # the first try and two retries, then it stops
    assert page.locator("#snav-input").input_value() == "what is mediation"
    assert widget.messages().count() == 0
