"""Start the real Rasa and action servers once per test session."""

from __future__ import annotations

from typing import Iterator

import pytest

from bot.runner import Supervisor, assistant_services
from bot.settings import PROJECT_ROOT
from bot.training import ensure_model
from tests.helpers.rest import Assistant, e2e_settings


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    """Train if needed, start both servers, and stop them after the session."""
    model = ensure_model(PROJECT_ROOT)
    settings = e2e_settings(str(tmp_path_factory.mktemp("e2e")))
    supervisor = Supervisor(assistant_services(settings, model), settings.data_dir / "logs")
    supervisor.start(timeout=300, progress=False)
    try:
        yield Assistant(settings, supervisor)
    finally:
        supervisor.stop()
