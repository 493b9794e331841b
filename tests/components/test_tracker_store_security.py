"""F1 and F15: no event Rasa saves, of any type, holds a parent's unredacted words (real store, real SQLite).

Each test saves events through RedactingSQLTrackerStore into a fresh SQLite
file and then searches the raw bytes of tracker.db, -wal and -shm, so a
detail counts as leaked wherever in the event it was written.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import warnings
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
from rasa.core.brokers.broker import EventBroker
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (ActionExecuted, ActionExecutionRejected, ActiveLoop, AgentUttered, AllSlotsReset,
                                     BotUttered, DefinePrevUserUtteredFeaturization, EntitiesAdded, Event,
                                     FollowupAction, LoopInterrupted, ReminderCancelled, ReminderScheduled, Restarted,
                                     SessionStarted, SlotSet, UserUttered)
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text

from bot.safety.privacy import CRISIS_PLACEHOLDER
from bot.safety.stored_events import UNKNOWN_NAME
from bot.settings import PROJECT_ROOT
from components.tracker_store import RedactingSQLTrackerStore
from tests.helpers.pii import leaks, samples

SAMPLE = samples(1)[0]
PII = SAMPLE.message()
DETAILS = list(SAMPLE.details().items())


def load_domain() -> Domain:
    """Load domain.yml, without the warnings Rasa 3.6 and pykwalify raise on every load."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Slot auto-fill has been removed", UserWarning)
        warnings.filterwarnings("ignore", r"the load_module\(\) method is deprecated", DeprecationWarning)
        return Domain.load(str(PROJECT_ROOT / "domain.yml"))


SLOTS = [s.name for s in load_domain().slots]


class FutureEvent(Event):
    """An event type Rasa does not have today, with text in places no list of fields would name."""

    type_name = "f1_future_event_for_tests"

    def __init__(self, payload: Dict[str, Any]) -> None:
        super().__init__(timestamp=1.0, metadata={"note": PII})
        self.payload = payload

    def __hash__(self) -> int:
        return 1

    def as_story_string(self) -> None:
        return None

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, FutureEvent)

    def as_dict(self) -> Dict[str, Any]:
        return {**super().as_dict(), "payload": self.payload, "name": PII, PII: "key"}


@pytest.fixture(scope="module")
def domain() -> Domain:
    return load_domain()


@pytest.fixture
def store(tmp_path: Path, domain: Domain) -> Iterator[RedactingSQLTrackerStore]:
    store = RedactingSQLTrackerStore(host=f"sqlite:///{tmp_path / 'tracker.db'}", domain=domain)
    yield store
    store.engine.dispose()


def _user(message: str, intent: str = "out_of_scope", **extra: Any) -> UserUttered:
    # As an entity extractor would find it: a part of the message, without the cue before it.
    name = f"{SAMPLE.first} {SAMPLE.last}"
    entities = [{"entity": "letter_template", "value": name, "start": message.find(name),
                 "end": message.find(name) + len(name), "extractor": "RegexEntityExtractor"}] if name in message else []
    parse_data = {"text": message, "intent": {"name": intent, "confidence": 0.9},
                  "intent_ranking": [{"name": intent, "confidence": 0.9}], "entities": entities,
                  "text_tokens": [[0, 2], [3, 6], [7, 9]], "message_id": "0" * 32}
    return UserUttered(message, intent={"name": intent, "confidence": 0.9}, entities=entities, parse_data=parse_data,
                       input_channel="rest", message_id="a" * 32, metadata={"channel": "widget", "echo": PII}, **extra)


