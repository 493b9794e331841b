"""Keyboards, callback data and the messages built from Rasa's replies."""

from __future__ import annotations

import itertools
from typing import Dict, Iterator, List, Tuple

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.channels.telegram_buttons import Tap, build_keyboard, outgoing_messages, parse_callback, without_feedback
from bot.channels.telegram_texts import load_telegram_texts
from bot.settings import PROJECT_ROOT

TEXTS = load_telegram_texts(PROJECT_ROOT / "knowledge")
XSS = "<img src=x onerror=alert(1)>"


class FakeStore:
    """Keeps (kind, payload) by a counter id, standing in for ButtonRepository."""

    def __init__(self) -> None:
        self.saved: Dict[str, Tuple[str, str]] = {}
        self._ids: Iterator[int] = itertools.count(1)

    def __call__(self, kind: str, payload: str) -> str:
        button_id = f"id{next(self._ids)}"
        self.saved[button_id] = (kind, payload)
        return button_id


def rows(markup: InlineKeyboardMarkup) -> List[List[Tuple[str, str]]]:
    return [[(b.text, b.callback_data) for b in row] for row in markup.inline_keyboard]


def test_rasa_buttons_keep_their_payload_server_side() -> None:
    store = FakeStore()
    long_payload = '/show_topics{"group":"' + "x" * 100 + '"}'
    markup = build_keyboard([{"title": "Topics", "payload": long_payload}, {"title": "More", "payload": "/tell_me_more"}], store)
    assert rows(markup) == [[("Topics", "b:id1")], [("More", "b:id2")]]
    assert store.saved == {"id1": ("rasa", long_payload), "id2": ("rasa", "/tell_me_more")}


def test_an_answer_gets_a_vote_row_last() -> None:
    store = FakeStore()
    markup = build_keyboard([{"title": "More", "payload": "/tell_me_more"}], store, feedback_kb_id="tribunal-deadlines")
    assert rows(markup) == [[("More", "b:id1")], [("👍", "f:1:id2"), ("👎", "f:0:id2")]]
    assert store.saved["id2"] == ("feedback", "tribunal-deadlines")


@pytest.mark.parametrize("buttons", [[], [{"title": "", "payload": "/x"}], [{"title": "x"}], [{"title": 3, "payload": "/x"}]])
def test_no_usable_buttons_means_no_keyboard(buttons) -> None:
    assert build_keyboard(buttons, FakeStore()) is None


@pytest.mark.parametrize("data,expected", [
    ("b:abc", Tap("rasa", "abc")),
    ("f:1:abc", Tap("feedback", "abc", helpful=True)),
    ("f:0:abc", Tap("feedback", "abc", helpful=False)),
    ("f:2:abc", None),
    ("f:1:", None),
    ("b:", None),
    ("/ask_mediation", None),
    ("", None),
    (None, None),
])
def test_parse_callback(data, expected) -> None:
    assert parse_callback(data) == expected


def test_removing_the_votes_keeps_other_buttons() -> None:
    markup = InlineKeyboardMarkup([
        [InlineKeyboardButton("More", callback_data="b:1")],
        [InlineKeyboardButton("👍", callback_data="f:1:2"), InlineKeyboardButton("👎", callback_data="f:0:2")],
    ])
    assert rows(without_feedback(markup)) == [[("More", "b:1")]]
    assert rows(without_feedback(None)) == []


def test_an_answer_becomes_one_escaped_message_with_links_and_votes() -> None:
    replies = [
        {"text": f"Hi {XSS}\n\nWhere this comes from:\n• Guide: https://www.gov.uk/g", "buttons": [{"title": "More", "payload": "/tell_me_more"}]},
        {"custom": {"type": "answer", "kb_id": "mediation", "sources": [
            {"title": "Guide", "url": "https://www.gov.uk/g"}, {"title": f"Bad {XSS}", "url": "javascript:alert(1)"}]}},
    ]
    [message] = outgoing_messages(replies, FakeStore(), TEXTS)
    assert message.html.startswith("Hi &lt;img src=x onerror=alert(1)&gt;")
    assert '• <a href="https://www.gov.uk/g">Guide</a>' in message.html
    assert "• Bad &lt;img" in message.html and "javascript" not in message.html
    assert [b.text for row in message.markup.inline_keyboard for b in row] == ["More", "👍", "👎"]


def test_a_long_reply_puts_its_buttons_on_the_last_part() -> None:
    text = "\n\n".join("paragraph " * 50 for _ in range(20))
    messages = outgoing_messages([{"text": text, "buttons": [{"title": "More", "payload": "/x"}]}], FakeStore(), TEXTS)
    assert len(messages) == 3
    assert [m.markup is not None for m in messages] == [False, False, True]


def test_buttons_without_words_still_get_a_message_and_empty_replies_none() -> None:
    [message] = outgoing_messages([{"buttons": [{"title": "A", "payload": "/a"}]}], FakeStore(), TEXTS)
    assert message.html == TEXTS.text("choose")
    assert outgoing_messages([{"custom": {"type": "handoff"}}], FakeStore(), TEXTS) == []
