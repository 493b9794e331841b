"""The tracker table the service-side tests use (tests/helpers/rasa_events.py) is Rasa's own."""

from __future__ import annotations

from rasa.core.tracker_store import SQLTrackerStore

from tests.helpers.rasa_events import EVENTS


def _shape(table) -> list:
    return [(c.name, repr(c.type), c.nullable, c.primary_key, bool(c.index)) for c in table.columns]


def test_the_mirrored_events_table_matches_rasas() -> None:
    rasa = SQLTrackerStore.SQLEvent.__table__
    assert EVENTS.name == rasa.name
    assert _shape(EVENTS) == _shape(rasa)
    assert sorted(i.name for i in EVENTS.indexes) == sorted(i.name for i in rasa.indexes)
