"""A widget question escalated out of hours: the parent's reply comes at once, then one email and one group notice.

The action server stores the question and answers the parent; the notifier
(its own process in production) tells the on-duty volunteers. Neither notice
holds anything the parent wrote.
"""

from __future__ import annotations

import datetime as dt
import socket
import time
from pathlib import Path

import pytest
from rasa_sdk import Tracker

from actions.escalation import ActionEscalate
from actions.services import get_services
from bot.notify.mail import Mailer
from bot.notify.rota import Preference
from bot.notify.telegram_group import TelegramGroup
from bot.notify.worker import Notifier
from bot.settings import load_settings
from bot.store import make_engine, make_session_factory
from bot.store.notices import NoticeRepository
from bot.store.volunteers import VolunteerRepository
from tests.helpers.fake_telegram import TOKEN, FakeTelegram
from tests.helpers.smtp import SmtpServer

pytestmark = pytest.mark.anyio
SATURDAY_NIGHT = dt.datetime(2026, 12, 5, 23, 30)  # out of office hours
NIGHT_SHIFT = Preference(channel="both", days=frozenset({"sat", "sun"}), on_from=20 * 60, on_until=2 * 60)
GROUP_ID = -100555
PARENT_WORDS = ("respite", "jo@example.com", "07700 900123", "talk to a person")


def _user(text: str, intent: str) -> dict:
    return {"event": "user", "text": text, "metadata": {"channel": "widget"},
            "parse_data": {"intent": {"name": intent, "confidence": 0.9}, "intent_ranking": [{"name": intent, "confidence": 0.9}]}}


def _tracker() -> Tracker:
    events = [
        _user("can my son jo@example.com get respite on 07700 900123", "out_of_scope"),
        {"event": "bot", "text": "I don't know", "data": {"custom": {"type": "unanswered"}}},
        _user("talk to a person", "request_human"),
        {"event": "action", "name": "action_offer_escalation"},
        {"event": "slot", "name": "escalation_offered", "value": True},
        {"event": "bot", "text": "Shall I send it?"},
        {"event": "action", "name": "action_listen"},
        _user("/confirm_escalation", "confirm_escalation"),
    ]
    return Tracker.from_dict({
        "sender_id": "widget-sender-hash", "slots": {"escalation_offered": True},
        "latest_message": {"text": "x", "intent": {"name": "confirm_escalation", "confidence": 1.0}, "intent_ranking": [],
                           "entities": []},
        "events": events, "paused": False, "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen",
    })


async def test_out_of_hours_widget_question_gives_one_email_and_one_group_notice(
        dispatcher, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    silent = socket.socket()  # an SMTP server that never answers, while the parent waits for the reply
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    monkeypatch.setenv("SEND_NAV_SMTP_URL", f"smtp://u:p@127.0.0.1:{silent.getsockname()[1]}")
    monkeypatch.setenv("SEND_NAV_SMTP_FROM", "volunteers@example.org")
    try:
        get_services().escalations()  # load the knowledge base and the database first: only the action is timed
        started = time.monotonic()
        await ActionEscalate().run(dispatcher, _tracker(), {})
        assert time.monotonic() - started < 1.0  # the parent's reply does not wait for any notice
    finally:
        silent.close()
    assert "Done. Your question is with the volunteers" in dispatcher.messages[0]["text"]

    settings = load_settings()
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    notices, volunteers = NoticeRepository(sessions), VolunteerRepository(sessions)
    notices.save_preference(volunteers.add("night@example.org", "Night", "volunteer", "h"), NIGHT_SHIFT)
    smtp, telegram = SmtpServer(tmp_path).start(), FakeTelegram().start()
    try:
        worker = Notifier(notices=notices, volunteers=volunteers, topic_title=lambda t: "topic not known",
                          review_url="https://send.example.org/review",
                          mailer=Mailer(smtp.url(), "volunteers@example.org", 5, smtp.client_tls()),
                          group=TelegramGroup(TOKEN, GROUP_ID, telegram.base_url), clock=lambda: SATURDAY_NIGHT)
        await worker.tick()
        await worker.tick()
        worker.close()
        group = [c.params["text"] for c in telegram.calls_to("sendMessage") if c.params.get("chat_id") == GROUP_ID]
        assert len(smtp.messages) == 1 and len(group) == 1
        for text in (smtp.messages[0].get_content() + str(smtp.messages[0]["Subject"]), group[0]):
            assert "Q1" in text and "https://send.example.org/review/q/1" in text
            assert not any(words in text for words in PARENT_WORDS)
            assert "widget-sender-hash" not in text
    finally:
        smtp.stop()
        telegram.stop()
        engine.dispose()
