"""components.tracker_store: what may be written to the tracker database."""

from __future__ import annotations

import pytest
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, Event, Restarted, SlotSet, UserUttered

from bot.safety.stored_events import KnownNames, Replaced, safe_event
from components.tracker_store import (ANSWER_PLACEHOLDER, LETTER_PLACEHOLDER, later_slot_values, letter_answer_ids,
                                      restore_slots, without_letters)


def stored(event: Event, later=None, letter_answer: bool = False):
    """Return the JSON the store writes for one event (as RedactingSQLTrackerStore._stored does)."""
    replaced = Replaced(ANSWER_PLACEHOLDER) if letter_answer else None
    return safe_event(without_letters(event, later or {}).as_dict(), KnownNames(), replaced)


@pytest.mark.parametrize("slot", ["letter_answer", "letter_answers"])
def test_letter_answer_slots_lose_their_values(slot) -> None:
    data = stored(SlotSet(slot, {"child_name": "Sam Bloggs"}, timestamp=1.0))
    assert data["name"] == slot and data["value"] is None
    assert "Sam" not in str(data)


@pytest.mark.parametrize("slot,value", [("deadline_date", "2026-01-05"), ("letter_template", "subject-access"),
                                        ("last_kb_id", "mediation"), ("letter_prefill", {"template": "mediation",
                                                                                         "answers": {"d": "2026-01-05"}})])
def test_other_slots_are_kept(slot, value) -> None:
    assert stored(SlotSet(slot, value))["value"] == value


def test_letter_message_is_not_stored() -> None:
    letter = BotUttered(text="Dear Sir, Sam Bloggs...", data={"custom": {
        "type": "letter", "template": "subject-access", "title": "t", "docx_base64": "UEsDBBQ="}})
    data = stored(letter)
    assert data["text"] == LETTER_PLACEHOLDER
    assert "Sam" not in str(data) and "docx" not in str(data)


@pytest.mark.parametrize("data", [{"custom": {"type": "answer", "kb_id": "mediation"}}, {"custom": None}, {}, None])
def test_other_bot_messages_are_kept(data) -> None:
    answer = BotUttered(text="Here is the answer", data=data)
    assert stored(answer) == answer.as_dict()


def test_letter_answers_from_the_parent_are_not_stored() -> None:
    message = UserUttered("Sam Bloggs", intent={"name": "out_of_scope"}, parse_data={"text": "Sam Bloggs"})
    data = stored(message, letter_answer=True)
    assert data["text"] == ANSWER_PLACEHOLDER and "Sam" not in str(data)


def test_ordinary_messages_are_still_redacted() -> None:
    assert "jo@example.com" not in stored(UserUttered("email me at jo@example.com", intent={"name": "out_of_scope"}))["text"]


def test_a_replaced_answer_is_written_as_the_value_that_replaced_it() -> None:
    raw, accepted, other = SlotSet("deadline_date", "on 14/11/2026, Sam"), SlotSet("deadline_date", "2026-11-14"), \
        SlotSet("escalation_offered", True)
    later = later_slot_values([raw, other, accepted], frozenset({"deadline_date"}))
    assert later == {id(raw): "2026-11-14"}
    assert stored(raw, later)["value"] == "2026-11-14"


def test_a_reset_ends_the_replacement() -> None:
    raw, accepted = SlotSet("deadline_date", "on 14/11/2026"), SlotSet("deadline_date", "2026-11-14")
    assert later_slot_values([raw, Restarted(), accepted], frozenset({"deadline_date"})) == {}


def test_finds_messages_that_answered_a_letter_question() -> None:
    before, answer, after = (UserUttered("help me write a letter"), UserUttered("Sam Bloggs"),
                             UserUttered("thanks"))
    events = [before, ActionExecuted("letter_form"), ActiveLoop("letter_form"), SlotSet("requested_slot", "letter_answer"),
              answer, ActionExecuted("letter_form"), ActiveLoop(None), SlotSet("requested_slot", None), after]
    assert letter_answer_ids(events) == {id(answer)}


