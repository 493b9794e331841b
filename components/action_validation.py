"""Check action server replies against Rasa's schema with a validator built once.

Rasa 3.6's RemoteAction checks every reply from the action server with
`jsonschema.validate(result, schema)`, which first validates the schema
itself against the JSON Schema metaschema and then builds a new validator.
Under load that was about 40% of the Rasa server's CPU per message
(bench/results/profile.md). The schema never changes, so this checks it once
and keeps the validator; replies are still validated in full, with the same
error as before when one is malformed.
"""

from __future__ import annotations

from typing import Any, Dict

from jsonschema import ValidationError, exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

_INSTALLED = {"done": False}


def install() -> None:
    """Make RemoteAction validate replies with one precompiled validator (idempotent)."""
    if _INSTALLED["done"]:
        return
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)

    def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
        error = exceptions.best_match(validator.iter_errors(result))
        if error is None:
            return True
        assert isinstance(error, ValidationError)
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the Action "
            f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error

    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[assignment]
    _INSTALLED["done"] = True
