"""The action protocol, the action server's side: current rasa-sdk reads what Rasa 3.6 sent, and replies as recorded.

Each request Rasa 3.6 sent (recorded by tests/components/test_action_contract.py) goes through the
ActionExecutor exactly as the action server's /webhook passes it; the reply's shape must match the
recording, which that test checks Rasa accepts. See tests/helpers/contract.py.
"""

from __future__ import annotations

import asyncio
import re

import pytest
from rasa_sdk import events as sdk_events
from rasa_sdk.executor import ActionExecutor

from bot.settings import PROJECT_ROOT
from tests.helpers.contract import EVENT_NAMES, RECORDING, SCENARIOS, read, shape, write


def reply_to(scenario: str) -> dict:
    """Return the action server's reply to the scenario's recorded request."""
    executor = ActionExecutor()
    executor.register_package("actions")
    request = {**read(f"{scenario}.request.json"), "domain": read("domain.json")}
    result = asyncio.run(executor.run(request))
    assert result is not None
    return result.model_dump()


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_the_action_server_replies_as_recorded(scenario: str) -> None:
    reply = reply_to(scenario)
    if RECORDING:
        write(f"{scenario}.reply.json", reply)
    assert shape(reply) == shape(read(f"{scenario}.reply.json"))


def test_the_event_names_are_rasa_sdks() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in (PROJECT_ROOT / "actions").glob("*.py"))
    imported = set(re.findall(r"from rasa_sdk\.events import ([\w, ]+)", source))
    names = {n.strip() for group in imported for n in group.split(",")} - {"EventType"}
    assert names <= set(EVENT_NAMES), "add the new event class to EVENT_NAMES in tests/helpers/contract.py"
    made = {"SlotSet": sdk_events.SlotSet("x"), "FollowupAction": sdk_events.FollowupAction("x"),
            "Restarted": sdk_events.Restarted(), "ActiveLoop": sdk_events.ActiveLoop("x"),
            "AllSlotsReset": sdk_events.AllSlotsReset()}
    assert {name: event["event"] for name, event in made.items()} == {name: EVENT_NAMES[name] for name in made}
