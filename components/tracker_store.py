"""Rasa tracker store that never writes a parent's raw words, or their letters, to disk.

Rasa stores every event of a conversation as JSON. Those messages are
special-category data (health information about children), so what is
written is decided by `bot.safety.stored_events.safe_event`, field by field
and deny by default: every string of every event, of any type, is redacted
unless it sits at a structural place (event type, names the domain knows,
generated ids), and crisis messages are replaced entirely. The message being
processed is still seen in full, in memory, by the NLU and the actions.

A form's answer is first set from the parent's whole message (a `from_text`
slot), then replaced in the same turn by the value the form accepted (an ISO
date, a template id, or nothing). Only that accepted value is written for
both events; an answer not yet replaced is written redacted.

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

import itertools
from collections import OrderedDict
from typing import Any, Callable, Dict, FrozenSet, Iterable, Iterator, List, Optional, Set, Text, Tuple

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, TrackerEventDiffEngine
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (ActiveLoop, AllSlotsReset, BotUttered, Event, Restarted, SessionStarted, SlotSet,
                                     UserUttered)
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine
from sqlalchemy import event as sqlalchemy_event  # `event` names Rasa events throughout this module
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool

from bot.letters.chat import ANSWER_SLOT, LETTER_FORM, LETTER_PAYLOAD_TYPE, PRIVATE_SLOTS
from bot.safety.privacy import CRISIS_PLACEHOLDER
from bot.safety.stored_events import KnownNames, Replaced, safe_event, withheld_words
from bot.store.db import sqlite_pragmas
from components import action_validation

LETTER_PLACEHOLDER = "[letter not stored]"
ANSWER_PLACEHOLDER = "[letter answer not stored]"
REQUESTED_SLOT = "requested_slot"
MAX_HELD = 1000  # letters in progress kept in memory; the oldest go first
STORED_COUNT = "_send_nav_stored_events"  # set on a tracker this store loaded or saved: how many events are stored


class StoredEvent:
    """An event as it will be written: what SQLTrackerStore.save reads (its type and JSON form)."""

    def __init__(self, type_name: str, data: Dict[str, Any]) -> None:
        self.type_name = type_name
        self._data = data

    def as_dict(self) -> Dict[str, Any]:
        """Return the JSON form to write."""
        return self._data


class RedactingSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that writes only safe JSON (bot.safety.stored_events) and never a letter."""

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
        self._facts: Tuple[Optional[Domain], KnownNames, FrozenSet[str]] = (None, KnownNames(), frozenset())
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
        sqlalchemy_event.listen(self.engine, "connect", sqlite_pragmas)
        self.sessionmaker = sessionmaker(bind=self.engine)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Hold the answers of a letter in progress in memory, then save the events' safe forms."""
        values = {slot: tracker.get_slot(slot) for slot in PRIVATE_SLOTS}
        self._held.pop(tracker.sender_id, None)
        if any(v is not None for v in values.values()):
            self._held[tracker.sender_id] = values
            while len(self._held) > MAX_HELD:
                self._held.popitem(last=False)
        await super().save(tracker)
        setattr(tracker, STORED_COUNT, len(tracker.events))

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        tracker = await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        held = self._held.get(sender_id)
        if tracker is not None and held and self.domain is not None:
            events = list(tracker.events)
            restore_slots(events, held)
            tracker = DialogueStateTracker.from_events(sender_id, events, self.domain.slots)
        if tracker is not None and not fetch_events_from_all_sessions:
            setattr(tracker, STORED_COUNT, len(tracker.events))
        return tracker

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[StoredEvent]:
        return self._safe_forms(list(tracker.events), new_events(tracker, lambda: super(
            RedactingSQLTrackerStore, self)._additional_events(session, tracker)))

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        """Publish the new events' safe forms to the event broker, if one is ever configured."""
        if self.event_broker is None:
            return
        new = TrackerEventDiffEngine.event_difference(await self.retrieve(tracker.sender_id), tracker)
        for stored in self._safe_forms(list(tracker.events), new):
            self.event_broker.publish({"sender_id": tracker.sender_id, **stored.as_dict()})

    def _safe_forms(self, events: List[Event], new: List[Event]) -> Iterator[StoredEvent]:
        """Yield what may be written of each new event of a conversation."""
        answers, later = letter_answer_ids(events), later_slot_values(events, self._domain_facts()[2])
        withheld = withheld_words(e.text for e in new if isinstance(e, UserUttered) and e.text and id(e) not in answers)
        for event in new:
            kept = without_letters(event, later)
            replaced = Replaced(ANSWER_PLACEHOLDER) if id(event) in answers else None
            yield StoredEvent(kept.type_name, safe_event(kept.as_dict(), self._domain_facts()[1], replaced, withheld))

    def _domain_facts(self) -> Tuple[Optional[Domain], KnownNames, FrozenSet[str]]:
        """Return the domain's names and its quiet slots (a reloaded model may bring a new domain)."""
        if self._facts[0] is not self.domain:
            self._facts = (self.domain, known_names(self.domain), quiet_slots(self.domain))
        return self._facts


