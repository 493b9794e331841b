"""What is kept of a conversation, and erasing it on request.

`/forget` in Telegram and "Delete my conversation" in the widget call
`forget_conversation`: it deletes Rasa's stored events for the conversation
and every project record linked to it, and withdraws any question waiting
for a volunteer (volunteers then see it as withdrawn, with its text gone).
"""

from __future__ import annotations

from dataclasses import dataclass
from sqlalchemy import MetaData, Table, delete, inspect
from sqlalchemy.engine import Engine

from bot.safety.privacy import conversation_ref
from bot.store import EscalationRepository, FeedbackRepository, UnansweredRepository, make_engine, make_session_factory
from bot.store.db import compact_after_erasure

TRACKER_TABLE = "events"


@dataclass
class Erased:
    """How many records went for one conversation."""

    tracker_events: int
    unanswered: int
    feedback: int
    escalations: int = 0


def delete_tracker_events(engine: Engine, sender_id: str) -> int:
    """Delete Rasa's stored events for one conversation (nothing if the table does not exist)."""
    if not inspect(engine).has_table(TRACKER_TABLE):
        return 0
    events = Table(TRACKER_TABLE, MetaData(), autoload_with=engine)
    with engine.begin() as connection:
        return int(connection.execute(delete(events).where(events.c.sender_id == sender_id)).rowcount or 0)


def forget_conversation(database_url: str, tracker_url: str, secret_key: str, sender_id: str) -> Erased:
    """Erase a conversation from Rasa's tracker store and from the project's tables."""
    ref = conversation_ref(secret_key, sender_id)
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    tracker_engine = make_engine(tracker_url, create_schema=False)
    try:
        erased = Erased(
            tracker_events=delete_tracker_events(tracker_engine, sender_id),
            unanswered=UnansweredRepository(sessions).delete_conversation(ref),
            feedback=FeedbackRepository(sessions).delete_conversation(ref),
            escalations=EscalationRepository(sessions).erase_conversation(sender_id),
        )
        for each in (tracker_engine, engine):  # no copy of the erased rows left in a WAL file
            compact_after_erasure(each)
        return erased
    finally:
        tracker_engine.dispose()
        engine.dispose()
