"""components.action_validation: action server replies are still checked, with the validator built once."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from components import action_validation


@pytest.fixture
def action() -> RemoteAction:
    action_validation.install()
    return RemoteAction("action_answer", None)


@pytest.mark.parametrize("reply", [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "last_kb_id", "value": "mediation"}], "responses": [{"text": "Hi"}]},
])
def test_valid_replies_pass(action, reply) -> None:
    assert action._validate_action_result(reply) is True


@pytest.mark.parametrize("reply", [
    {"events": [{"name": "no event type"}], "responses": []},
    {"events": "not a list", "responses": []},
])
def test_malformed_replies_raise_the_same_error_as_rasa(action, reply) -> None:
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result(reply)


def test_installing_twice_is_harmless() -> None:
    action_validation.install()
    patched = RemoteAction._validate_action_result
    action_validation.install()
    assert RemoteAction._validate_action_result is patched