def every_event_type() -> List[Event]:
    """Return one event of each type Rasa 3.6 has, and one it does not, each carrying the details."""
    meta = {"note": PII}
    entity = [{"entity": "group", "value": PII}]
    return [
        SessionStarted(metadata=meta),
        ActionExecuted("action_session_start", policy="RulePolicy", confidence=1.0, metadata=meta),
        _user(PII),
        DefinePrevUserUtteredFeaturization(False, metadata=meta),
        EntitiesAdded(entity, metadata=meta),
        ActionExecuted(action_text=PII, metadata=meta),
        BotUttered(PII, data={"buttons": [{"title": PII, "payload": "/ask_x"}], "custom": {"echo": PII},
                              "elements": [{"title": PII}], "quick_replies": [PII]}, metadata=meta),
        *[SlotSet(slot, PII, metadata=meta) for slot in SLOTS],
        SlotSet("letter_prefill", {"answer": PII, PII: [PII]}),
        ActiveLoop("deadline_form", metadata=meta),
        LoopInterrupted(True, metadata=meta),
        FollowupAction("action_greet", metadata=meta),
        ActionExecutionRejected("action_greet", policy="RulePolicy", metadata=meta),
        ReminderScheduled("greet", dt.datetime(2026, 12, 1, 9, 0), entities=entity, name=PII, metadata=meta),
        ReminderCancelled(name=PII, intent="greet", entities=entity, metadata=meta),
        AgentUttered(PII, data={"echo": PII}, metadata=meta),
        FutureEvent({"deep": [{"deeper": PII}]}),
        AllSlotsReset(metadata=meta),
        Restarted(metadata=meta),
    ]


def save(store: RedactingSQLTrackerStore, domain: Domain, events: List[Event], sender: str = "parent") -> None:
    asyncio.run(store.save(DialogueStateTracker.from_events(sender, events, domain.slots)))


def stored_rows(path: Path) -> List[Dict[str, Any]]:
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        rows = [json.loads(r[0]) for r in connection.execute(text("SELECT data FROM events ORDER BY id"))]
    engine.dispose()
    return rows


def tracker_files(tmp_path: Path) -> List[Path]:
    return [p for p in tmp_path.iterdir() if p.name.startswith("tracker.db")]


def test_f1_no_event_of_any_type_stores_unredacted_text(store, domain, tmp_path) -> None:
    events = every_event_type()
    save(store, domain, events)
    rows = stored_rows(tmp_path / "tracker.db")
    assert len(rows) == len(events)
    assert leaks(tracker_files(tmp_path), DETAILS) == []


@pytest.mark.parametrize("slot", SLOTS)
def test_f1_no_slot_event_stores_unredacted_text(store, domain, tmp_path, slot) -> None:
    save(store, domain, [_user("hello"), SlotSet(slot, PII), ActionExecuted("action_listen"),
                         SlotSet(slot, {"nested": [PII], PII: 1})])
    assert leaks(tracker_files(tmp_path), DETAILS) == []


def test_f1_a_slot_answer_is_stored_as_the_value_the_form_accepted(store, domain, tmp_path) -> None:
    raw = SAMPLE.message("the letter came on 14/11/2026")
    save(store, domain, [_user(raw), SlotSet("deadline_date", raw), SlotSet("deadline_date", "2026-11-14"),
                         SlotSet("letter_template", raw), SlotSet("letter_template", None)])
    slots = [(r["name"], r["value"]) for r in stored_rows(tmp_path / "tracker.db") if r["event"] == "slot"]
    assert slots == [("deadline_date", "2026-11-14"), ("deadline_date", "2026-11-14"),
                     ("letter_template", None), ("letter_template", None)]


def test_f1_a_slot_answer_no_form_accepted_yet_is_stored_redacted(store, domain, tmp_path) -> None:
    save(store, domain, [_user(PII), SlotSet("timeline_request", PII)])
    [slot] = [r for r in stored_rows(tmp_path / "tracker.db") if r["event"] == "slot"]
    assert "[name] [name]" in slot["value"] and "[nhs number]" in slot["value"]