def new_events(tracker: DialogueStateTracker, counted: Callable[[], Iterable[Event]]) -> List[Event]:
    """Return the tracker's events not yet in the database.

    Rasa counts the stored events with a query before every save (a tenth of
    the Rasa server's time under load, bench/results/profile.md). A tracker
    this store loaded or saved already knows how many of its events are
    stored: Rasa handles one message per conversation at a time under its lock
    store (Redis with several replicas), so no other writer adds events to the
    conversation in between, and erasure or the retention purge only removes
    rows, which must never be written again. A tracker the store has not seen
    (a new conversation, a copy) is counted by Rasa's query as before.
    """
    stored = getattr(tracker, STORED_COUNT, None)
    if not isinstance(stored, int) or not 0 <= stored <= len(tracker.events):
        return list(counted())
    return list(itertools.islice(tracker.events, stored, None))


def known_names(domain: Optional[Domain]) -> KnownNames:
    """Return the intent, entity, slot and action names a domain defines (shapes only without one)."""
    if domain is None:
        return KnownNames()
    return KnownNames(
        intents=frozenset(domain.intents), entities=frozenset(domain.entities),
        slots=frozenset(slot.name for slot in domain.slots),
        actions=frozenset(domain.action_names_or_texts) | frozenset(domain.form_names),
    )


def quiet_slots(domain: Optional[Domain]) -> FrozenSet[str]:
    """Return the slots that hold answers and never influence a prediction."""
    if domain is None:
        return frozenset()
    return frozenset(s.name for s in domain.slots if not s.influence_conversation and s.name != REQUESTED_SLOT)


def without_letters(event: Event, later: Dict[int, Any]) -> Event:
    """Return the event with letter slots emptied, a letter replaced and a replaced answer set to its final value."""
    if isinstance(event, SlotSet) and event.key in PRIVATE_SLOTS and event.value is not None:
        return SlotSet(event.key, None, timestamp=event.timestamp, metadata=event.metadata)
    if isinstance(event, SlotSet) and id(event) in later:
        return SlotSet(event.key, later[id(event)], timestamp=event.timestamp, metadata=event.metadata)
    if isinstance(event, BotUttered) and _custom_type(event) == LETTER_PAYLOAD_TYPE:
        return BotUttered(text=LETTER_PLACEHOLDER, data={}, metadata=event.metadata, timestamp=event.timestamp)
    return event


def later_slot_values(events: Iterable[Event], slots: FrozenSet[str]) -> Dict[int, Any]:
    """Map each event of these slots whose value a later event replaces (before any reset) to that value.

    A form writes the parent's whole message into its slot, then the value it
    accepted; writing the accepted value for both leaves the conversation as it
    was (the first is overwritten either way) without the message. Only slots
    that do not influence the conversation are given, so no prediction reads
    the value in between.
    """
    later: Dict[int, Any] = {}
    pending: Dict[str, SlotSet] = {}  # slot -> its latest event not yet replaced
    for event in events:
        if isinstance(event, (Restarted, SessionStarted, AllSlotsReset)):
            pending.clear()
        elif isinstance(event, SlotSet) and event.key in slots:
            if event.key in pending:
                later[id(pending[event.key])] = event.value
            pending[event.key] = event
    return later


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


__all__ = ["RedactingSQLTrackerStore", "StoredEvent", "CRISIS_PLACEHOLDER", "LETTER_PLACEHOLDER"]
