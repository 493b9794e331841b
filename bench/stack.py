"""Start the whole assistant (Rasa + actions) on free ports for a benchmark, and stop it after."""

from __future__ import annotations

import dataclasses
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional

import jwt
import requests

from bot.ops.runner import Service, Supervisor, assistant_services
from bot.ops.training import ensure_model
from bot.safety.shared_secret import secret_headers
from bot.settings import load_settings
from tests.helpers.rest import free_port


@dataclass
class Stack:
    """A running assistant: its supervisor, REST and parse URLs, cold-start time and API token."""

    supervisor: Supervisor
    rest_url: str
    parse_url: str
    cold_start: float
    token: str
    headers: Dict[str, str]  # the shared secret Rasa's REST channel asks for

    def send(self, text: str, sender: Optional[str] = None) -> list:
        """Send one message over the REST channel (a fresh sender unless given) and return the replies."""
        response = requests.post(self.rest_url, json={"sender": sender or uuid.uuid4().hex, "message": text},
                                 headers=self.headers, timeout=60)
        response.raise_for_status()
        return response.json()

    def parse(self, text: str) -> Dict:
        """Run the NLU pipeline only (POST /model/parse, JWT-protected) and return the parse data."""
        response = requests.post(self.parse_url, json={"text": text}, timeout=60,
                                 headers={"Authorization": f"Bearer {self.token}"})
        response.raise_for_status()
        return response.json()


@contextmanager
def running_assistant(root: Path, adjust: Optional[Callable[[List[Service]], List[Service]]] = None) -> Iterator[Stack]:
    """Train if needed, start Rasa and the action server (changed by `adjust`), wait for a first answer, stop after."""
    model = ensure_model(root)
    data_dir = tempfile.mkdtemp(prefix="bench-")
    secret = uuid.uuid4().hex * 2
    settings = load_settings({
        "SEND_NAV_ENV": "test", "SEND_NAV_DATA_DIR": data_dir, "SEND_NAV_SECRET_KEY": uuid.uuid4().hex * 2,
        "SEND_NAV_RASA_PORT": str(free_port()), "SEND_NAV_ACTIONS_PORT": str(free_port()),
        "SEND_NAV_RASA_JWT_SECRET": secret,
    })
    services = assistant_services(settings, model)
    supervisor = Supervisor(adjust(services) if adjust else services, Path(data_dir) / "logs")
    started = time.monotonic()
    supervisor.start(timeout=300, progress=False)
    try:
        token = jwt.encode({"user": {"username": "bench", "role": "admin"}}, secret, algorithm="HS256")
        stack = Stack(supervisor, f"{settings.rasa_url}/webhooks/rest/webhook", f"{settings.rasa_url}/model/parse",
                      0.0, token if isinstance(token, str) else token.decode(), secret_headers(settings.actions_secret))
        stack.send("what is mediation", sender="warm")
        stack.cold_start = time.monotonic() - started
        yield stack
    finally:
        supervisor.stop()


def with_fixed_today(services: List[Service], day: str) -> List[Service]:
    """Return the services with each action server started through bench/fixed_today.py, so "today" is `day`."""
    launcher = str(Path(__file__).resolve().parent / "fixed_today.py")
    return [dataclasses.replace(s, argv=[s.argv[0], launcher, day, *s.argv[1:]]) if s.name.startswith("actions")
            else s for s in services]
