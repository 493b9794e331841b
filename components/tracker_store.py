"""Rasa tracker store that never writes a parent's raw words to disk.

Rasa stores every event of a conversation, including the text of each
message. Those messages are special-category data (health information about
children), so before events reach the database this store replaces the text
with its redacted form, and replaces crisis messages entirely. The message
being processed is still seen in full, in memory, by the NLU and the actions.

Configured in endpoints.yml with one SQLAlchemy URL (`SEND_NAV_TRACKER_URL`),
SQLite by default and PostgreSQL for several replicas.
"""

from __future__ import annotations

from typing import Any, Iterator, Optional

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url

from bot.conversations import CRISIS_PLACEHOLDER, stored_text


class RedactingSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that redacts user text before saving it."""

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

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        for event in super()._additional_events(session, tracker):
            yield redacted_event(event)


def redacted_event(event: Event) -> Event:
    """Return a copy of a user message event with its text made safe to store."""
    if not isinstance(event, UserUttered) or event.text is None:
        return event
    intent = (event.intent or {}).get("name")
    text = stored_text(event.text, intent)
    parse_data = {**(event.parse_data or {}), "text": text}
    copy = UserUttered(
        text=text, intent=event.intent, entities=event.entities, parse_data=parse_data,
        timestamp=event.timestamp, input_channel=event.input_channel, message_id=event.message_id,
        metadata=event.metadata,
    )
    return copy


__all__ = ["RedactingSQLTrackerStore", "redacted_event", "CRISIS_PLACEHOLDER"]
