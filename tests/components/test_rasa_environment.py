"""What runs inside Rasa needs nothing but Rasa: requirements/rasa.txt is the whole run-time list.

The Rasa environment also holds test tools (requirements/rasa-dev.txt); the official Rasa image
does not, so components/ must import, and build its stores, with them hidden.
"""

from __future__ import annotations

import subprocess
import sys

from bot.settings import PROJECT_ROOT

TEST_ONLY = ("pytest", "hypothesis", "dateparser", "docx", "alembic", "httpx", "starlette", "prometheus_client")


def test_components_load_without_the_test_only_packages(tmp_path) -> None:
    code = (
        f"import sys\nfor name in {TEST_ONLY!r}: sys.modules[name] = None\n"
        "import components.conversation_guard, components.crisis_guard, components.lock_store, components.rest_channel\n"
        "from components.tracker_store import RedactingSQLTrackerStore\n"
        f"store = RedactingSQLTrackerStore(host='sqlite:///{tmp_path / 'tracker.db'}')\n"
        "store.engine.dispose()\n"
        "print(sys.version_info[:2])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          env={"PYTHONPATH": str(PROJECT_ROOT), "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "(3, 10)"
