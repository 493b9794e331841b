"""components.tracker_store: what may be written to the tracker database."""

from __future__ import annotations

import pytest
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered

from components.tracker_store import (ANSWER_PLACEHOLDER, LETTER_PLACEHOLDER, letter_answer_ids, redacted_event,
                                      restore_slots)


@pytest.mark.parametrize("slot", ["letter_answer", "letter_answers"])
def test_letter_answer_slots_lose_their_values(slot) -> None:
    stored = redacted_event(SlotSet(slot, {"child_name": "Sam Bloggs"}, timestamp=1.0))
    assert isinstance(stored, SlotSet) and stored.key == slot and stored.value is None
    assert "Sam" not in str(stored.as_dict())


@pytest.mark.parametrize("slot,value", [("deadline_date", "2026-01-05"), ("letter_template", "subject-access"),
                                        ("last_kb_id", "mediation")])
def test_other_slots_are_kept(slot, value) -> None:
    assert redacted_event(SlotSet(slot, value)).value == value


def test_letter_message_is_not_stored() -> None:
    letter = BotUttered(text="Dear Sir, Sam Bloggs...", data={"custom": {
        "type": "letter", "template": "subject-access", "title": "t", "docx_base64": "UEsDBBQ="}})
    stored = redacted_event(letter)
    assert stored.text == LETTER_PLACEHOLDER
    assert "Sam" not in str(stored.as_dict()) and "docx" not in str(stored.as_dict())


@pytest.mark.parametrize("data", [{"custom": {"type": "answer", "kb_id": "mediation"}}, {"custom": None}, {}, None])
def test_other_bot_messages_are_kept(data) -> None:
    answer = BotUttered(text="Here is the answer", data=data)
    assert redacted_event(answer) is answer


def test_letter_answers_from_the_parent_are_not_stored() -> None:
    message = UserUttered("Sam Bloggs", intent={"name": "out_of_scope"}, parse_data={"text": "Sam Bloggs"})
    stored = redacted_event(message, letter_answer=True)
    assert stored.text == ANSWER_PLACEHOLDER and "Sam" not in str(stored.as_dict())


def test_ordinary_messages_are_still_redacted() -> None:
    stored = redacted_event(UserUttered("email me at jo@example.com", intent={"name": "out_of_scope"}))
    assert "jo@example.com" not in stored.text


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
