"""Each process says, as it starts, which Python it runs on (issue 15: Rasa on 3.10, the rest newer)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import List

from bot.ops.runner import Supervisor, channel_services
from bot.ops.startup import PREFIX, startup_line
from bot.settings import load_settings
from tests.helpers.rest import free_port


def started_lines(log: Path) -> List[str]:
    """Return the start-up lines a service's log holds."""
    return [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
            if f"{PREFIX} " in line and " starting on Python " in line]


def python_of(line: str) -> str:
    """Return the sys.version a start-up line names."""
    return line.split(" starting on Python ", 1)[1].strip()


def test_the_line_carries_the_whole_sys_version() -> None:
    assert startup_line("web app") == f"{PREFIX} web app starting on Python {' '.join(sys.version.split())}"


def test_the_web_app_and_the_dashboard_log_the_service_python(tmp_path: Path) -> None:
    settings = load_settings({
        "SEND_NAV_ENV": "test", "SEND_NAV_DATA_DIR": str(tmp_path), "SEND_NAV_SECRET_KEY": "v" * 48,
        "SEND_NAV_WEB_PORT": str(free_port()), "SEND_NAV_REVIEW_PORT": str(free_port()),
    })
    supervisor = Supervisor(channel_services(settings), tmp_path / "logs")
    supervisor.start(timeout=120, progress=False)
    supervisor.stop()
    for name in ("web", "review"):
        lines = started_lines(tmp_path / "logs" / f"{name}.log")
        assert len(lines) == 1, name
        assert python_of(lines[0]) == " ".join(sys.version.split()), name
        assert sys.version_info >= (3, 11), "the service environment runs a supported Python"


def test_the_rasa_environment_reports_python_3_10() -> None:
    rasa_python = load_settings({"SEND_NAV_ENV": "test", "SEND_NAV_SECRET_KEY": "v" * 48}).rasa_python
    out = subprocess.run([str(rasa_python), "-c", "import sys, rasa; print(sys.version_info[:2], rasa.__version__)"],
                         capture_output=True, text=True, check=True).stdout
    assert out.split() == ["(3,", "10)", "3.6.21"]
