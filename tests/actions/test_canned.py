"""A group marked out of scope gets its canned reply from the assistant at once, with no retraining."""

from __future__ import annotations

import pytest

from actions.fallback import ActionUnanswered
from actions.services import get_services
from bot.store.unanswered_groups import DRAFTED, OPEN, OUT_OF_SCOPE

pytestmark = pytest.mark.anyio
REPLY = "The forum cannot help with passports. The Passport Office's own website explains how to renew one."


async def test_out_of_scope_group_gets_the_canned_reply(dispatcher, tracker) -> None:
    groups = get_services().groups()
    groups.decide({"passport", "renew"}, "passport renew", OUT_OF_SCOPE, by=1, reply=REPLY)
    await ActionUnanswered().run(dispatcher, tracker("out_of_scope", text="how do I renew my passport?"), {})
    [message] = dispatcher.messages
    assert message["text"] == REPLY
    assert message["custom"]["type"] == "unanswered" and message["custom"]["canned"] is True
    assert "log_id" in message["custom"]  # still logged: the group's size stays visible
    assert message["buttons"][-1]["payload"] == "/request_human"


@pytest.mark.parametrize("status", [OPEN, DRAFTED])
async def test_other_groups_get_the_honest_default(dispatcher, tracker, status: str) -> None:
    get_services().groups().decide({"passport", "renew"}, "passport renew", status, by=1)
    await ActionUnanswered().run(dispatcher, tracker("out_of_scope", text="how do I renew my passport?"), {})
    assert "don't know" in dispatcher.messages[0]["text"] and "canned" not in dispatcher.messages[0]["custom"]


async def test_unrelated_questions_get_the_honest_default(dispatcher, tracker) -> None:
    get_services().groups().decide({"passport", "renew"}, "passport renew", OUT_OF_SCOPE, by=1, reply=REPLY)
    await ActionUnanswered().run(dispatcher, tracker("nlu_fallback", text="zzz qqq school bus"), {})
    assert "don't know" in dispatcher.messages[0]["text"]


async def test_reopening_stops_the_reply_at_once(dispatcher, tracker) -> None:
    groups = get_services().groups()
    key = groups.decide({"passport", "renew"}, "passport renew", OUT_OF_SCOPE, by=1, reply=REPLY)
    groups.decide({"passport", "renew", "online"}, "passport renew online", OPEN, by=1, replacing=key)
    assert [d.status for d in groups.all()] == [OPEN]  # the older words were replaced, not left to match
    await ActionUnanswered().run(dispatcher, tracker("out_of_scope", text="how do I renew my passport?"), {})
    assert "don't know" in dispatcher.messages[0]["text"]


async def test_a_database_fault_gives_the_default(dispatcher, tracker, monkeypatch) -> None:
    def down(self):
        raise RuntimeError("database down")

    monkeypatch.setattr(type(get_services()), "groups", down)
    await ActionUnanswered().run(dispatcher, tracker("out_of_scope", text="how do I renew my passport?"), {})
    assert "don't know" in dispatcher.messages[0]["text"]
