"""Shared fixtures: test settings in a temporary folder, a SQLite store, its repository."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Dict, Iterator, List

import pytest
from sqlalchemy.engine import Engine

from bot.settings import Settings, load_settings
from bot.store import UnansweredRepository, make_engine, make_session_factory

SECRET_KEY = "test-secret-key-0123456789-abcdefghijklmnopqrstu"  # fixed, 48 characters

# Tests that import Rasa run in the Rasa environment (Python 3.10, `make test-rasa`). The service
# environment has no Rasa, so there they are left out instead of failing to import; the Makefile
# runs them in the Rasa environment, and tests/test_environments.py checks this list is complete.
RASA_ONLY = ["components"]
collect_ignore: List[str] = [] if importlib.util.find_spec("rasa") else list(RASA_ONLY)


@pytest.fixture(autouse=True)
def _dispose_engines(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Close the pooled connections of every engine a test made through make_engine.

    Many tests build a repository on a fresh engine and let it go; Python 3.13's sqlite3
    warns (ResourceWarning, an error here) about each connection left for the garbage collector.
    """
    import bot.store.db as db

    made: List[Engine] = []
    real = db.create_engine

    def tracked(*args: object, **kwargs: object) -> Engine:
        engine = real(*args, **kwargs)
        made.append(engine)
        return engine

    monkeypatch.setattr(db, "create_engine", tracked)
    yield
    for engine in made:
        engine.dispose()


@pytest.fixture
def secret_key() -> str:
    assert len(SECRET_KEY) == 48
    return SECRET_KEY


@pytest.fixture
def env(tmp_path: Path, secret_key: str) -> Dict[str, str]:
    """Environment variables that point every setting at tmp_path."""
    return {
        "SEND_NAV_ENV": "test",
        "SEND_NAV_DATA_DIR": str(tmp_path),
        "SEND_NAV_DATABASE_URL": f"sqlite:///{tmp_path / 'db' / 'test.db'}",
        "SEND_NAV_SECRET_KEY": secret_key,
    }


@pytest.fixture
def settings(env: Dict[str, str]) -> Settings:
    return load_settings(env)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine):
    return make_session_factory(engine)


@pytest.fixture
def repository(sessions) -> UnansweredRepository:
    return UnansweredRepository(sessions)


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory):
    """Train if needed, start the real Rasa and action servers once, and stop them at the end."""
    from bot.ops.runner import Supervisor, assistant_services
    from bot.settings import PROJECT_ROOT
    from bot.ops.training import ensure_model
    from tests.helpers.rest import Assistant, e2e_settings

    model = ensure_model(PROJECT_ROOT)
    live = e2e_settings(str(tmp_path_factory.mktemp("assistant")))
    supervisor = Supervisor(assistant_services(live, model), live.data_dir / "logs")
    supervisor.start(timeout=300, progress=False)
    try:
        yield Assistant(live, supervisor)
    finally:
        supervisor.stop()
