"""Rasa tracker store that never writes a parent's raw words, or their letters, to disk.

Rasa stores every event of a conversation, including the text of each
message. Those messages are special-category data (health information about
children), so before events reach the database this store replaces the text
with its redacted form, and replaces crisis messages entirely. The message
being processed is still seen in full, in memory, by the NLU and the actions.

Letters are stricter still. While a parent answers the letter form, their
replies, the letter-answer slots and the finished letter (text and .docx)
are replaced before saving. Rasa reloads the conversation from the database
on every message, so the answers of a letter in progress are held in this
process's memory and put back on loading; the actions empty those slots once
the letter is delivered, which drops them from memory too. (With several
Rasa replicas, a letter's answers stay with the replica that took them.)

Configured in endpoints.yml with one SQLAlchemy URL (`SEND_NAV_TRACKER_URL`),
SQLite by default and PostgreSQL for several replicas.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Dict, Iterable, Iterator, Optional, Set, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (ActiveLoop, BotUttered, Event, Restarted, SessionStarted, SlotSet,
                                     UserUttered)
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool

from bot.safety.privacy import CRISIS_PLACEHOLDER, stored_text
from bot.letters.chat import ANSWER_SLOT, LETTER_FORM, LETTER_PAYLOAD_TYPE, PRIVATE_SLOTS
from bot.store.db import sqlite_pragmas
from components import action_validation

LETTER_PLACEHOLDER = "[letter not stored]"
ANSWER_PLACEHOLDER = "[letter answer not stored]"
REQUESTED_SLOT = "requested_slot"
MAX_HELD = 1000  # letters in progress kept in memory; the oldest go first


class RedactingSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that redacts user text and drops letters before saving."""

    def __init__(
        self,
        host: Optional[str] = None,
        domain: Optional[Domain] = None,
        event_broker: Optional[EventBroker] = None,
        **kwargs: Any,
    ) -> None:
        url = make_url(host or "sqlite:///rasa.db")
        super().__init__(
            domain=domain, dialect=url.drivername, host=url.host, port=url.port, db=url.database or "",
            username=url.username, password=url.password, event_broker=event_broker,
        )
        if url.drivername.startswith("sqlite") and url.database not in (None, "", ":memory:"):
            self._use_pooled_sqlite_engine()
        self._held: "OrderedDict[str, Dict[str, Any]]" = OrderedDict()
        # Rasa builds this store once per server at start-up, so it is where the server gets its speed-ups.
        action_validation.install()

    def _use_pooled_sqlite_engine(self) -> None:
        # Rasa's engine opens a new SQLite connection for every read and save (SQLAlchemy 1.4's
        # NullPool). Connecting, the PRAGMAs and closing (which checkpoints the WAL) were about a
        # fifth of the Rasa server's samples under load (bench/results/profile.md), and with the
        # default rollback journal each save also stopped the event loop while it waited for the
        # disk. Rasa runs these queries on its event loop thread, one at a time.
        engine_url = self.engine.url
        self.engine.dispose()
        self.engine = create_engine(engine_url, poolclass=QueuePool, connect_args={"check_same_thread": False})
        event.listen(self.engine, "connect", sqlite_pragmas)
        self.sessionmaker = sessionmaker(bind=self.engine)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Hold the answers of a letter in progress in memory, then save the redacted events."""
        values = {slot: tracker.get_slot(slot) for slot in PRIVATE_SLOTS}
        self._held.pop(tracker.sender_id, None)
        if any(v is not None for v in values.values()):
            self._held[tracker.sender_id] = values
            while len(self._held) > MAX_HELD:
                self._held.popitem(last=False)
        await super().save(tracker)

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        tracker = await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        held = self._held.get(sender_id)
        if tracker is None or not held or self.domain is None:
            return tracker
        events = list(tracker.events)
        restore_slots(events, held)
        return DialogueStateTracker.from_events(sender_id, events, self.domain.slots)

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        answers = letter_answer_ids(tracker.events)
        for event in super()._additional_events(session, tracker):
            yield redacted_event(event, letter_answer=id(event) in answers)


def restore_slots(events: Iterable[Event], held: Dict[str, Any]) -> None:
    """Put held values back into the last SlotSet of each slot, whose value was not stored."""
    last: Dict[str, SlotSet] = {}
    for event in events:
        if isinstance(event, SlotSet) and event.key in held:
            last[event.key] = event
    for key, event in last.items():
        event.value = held[key]


def letter_answer_ids(events: Iterable[Event]) -> Set[int]:
    """Return the ids of user messages that answered a letter question."""
    loop: Optional[str] = None
    requested: Optional[str] = None
    found: Set[int] = set()
    for event in events:
        if isinstance(event, ActiveLoop):
            loop = event.name
        elif isinstance(event, SlotSet) and event.key == REQUESTED_SLOT:
            requested = event.value
        elif isinstance(event, (Restarted, SessionStarted)):
            loop = requested = None
        elif isinstance(event, UserUttered) and loop == LETTER_FORM and requested == ANSWER_SLOT:
            found.add(id(event))
    return found


def _custom_type(event: BotUttered) -> Optional[str]:
    custom = (event.data or {}).get("custom")
    return custom.get("type") if isinstance(custom, dict) else None


def redacted_event(event: Event, letter_answer: bool = False) -> Event:
    """Return a copy of an event that is safe to store: redacted text, no letter and no letter answers."""
    if isinstance(event, SlotSet) and event.key in PRIVATE_SLOTS and event.value is not None:
        return SlotSet(event.key, None, timestamp=event.timestamp, metadata=event.metadata)
    if isinstance(event, BotUttered) and _custom_type(event) == LETTER_PAYLOAD_TYPE:
        return BotUttered(text=LETTER_PLACEHOLDER, data={}, metadata=event.metadata, timestamp=event.timestamp)
    if not isinstance(event, UserUttered) or event.text is None:
        return event
    intent = (event.intent or {}).get("name")
    text = ANSWER_PLACEHOLDER if letter_answer else stored_text(event.text, intent)
    parse_data = {**(event.parse_data or {}), "text": text}
    if letter_answer:
        parse_data["entities"] = []
    return UserUttered(
        text=text, intent=event.intent, entities=[] if letter_answer else event.entities, parse_data=parse_data,
        timestamp=event.timestamp, input_channel=event.input_channel, message_id=event.message_id,
        metadata=event.metadata,
    )


__all__ = ["RedactingSQLTrackerStore", "redacted_event", "CRISIS_PLACEHOLDER", "LETTER_PLACEHOLDER"]