def test_held_values_go_back_into_the_last_slot_event() -> None:
    first, last = SlotSet("letter_answers", None), SlotSet("letter_answers", None)
    restore_slots([first, SlotSet("other", 1), last], {"letter_answers": {"child_name": "Sam"}})
    assert first.value is None and last.value == {"child_name": "Sam"}


def test_sqlite_tracker_database_is_pooled_and_in_wal_mode(tmp_path) -> None:
    from sqlalchemy import text
    from sqlalchemy.pool import QueuePool

    from components.tracker_store import RedactingSQLTrackerStore

    store = RedactingSQLTrackerStore(host=f"sqlite:///{tmp_path / 'tracker.db'}")
    assert isinstance(store.engine.pool, QueuePool)
    with store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
    store.engine.dispose()


def _store_and_statements(tmp_path):
    from sqlalchemy import event as sqlalchemy_event

    from components.tracker_store import RedactingSQLTrackerStore

    store = RedactingSQLTrackerStore(host=f"sqlite:///{tmp_path / 'tracker.db'}")
    statements: list = []
    sqlalchemy_event.listen(store.engine, "before_cursor_execute",
                            lambda conn, cursor, statement, *rest: statements.append(statement.lower()))
    return store, statements


def _rows(store) -> list:
    with store.session_scope() as session:
        return [row.type_name for row in session.query(store.SQLEvent).order_by(store.SQLEvent.id)]


def test_a_loaded_tracker_saves_only_its_new_events_without_counting_them(tmp_path) -> None:
    import asyncio

    from rasa.shared.core.trackers import DialogueStateTracker

    store, statements = _store_and_statements(tmp_path)
    first = DialogueStateTracker.from_events("s1", [ActionExecuted("action_listen"),
                                                    UserUttered("hi", intent={"name": "greet"})])
    asyncio.run(store.save(first))            # a tracker the store has not seen: Rasa's count, as before
    assert any("count(" in s for s in statements)
    loaded = asyncio.run(store.retrieve("s1"))
    assert loaded is not None and len(loaded.events) == 2
    loaded.update(BotUttered("hello"))
    statements.clear()
    asyncio.run(store.save(loaded))
    assert not any("count(" in s for s in statements)
    loaded.update(ActionExecuted("action_listen"))
    asyncio.run(store.save(loaded))           # saved twice: the second save writes only what is new since
    assert _rows(store) == ["action", "user", "bot", "action"]
    store.engine.dispose()


def test_erased_events_of_a_conversation_in_flight_are_never_written_again(tmp_path) -> None:
    import asyncio

    from rasa.shared.core.trackers import DialogueStateTracker

    store, _ = _store_and_statements(tmp_path)
    asyncio.run(store.save(DialogueStateTracker.from_events("s1", [UserUttered("my son Sam", intent={"name": "x"})])))
    loaded = asyncio.run(store.retrieve("s1"))
    with store.session_scope() as session:    # erasure (or the retention purge) while the message is handled
        session.query(store.SQLEvent).delete()
        session.commit()
    loaded.update(BotUttered("an answer"))
    asyncio.run(store.save(loaded))
    assert _rows(store) == ["bot"]
    store.engine.dispose()


def test_a_stored_count_that_cannot_be_right_falls_back_to_counting() -> None:
    from rasa.shared.core.trackers import DialogueStateTracker

    from components.tracker_store import STORED_COUNT, new_events

    tracker = DialogueStateTracker.from_events("s1", [BotUttered("a"), BotUttered("b")])
    counted = [BotUttered("b")]
    setattr(tracker, STORED_COUNT, 5)         # more than the tracker holds
    assert new_events(tracker, lambda: counted) == counted
    setattr(tracker, STORED_COUNT, 1)
    assert [e.text for e in new_events(tracker, lambda: [])] == ["b"]
