"""The recorded action protocol between Rasa 3.6 (Python 3.10) and the action server (current rasa-sdk).

tests/helpers/action_contract/ holds, per custom action, the request Rasa sent (`<action>.request.json`,
its domain once in `domain.json`) and the action server's reply (`<action>.reply.json`). Both sides
compare what they produce now with the recording's shape (keys and value types, see shape()), not the
wording or the number of events, so editing knowledge/, domain.yml's slots or an action's logic changes
nothing here, but a new, renamed or retyped field of the protocol does.
Record again after a deliberate change, in this order:

    SEND_NAV_RECORD_CONTRACT=1 .venv-rasa/bin/python -m pytest tests/components/test_action_contract.py
    SEND_NAV_RECORD_CONTRACT=1 .venv/bin/python -m pytest tests/actions/test_action_contract.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict, List

import yaml

CONTRACT = Path(__file__).resolve().parent / "action_contract"
SCENARIOS: Dict[str, List[Dict[str, Any]]] = yaml.safe_load((CONTRACT / "scenarios.yml").read_text(encoding="utf-8"))
RECORDING = os.environ.get("SEND_NAV_RECORD_CONTRACT") == "1"
# The rasa_sdk event classes actions/ may return, and the event name each sends.
EVENT_NAMES = {"SlotSet": "slot", "FollowupAction": "followup", "Restarted": "restart", "ActiveLoop": "active_loop",
               "AllSlotsReset": "reset_slots", "SessionStarted": "session_started", "ActionExecuted": "action",
               "BotUttered": "bot", "UserUtteranceReverted": "rewind", "ConversationPaused": "pause",
               "ConversationResumed": "resume", "ReminderScheduled": "reminder", "ReminderCancelled": "cancel_reminder"}


def action_of(scenario: str) -> str:
    """Return the action a scenario calls ("action_answer@dated" calls action_answer)."""
    return scenario.split("@", 1)[0]


def shape(value: Any, key: str = "") -> Any:
    """Return the structure of a JSON value: keys kept, scalars replaced by their type's name.

    A list becomes the sorted set of its items' shapes, so one more event or button is not a
    change of protocol; the slots and the domain are data, so only their value types count.
    """
    if isinstance(value, dict) and key == "slots":
        return ["slots"] + sorted({json.dumps(shape(item)) for item in value.values()})
    if isinstance(value, dict) and key == "domain":
        return {name: type(item).__name__ for name, item in sorted(value.items())}
    if isinstance(value, dict):
        return {name: shape(item, name) for name, item in sorted(value.items())}
    if isinstance(value, list):
        return sorted({json.dumps(shape(item)) for item in value})
    return type(value).__name__


def read(name: str) -> Any:
    """Return a recorded JSON file of the contract."""
    return json.loads((CONTRACT / name).read_text(encoding="utf-8"))


def write(name: str, value: Any) -> None:
    """Record a JSON file of the contract (sorted keys, so a re-recording diffs cleanly)."""
    (CONTRACT / name).write_text(json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
