"""Rasa 3.6's tracker table (`events`), for tests that run without Rasa.

The service environment has no Rasa, but erasure and the purge work on the table Rasa
creates. This is the same table as `rasa.core.tracker_store.SQLTrackerStore.SQLEvent`;
tests/components/test_rasa_events.py checks the two agree, in the Rasa environment.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Integer, MetaData, Sequence, String, Table, Text

EVENTS = Table(
    "events", MetaData(),
    Column("id", Integer, Sequence("events_seq", optional=True), primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)
