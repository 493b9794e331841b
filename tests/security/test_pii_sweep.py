"""F1 end to end: personal details typed into every form step, through the real servers, are nowhere on disk.

Each flow of tests/helpers/pii_flows.py runs with its own sample of details,
once straight to Rasa's REST channel and once through the widget proxy.
Then the raw bytes of every file in the data folder (both databases with
their -wal and -shm files, the logs, the spool, anything else) are searched
for every detail. The test also checks that the details really went where
they were meant to: each form slot was set, a question reached the
volunteers and another the unanswered log.
"""

from __future__ import annotations

from contextlib import closing
import json
import sqlite3
from typing import Dict, List, Set

import pytest

from tests.helpers.pii import Sample, leaks, samples, stored_files
from tests.helpers.pii_flows import FLOWS
from tests.helpers.widget_client import Parent

pytestmark = pytest.mark.e2e

FORM_SLOTS = {"deadline_event", "deadline_date", "deadline_second_date", "timeline_request", "timeline_decision",
              "timeline_draft", "timeline_final", "letter_template", "letter_answer"}
ERASED = ("zqxbramble", "zqxlantern")  # words that survive redaction, so they are on disk until erased


def details(used: List[Sample]) -> List[tuple]:
    return [(kind, value) for sample in used for kind, value in sample.details().items()]


def table(path, query: str) -> List[tuple]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection, connection:
        return list(connection.execute(query))


def slots_set(running) -> Set[str]:
    rows = table(running.settings.data_dir / "tracker.db", "SELECT data FROM events WHERE type_name = 'slot'")
    return {json.loads(data)["name"] for (data,) in rows}


@pytest.fixture(scope="module")
def swept(running) -> Dict[str, List[Sample]]:
    """Run every flow on both channels, each with fresh details; return the samples used per channel."""
    rest, widget = samples(len(FLOWS), seed=101), samples(len(FLOWS), seed=202)
    for flow, sample in zip(FLOWS.values(), rest):
        running.conversation(flow(sample))
    for flow, sample in zip(FLOWS.values(), widget):
        parent = Parent(running.web_url).start()
        for message in flow(sample):
            assert parent.say(message).status == 200
    return {"rest": rest, "widget": widget}


def test_f1_sweep_reached_every_form_slot_and_both_databases(running, swept) -> None:
    assert FORM_SLOTS <= slots_set(running)
    database = running.settings.data_dir / "sendnav.db"
    channels = {c for (c,) in table(database, "SELECT channel FROM escalations")}
    assert {"rest-test", "widget"} <= channels
    assert table(database, "SELECT id FROM unanswered_log")


@pytest.mark.parametrize("channel", ["rest", "widget"])
def test_f1_sweep_leaves_no_personal_detail_in_any_file(running, swept, channel) -> None:
    files = stored_files(running.settings.data_dir)
    names = {p.name for p in files}
    assert {"sendnav.db", "tracker.db", "rasa.log", "actions.log", "web.log"} <= names
    assert leaks(files, details(swept[channel])) == []


def test_f8_widget_erasure_leaves_no_bytes_of_the_conversation(running, swept) -> None:
    parent = Parent(running.web_url).start()
    assert parent.say(f"{ERASED[0]} can you help with my {ERASED[1]} appeal").status == 200
    database_files = [p for p in stored_files(running.settings.data_dir) if ".db" in p.name]
    assert leaks(database_files, [("word", w) for w in ERASED]), "on disk before the erasure"
    response = parent.http.request("DELETE", f"{running.web_url}/api/conversation",
                                   json={"conversation_id": parent.conversation_id}, timeout=30)
    assert response.status_code == 204
    assert leaks(stored_files(running.settings.data_dir), [("word", w) for w in ERASED]) == []