def test_f1_reloaded_conversation_has_the_same_slots(store, domain) -> None:
    raw = SAMPLE.message("14/11/2026")
    events = [_user(raw), SlotSet("deadline_event", "decision-letter"), SlotSet("deadline_date", raw),
              SlotSet("deadline_date", "2026-11-14"), SlotSet("last_kb_id", "tribunal-deadlines"),
              ActiveLoop("deadline_form"), SlotSet("requested_slot", "deadline_second_date")]
    save(store, domain, events)
    reloaded = asyncio.run(store.retrieve("parent"))
    original = DialogueStateTracker.from_events("parent", events, domain.slots)
    assert reloaded.current_slot_values() == original.current_slot_values()
    assert reloaded.active_loop_name == "deadline_form"
    assert reloaded.latest_message.intent["name"] == "out_of_scope"


def test_f1_names_the_domain_does_not_know_are_not_stored(store, domain, tmp_path) -> None:
    # A typed '/intent{"entity": ...}' puts the parent's words where names belong.
    entity = [{"entity": "my_son_Oliver_Smith", "value": "x", "extractor": "07700900123"}]
    ranking = [{"name": "my_son_Oliver_Smith", "confidence": 1.0}, {"name": "greet", "confidence": 0.0}]
    event = UserUttered("/x", intent={"name": "my_son_Oliver_Smith"}, entities=entity, parse_data={
        "text": "/x", "intent": ranking[0], "intent_ranking": ranking, "entities": entity})
    save(store, domain, [event, SlotSet("Oliver_Smith", 1), ActionExecuted("utter_Oliver_Smith"),
                         ActiveLoop("Oliver_Smith_form")])
    rows = stored_rows(tmp_path / "tracker.db")
    [user] = [r for r in rows if r["event"] == "user"]
    assert user["parse_data"]["intent"]["name"] == user["parse_data"]["entities"][0]["entity"] == UNKNOWN_NAME
    assert [i["name"] for i in user["parse_data"]["intent_ranking"]] == [UNKNOWN_NAME, "greet"]
    assert [r["name"] for r in rows[1:]] == [UNKNOWN_NAME] * 3
    data = b"".join(p.read_bytes() for p in tracker_files(tmp_path))
    assert b"Oliver" not in data and b"07700900123" not in data


def test_f1_crisis_message_is_replaced_entirely(store, domain, tmp_path) -> None:
    save(store, domain, [_user("he wants to end it all, " + PII, intent="ask_crisis")])
    [user] = [r for r in stored_rows(tmp_path / "tracker.db") if r["event"] == "user"]
    assert user["text"] == user["parse_data"]["text"] == CRISIS_PLACEHOLDER
    assert user["parse_data"]["entities"] == []
    assert leaks(tracker_files(tmp_path), DETAILS + [("words", "end it all")]) == []


def test_f15_token_offsets_of_the_raw_text_are_not_stored(store, domain, tmp_path) -> None:
    message = f"my son is called {SAMPLE.first} and wants a letter"
    event = _user(message)
    event.parse_data["entities"] = [{"entity": "letter_template", "value": "letter", "start": message.index("letter"),
                                     "end": message.index("letter") + 6}]
    save(store, domain, [event])
    [user] = [r for r in stored_rows(tmp_path / "tracker.db") if r["event"] == "user"]
    assert "text_tokens" not in user["parse_data"]
    [entity] = user["parse_data"]["entities"]
    assert user["text"][entity["start"]:entity["end"]] == "letter"


class RecordingBroker(EventBroker):
    """An event broker that keeps what it is given."""

    def __init__(self) -> None:
        self.published: List[Dict[str, Any]] = []

    def publish(self, event: Dict[str, Any]) -> None:
        self.published.append(event)


def test_f1_an_event_broker_gets_only_what_the_database_gets(tmp_path, domain) -> None:
    broker = RecordingBroker()
    store = RedactingSQLTrackerStore(host=f"sqlite:///{tmp_path / 'tracker.db'}", domain=domain, event_broker=broker)
    save(store, domain, every_event_type())
    store.engine.dispose()
    assert len(broker.published) == len(stored_rows(tmp_path / "tracker.db"))
    assert not [v for _, v in DETAILS if v in json.dumps(broker.published)]
