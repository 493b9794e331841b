"""ButtonRepository: payloads are found only for the conversation offered them, and can be erased."""

from __future__ import annotations

import datetime as dt

from bot.store.buttons import ButtonRepository


def test_a_payload_is_found_only_in_its_conversation(sessions) -> None:
    repo = ButtonRepository(sessions)
    button_id = repo.add("ref-a", '/show_topics{"group":"help"}')
    assert len(button_id) <= 12
    assert repo.get(button_id, "ref-a") == '/show_topics{"group":"help"}'
    assert repo.get(button_id, "ref-b") is None
    assert repo.get(button_id, "ref-a", kind="feedback") is None
    assert repo.get("unknown", "ref-a") is None


def test_ids_are_random(sessions) -> None:
    repo = ButtonRepository(sessions)
    assert len({repo.add("ref", "/x") for _ in range(50)}) == 50


def test_forget_and_purge(sessions) -> None:
    repo = ButtonRepository(sessions)
    old = repo.add("ref-a", "/old", created_at=dt.datetime(2020, 1, 1))
    mine, theirs = repo.add("ref-a", "/mine"), repo.add("ref-b", "/theirs")
    assert repo.purge_before(dt.datetime(2021, 1, 1)) == 1
    assert repo.get(old, "ref-a") is None
    assert repo.delete_conversation("ref-a") == 1
    assert repo.get(mine, "ref-a") is None and repo.get(theirs, "ref-b") == "/theirs"
