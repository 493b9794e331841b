"""The running Rasa server logs the Rasa environment's Python 3.10, the action server this newer one."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.ops.test_startup import python_of, started_lines

pytestmark = pytest.mark.e2e


def test_rasa_and_the_action_server_log_their_own_python(assistant) -> None:
    logs = assistant.supervisor.log_dir
    rasa_version = subprocess.run([str(assistant.settings.rasa_python), "-c", "import sys; print(sys.version)"],
                                  capture_output=True, text=True, check=True).stdout
    rasa_lines = started_lines(logs / "rasa.log")
    assert rasa_lines and python_of(rasa_lines[0]) == " ".join(rasa_version.split())
    assert python_of(rasa_lines[0]).startswith("3.10.")
    action_lines = started_lines(logs / "actions.log")
    assert action_lines and python_of(action_lines[0]) == " ".join(sys.version.split())
    assert sys.version_info >= (3, 11)
