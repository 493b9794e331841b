"""Fixtures for the abuse suite: the real widget server and dashboard, each on a loopback port, once per module."""

from __future__ import annotations

import itertools
import logging
import shutil
from dataclasses import replace
from typing import Any, Iterator

import anyio
import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from starlette.applications import Starlette

from bot.review import passwords
from bot.review.accounts import add_volunteer
from bot.review.app import create_review_app
from bot.review.throttle import LoginThrottle
from bot.settings import PROJECT_ROOT, Settings, load_settings
from bot.web.app import create_app
from tests.abuse.cases import Dashboard, ErrorLog, Proxy, Served
from tests.helpers.review import COORDINATOR, SECOND, VOLUNTEER, CountingHasher, make_question
from tests.helpers.servers import ServerThread
from tests.helpers.web import GENEROUS, FakeRasa

SECRET_KEY = "abuse-suite-secret-key-0123456789-abcdefghijklmn"
_conversations = itertools.count()  # one question per test: a conversation has one waiting question at a time


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """Serve create_app() with uvicorn, a fake Rasa, seeded volunteers and a cheap password hasher."""
    root = tmp_path_factory.mktemp("abuse")
    knowledge = root / "knowledge"  # a copy, so draft files never land in the repository
    shutil.copytree(PROJECT_ROOT / "knowledge", knowledge, ignore=shutil.ignore_patterns("drafts"))
    settings = replace(load_settings({
        "SEND_NAV_ENV": "test", "SEND_NAV_DATA_DIR": str(root),
        "SEND_NAV_DATABASE_URL": f"sqlite:///{root / 'db' / 'test.db'}", "SEND_NAV_SECRET_KEY": SECRET_KEY,
    }), knowledge_dir=knowledge)
    # Hundreds of tiny commits: waiting for each to reach the disk would be most of the suite's time.
    event.listen(Engine, "connect", _no_disk_sync)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(passwords, "HASHER", CountingHasher())  # argon2's defaults take a second per login
            passwords.reset_dummy()
            yield from _serve(settings)
    finally:
        event.remove(Engine, "connect", _no_disk_sync)
        passwords.reset_dummy()


def _serve(settings: Settings) -> Iterator[Served]:
    for email, name, role, password in (VOLUNTEER, SECOND, COORDINATOR):
        add_volunteer(settings, email, name, role, password)
    rasa = FakeRasa()
    rasa_client = rasa.client()
    app = create_app(settings, rasa=rasa_client, limits=GENEROUS)
    review = create_review_app(settings)
    server, review_server = ServerThread(app), ServerThread(review)  # they configure uvicorn's loggers first
    errors = ErrorLog()
    watched = [logging.getLogger(), logging.getLogger("uvicorn")]  # uvicorn's loggers do not propagate
    for logger in watched:
        logger.addHandler(errors)
    try:
        server.start()
        review_server.start()
        yield Served(server.url, server.port, settings, app.state.api, review.state.review, rasa, errors,
                     review_server.url, review_server.port)
    finally:
        server.stop()
        review_server.stop()
        for logger in watched:
            logger.removeHandler(errors)
        for served_app in (app, review):  # they ran without lifespans; their exits dispose the database engines
            anyio.run(_run_lifespan, served_app)
        anyio.run(rasa_client.aclose)


def _no_disk_sync(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.close()


async def _run_lifespan(app: Starlette) -> None:
    async with app.router.lifespan_context(app):
        pass


@pytest.fixture
def proxy(served: Served) -> Iterator[Proxy]:
    """A client of the widget API; Rasa's record, its mode and the session clock are reset around each test."""
    served.rasa.received.clear()
    served.rasa.mode = "answer"
    clock = served.api.sessions.clock
    served.errors.take()
    harness = Proxy(served)
    yield harness
    harness.close()
    served.api.sessions.clock = clock


@pytest.fixture
def dashboard(served: Served) -> Iterator[Dashboard]:
    """A dashboard harness with a fresh waiting question and a reset login throttle."""
    served.review.throttle = LoginThrottle(served.review.throttle.limits)
    served.errors.take()
    harness = Dashboard(served, make_question(served.review, conversation=f"abuse-{next(_conversations)}"))
    yield harness
    harness.close()
