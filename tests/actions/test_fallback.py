"""ActionUnanswered, ActionHandoff and ActionRestart."""

from __future__ import annotations

import pytest
import json

from rasa_sdk.events import Restarted
from sqlalchemy import select

from actions.fallback import ActionUnanswered
from actions.services import get_services
from actions.session import ActionRestart
from bot.store.models import UnansweredLog

pytestmark = pytest.mark.anyio


async def test_out_of_scope_is_logged_redacted_and_says_so(dispatcher, tracker) -> None:
    text = "how do i renew a passport? ring me on 07700 900123"
    ranking = [{"name": "out_of_scope", "confidence": 0.91}, {"name": "ask_mediation", "confidence": 0.05}]
    await ActionUnanswered().run(dispatcher, tracker("out_of_scope", text=text, ranking=ranking), {})
    [message] = dispatcher.messages
    assert message["custom"]["type"] == "unanswered"
    log_id = message["custom"]["log_id"]
    assert "don't know" in message["text"]
    assert message["buttons"][-1]["payload"] == "/request_human"
    sessions = get_services().unanswered.repository.sessions
    with sessions() as session:
        row = session.execute(select(UnansweredLog).where(UnansweredLog.id == log_id)).scalar_one()
    assert row.text_redacted == "how do i renew a passport? ring me on [phone]"
    assert row.reason == "out_of_scope" and row.channel == "rest" and row.status == "new"
    assert row.intents[0] == {"name": "out_of_scope", "confidence": 0.91}
    assert row.conversation_ref != "conversation-1"


async def test_low_confidence_is_logged_as_such(dispatcher, tracker) -> None:
    await ActionUnanswered().run(dispatcher, tracker("nlu_fallback", text="zzz qqq"), {})
    log_id = dispatcher.messages[0]["custom"]["log_id"]
    with get_services().unanswered.repository.sessions() as session:
        assert session.get(UnansweredLog, log_id).reason == "low_confidence"


async def test_empty_message_is_not_logged(dispatcher, tracker) -> None:
    await ActionUnanswered().run(dispatcher, tracker("nlu_fallback", text="   "), {})
    [message] = dispatcher.messages
    assert message["custom"] == {"type": "unanswered"}
    with get_services().unanswered.repository.sessions() as session:
        assert session.execute(select(UnansweredLog)).first() is None


async def test_database_down_still_replies_and_spools(dispatcher, tracker, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("SEND_NAV_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    get_services.cache_clear()
    await ActionUnanswered().run(dispatcher, tracker("out_of_scope", text="council tax for me@example.com"), {})
    [message] = dispatcher.messages
    assert message["custom"] == {"type": "unanswered"}
    assert "don't know" in message["text"]
    spooled = [json.loads(l) for l in (tmp_path / "spool" / "unanswered.jsonl").read_text().splitlines()]
    assert [r["text_redacted"] for r in spooled] == ["council tax for [email]"]


async def test_restart_says_so_and_restarts(dispatcher, tracker) -> None:
    events = await ActionRestart().run(dispatcher, tracker("restart", text="/restart"), {})
    assert events == [Restarted()]
    assert "fresh conversation" in dispatcher.messages[0]["text"]


async def test_greeting_says_what_it_is_and_offers_topics(dispatcher, tracker) -> None:
    from actions.session import ActionAnythingElse, ActionGreet

    await ActionGreet().run(dispatcher, tracker("greet", text="hello"), {})
    await ActionAnythingElse().run(dispatcher, tracker("affirm", text="ok"), {})
    greeting, anything_else = dispatcher.messages
    assert "not the council and not a lawyer" in greeting["text"]
    assert greeting["buttons"][0]["payload"] == '/show_topics{"group":"plans"}'
    assert greeting["buttons"][-1]["payload"] == "/request_human"
    assert all(b["payload"].startswith("/show_topics") for b in anything_else["buttons"])
