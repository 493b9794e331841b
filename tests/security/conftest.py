"""A whole assistant started as `python -m bot run` starts it, in its own data folder, for the security tests.

The action server, Rasa and the web proxy run under the real Supervisor
after `prepare_backends`, so file modes, the environment of each process and
the bytes on disk are what a deployment would have. The data folder holds
only what these tests wrote, so a byte search over it is about them alone.

Each process runs under `strace`, which writes every connect(2) and send
call it makes, from start-up on, to a file outside the data folder
(`Running.network_log`): what tests/security/test_telemetry.py reads.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
import requests

from bot.channels.rasa_client import as_text
from bot.ops.runner import Service, Supervisor, assistant_services, channel_services, prepare_backends
from bot.ops.training import ensure_model
from bot.safety.shared_secret import secret_headers
from bot.settings import PROJECT_ROOT, Settings, load_settings
from tests.helpers.crash import HIGH_LIMITS
from tests.helpers.rest import free_port, new_sender

STRACE = shutil.which("strace")
# --seccomp-bpf stops the process only at the traced calls, so the services run at nearly full speed.
TRACED = ["-f", "-qq", "--seccomp-bpf", "-e", "signal=none", "-e", "trace=connect,sendto,sendmsg,sendmmsg"]


@dataclass
class Running:
    """The running assistant and ways to talk to it."""

    settings: Settings
    supervisor: Supervisor
    trace_dir: Path

    @property
    def web_url(self) -> str:
        return f"http://{self.settings.web_host}:{self.settings.web_port}"

    def network_log(self) -> List[str]:
        """Return every traced network call of every service so far."""
        return [line for path in sorted(self.trace_dir.glob("*.trace*")) for line in path.read_text().splitlines()]

    def send(self, message: str, sender: str) -> List[Dict[str, Any]]:
        """Send typed text to Rasa's REST channel as the web proxy does, and return the replies."""
        body = {"sender": sender, "message": as_text(message), "metadata": {"channel": "rest-test"}}
        response = requests.post(f"{self.settings.rasa_url}/webhooks/rest/webhook", json=body,
                                 headers=secret_headers(self.settings.actions_secret), timeout=60)
        assert response.status_code == 200, response.text
        return list(response.json())

    def conversation(self, messages: List[str]) -> str:
        """Send each message in a new conversation; return its sender id."""
        sender = new_sender()
        for message in messages:
            self.send(message, sender)
        return sender


def traced(services: List[Service], trace_dir: Path) -> List[Service]:
    """Run each service under strace, writing its network calls to trace_dir/<name>.trace."""
    if STRACE is None:
        return services
    for service in services:
        service.argv = [STRACE, *TRACED, "-o", str(trace_dir / f"{service.name}.trace"), *service.argv]
    return services


@pytest.fixture(scope="session")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    data_dir, trace_dir = tmp_path_factory.mktemp("security"), tmp_path_factory.mktemp("network")
    settings = load_settings({
        "SEND_NAV_ENV": "test", "SEND_NAV_DATA_DIR": str(data_dir),
        "SEND_NAV_RASA_PORT": str(free_port()), "SEND_NAV_ACTIONS_PORT": str(free_port()),
        "SEND_NAV_WEB_PORT": str(free_port()), **HIGH_LIMITS,
    })
    prepare_backends(settings)
    services = assistant_services(settings, ensure_model(PROJECT_ROOT)) + channel_services(settings)
    supervisor = Supervisor(traced(services, trace_dir), settings.data_dir / "logs")
    supervisor.start(timeout=300, progress=False)
    try:
        yield Running(settings, supervisor, trace_dir)
    finally:
        supervisor.stop()
