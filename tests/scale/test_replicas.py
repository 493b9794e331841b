"""Scale-out end to end: one conversation served by two Rasa replicas sharing PostgreSQL and Redis."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List

import pytest

from bot.knowledge.entries import load_kb
from bot.settings import PROJECT_ROOT
from tests.helpers.rest import new_sender, payloads, texts

pytestmark = pytest.mark.e2e

A, B = 0, 1


def _answer(replies: List[Dict[str, Any]]) -> Dict[str, Any]:
    [answer] = [p for p in payloads(replies) if p.get("type") == "answer"]
    return answer


def test_settings_describe_two_replicas(cluster) -> None:
    s = cluster.settings
    assert s.scale_out and s.database_url == s.tracker_url and s.tracker_url.startswith("postgresql://")
    assert len(s.rasa_urls) == 2 and s.rasa_urls[0] != s.rasa_urls[1]


def test_tell_me_more_on_the_other_replica(cluster) -> None:
    sender = new_sender()
    assert _answer(cluster.send(A, sender, "kcc refused to assess my son, what now?"))["kb_id"] == "ehc-refusal-to-assess"
    more = cluster.send(B, sender, "tell me more")
    # B only knows which answer to expand from the last_kb_id slot A stored in PostgreSQL.
    assert _answer(more)["kb_id"] == "ehc-refusal-to-assess"
    entry = load_kb(PROJECT_ROOT / "knowledge").get("ehc-refusal-to-assess")
    assert entry.detail.split(".")[0] in texts(more)


def test_form_started_on_one_replica_finishes_on_the_other(cluster) -> None:
    sender = new_sender()
    first = cluster.send(A, sender, "can you work out my deadline")
    assert "Draft plan received" in [b["title"] for r in first for b in r.get("buttons", [])]
    assert texts(cluster.send(B, sender, "Draft plan received")) == "What date was the draft plan sent to you?"
    answer = _answer(cluster.send(A, sender, "2 March 2026"))
    assert answer["kb_id"] == "ehc-draft-plan"
    assert answer["deadline"] == {"rule": "draft-plan-comments", "from": "2026-03-02", "due": "2026-03-16"}


def _turns(events: List[Dict[str, Any]]) -> List[List[Dict[str, Any]]]:
    """Split events into turns, each starting at a user message."""
    turns: List[List[Dict[str, Any]]] = []
    for event in events:
        if event["type_name"] == "user":
            turns.append([])
        if turns:
            turns[-1].append(event)
    return turns


@pytest.mark.parametrize("round_", range(3))
def test_simultaneous_messages_are_processed_one_after_the_other(cluster, round_: int) -> None:
    sender = new_sender()
    cluster.send(A, sender, "hello")  # the session start is behind us, so both turns below are plain turns
    messages = {A: "what is mediation", B: "how long do i have to appeal to the send tribunal"}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {r: pool.submit(cluster.send, r, sender, m) for r, m in messages.items()}
        replies = {r: f.result() for r, f in futures.items()}
    assert {_answer(replies[A])["kb_id"], _answer(replies[B])["kb_id"]} == {"mediation", "tribunal-deadlines"}

    # Without the Redis lock both replicas load the same tracker and one turn overwrites the other
    # (seen here as a missing turn) or the two interleave; with it, each turn is whole and in order.
    turns = _turns(cluster.events(sender))
    assert len(turns) == 3
    for turn in turns:
        # Each turn ends by listening, with its own actions only, before the next user message.
        actions = [e["action_name"] for e in turn if e["type_name"] == "action"]
        assert actions and actions[-1] == "action_listen", turn
        assert actions.count("action_listen") == 1, turn
    kinds = [turn[0]["intent_name"] for turn in turns[1:]]
    assert sorted(kinds) == ["ask_mediation", "ask_tribunal_deadlines"], kinds


ANSWERS = {  # a distinct answer to each question of the subject access letter
    "What is your full name?": "Alex Carter",
    "postal address": "12 Example Road",
    "child's full name": "Zebedee Quartermain",
    "date of birth": "3 March 2015",
    "Which organisation": "Thornbury Academy",
    "Which records": "panel papers",
}


def test_a_letter_through_the_proxy_client_keeps_every_answer(cluster) -> None:
    """A letter's answers live in one replica's memory; the proxy's client keeps the conversation there."""
    import anyio

    from bot.channels.rasa_client import RasaClient

    sender = new_sender()

    asked: List[str] = []

    async def write_letter() -> List[Dict[str, Any]]:
        client = RasaClient(cluster.settings.rasa_urls, secret=cluster.settings.actions_secret)
        try:
            replies = await client.send_text(sender, "subject access request letter", "widget")
            for _ in range(12):
                question = texts(replies)
                cue, answer = next(((c, a) for c, a in ANSWERS.items() if c in question), ("?", "skip"))
                asked.append(cue)
                replies = await client.send_text(sender, answer, "widget")
                if any(p.get("type") == "letter" for p in payloads(replies)):
                    return replies
            raise AssertionError(f"the letter never came; asked {asked}")
        finally:
            await client.aclose()

    letter = texts(anyio.run(write_letter))
    assert [a for a in ANSWERS.values() if a not in letter] == []
    # Each question once: on another replica the answers so far are gone and the form asks again.
    assert asked == list(ANSWERS)
