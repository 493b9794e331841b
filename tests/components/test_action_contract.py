"""The action protocol, Rasa 3.6's side: the requests it sends, and that it takes the recorded replies.

Rasa's own code builds each request (RemoteAction._action_call_format on a tracker of Rasa events) and
checks each reply the way RemoteAction.run does: the project's schema check, then deserialise_events.
The other side is tests/actions/test_action_contract.py; the recordings are in tests/helpers/contract.py.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List

import pytest
import rasa
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (ActionExecuted, ActiveLoop, BotUttered, Event, SessionStarted, SlotSet,
                                     UserUttered, deserialise_events)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.settings import PROJECT_ROOT
from components import action_validation
from tests.helpers.contract import EVENT_NAMES, RECORDING, SCENARIOS, action_of, read, shape, write

# Rasa's own noise, by name: its plugins load the Python 2 way, and Domain.as_dict() warns about a
# 2.x slot option whether or not the domain uses it.
pytestmark = [pytest.mark.filterwarnings(r"ignore:the load_module\(\) method is deprecated:DeprecationWarning"),
              pytest.mark.filterwarnings("ignore:Slot auto-fill has been removed:UserWarning")]
START = 1764460800.0  # 2025-11-30 00:00 UTC: fixed, so a recording does not change with the clock
# What Rasa's _utter_responses reads from a reply's "responses".
RESPONSE_KEYS = {"text", "buttons", "custom", "response", "template", "image", "attachment", "elements",
                 "quick_replies", "channel"}


def tracker_for(scenario: str) -> DialogueStateTracker:
    """Return the tracker Rasa holds when it calls the scenario's action."""
    events: List[Event] = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    for step in SCENARIOS[scenario]:
        if "user" in step:
            events.append(UserUttered(step["user"], intent={"name": step["intent"], "confidence": 1.0},
                                      entities=step.get("entities", []), input_channel="rest"))
        if "form" in step:
            events += [ActionExecuted(step["form"]), ActiveLoop(step["form"]), SlotSet("requested_slot", step["requested"])]
        events += [SlotSet(name, value) for name, value in (step.get("slots") or {}).items()]
        if "bot" in step:
            events.append(BotUttered(step["bot"]))
    for i, event in enumerate(events):
        event.timestamp = START + i
    return DialogueStateTracker.from_events(f"contract-{action_of(scenario)}", events)


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(PROJECT_ROOT / "domain.yml"))


def test_every_custom_action_and_form_has_a_scenario(domain: Domain) -> None:
    assert {action_of(s) for s in SCENARIOS} == {a for a in domain.user_actions if not a.startswith("utter_")}
    for form in domain.form_names:
        assert any(any(step.get("form") == form for step in steps) for steps in SCENARIOS.values()), form


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_rasa_sends_the_recorded_request(scenario: str, domain: Domain) -> None:
    endpoint = EndpointConfig("http://127.0.0.1:5055/webhook")
    request: Dict[str, Any] = RemoteAction(action_of(scenario), endpoint)._action_call_format(tracker_for(scenario), domain)
    assert request["version"] == rasa.__version__ == "3.6.21"
    sent_domain = request.pop("domain")  # endpoints.yml does not turn on the selective domain: every call has it
    if RECORDING:
        write(f"{scenario}.request.json", request)
        write("domain.json", sent_domain)
    assert shape(request) == shape(read(f"{scenario}.request.json"))
    assert shape(sent_domain, "domain") == shape(read("domain.json"), "domain")


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_rasa_takes_the_recorded_reply(scenario: str) -> None:
    reply = read(f"{scenario}.reply.json")
    action_validation.install()
    assert RemoteAction(action_of(scenario), None)._validate_action_result(reply)
    events = deserialise_events(reply.get("events", []))
    assert len(events) == len(reply.get("events", [])), "Rasa drops events it cannot read"
    tracker = tracker_for(scenario)
    for event in events:
        tracker.update(event)
    for response in reply.get("responses", []):
        assert set(response) <= RESPONSE_KEYS and any(response.get(k) for k in RESPONSE_KEYS), response


def test_the_replies_cover_every_event_type_the_actions_return() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in (PROJECT_ROOT / "actions").glob("*.py"))
    used = set(re.findall(r"\b(" + "|".join(EVENT_NAMES) + r")\(", source))
    recorded = {event["event"] for s in SCENARIOS for event in read(f"{s}.reply.json").get("events", [])}
    assert {EVENT_NAMES[name] for name in used} <= recorded
