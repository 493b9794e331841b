"""ActionAnswer, ActionTellMore and ActionShowTopics with a CollectingDispatcher."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.answers import ActionAnswer, ActionShowTopics, ActionTellMore
from actions.services import get_services

pytestmark = pytest.mark.anyio


def _custom(dispatcher):
    return [m["custom"] for m in dispatcher.messages if m.get("custom")]


async def test_answer_sends_short_answer_sources_and_payload(dispatcher, tracker) -> None:
    events = await ActionAnswer().run(dispatcher, tracker("ask_tribunal_deadlines"), {})
    entry = get_services().kb.get("tribunal-deadlines")
    assert events == [SlotSet("last_kb_id", "tribunal-deadlines")]
    [message] = dispatcher.messages
    assert message["text"].startswith(entry.short)
    assert entry.sources[0].url in message["text"]
    assert "not legal advice" in message["text"]
    assert message["custom"] == {
        "type": "answer", "kb_id": "tribunal-deadlines", "title": entry.title,
        "sources": [{"title": s.title, "url": s.url} for s in entry.sources],
        "reviewed": entry.reviewed.isoformat(),
    }
    payloads = [b["payload"] for b in message["buttons"]]
    assert payloads[0] == "/tell_me_more"
    assert all(p == "/tell_me_more" or p.startswith("/ask_") for p in payloads)


async def test_crisis_answer_offers_only_the_other_topic_raised(dispatcher, tracker) -> None:
    ranking = [{"name": "ask_crisis", "confidence": 1.0}, {"name": "ask_ehc_refusal_to_assess", "confidence": 0.6}]
    await ActionAnswer().run(dispatcher, tracker("ask_crisis", ranking=ranking), {})
    [message] = dispatcher.messages
    assert message["custom"]["kb_id"] == "crisis"
    assert message["text"].startswith(get_services().kb.get("crisis").short)
    assert [b["payload"] for b in message["buttons"]] == ["/ask_ehc_refusal_to_assess"]


async def test_crisis_answer_without_another_topic_has_no_buttons(dispatcher, tracker) -> None:
    await ActionAnswer().run(dispatcher, tracker("ask_crisis", ranking=[{"name": "ask_crisis", "confidence": 1.0}]), {})
    assert dispatcher.messages[0]["buttons"] == []


async def test_unknown_intent_does_not_invent_an_answer(dispatcher, tracker) -> None:
    await ActionAnswer().run(dispatcher, tracker("ask_something_not_in_kb"), {})
    assert [c["type"] for c in _custom(dispatcher)] == ["unanswered"]


async def test_tell_me_more_gives_detail_of_last_entry(dispatcher, tracker) -> None:
    entry = get_services().kb.get("mediation")
    await ActionTellMore().run(dispatcher, tracker("tell_me_more", slots={"last_kb_id": "mediation"}), {})
    [message] = dispatcher.messages
    assert entry.detail in message["text"]
    assert message["custom"]["kb_id"] == "mediation"
    assert "/tell_me_more" not in [b["payload"] for b in message["buttons"]]


async def test_tell_me_more_without_context_offers_the_menu(dispatcher, tracker) -> None:
    await ActionTellMore().run(dispatcher, tracker("tell_me_more"), {})
    [message] = dispatcher.messages
    assert message["custom"] is None or not message.get("custom")
    assert any(b["payload"].startswith("/show_topics") for b in message["buttons"])


@pytest.mark.parametrize("group", ["plans", "challenges", "school", "help"])
async def test_show_topics_lists_a_group(dispatcher, tracker, group: str) -> None:
    entities = [{"entity": "group", "value": group}]
    await ActionShowTopics().run(dispatcher, tracker("show_topics", entities=entities), {})
    [message] = dispatcher.messages
    expected = [f"/{e.intent}" for e in get_services().kb.in_group(group)]
    assert [b["payload"] for b in message["buttons"]] == expected


@pytest.mark.parametrize("entities", [[], [{"entity": "group", "value": "safety"}], [{"entity": "group", "value": "<x>"}]])
async def test_show_topics_falls_back_to_the_menu(dispatcher, tracker, entities) -> None:
    await ActionShowTopics().run(dispatcher, tracker("show_topics", entities=entities), {})
    [message] = dispatcher.messages
    assert [b["payload"] for b in message["buttons"]][-1] == "/request_human"
    assert all("safety" not in b["payload"] for b in message["buttons"])
