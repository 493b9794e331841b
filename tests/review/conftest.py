"""Review dashboard fixtures: the app mounted at /review, seeded accounts, and a logged-in AuthActions helper."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Dict, Iterator

import pytest
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from bot.knowledge.entries import KnowledgeBase, load_kb
from bot.review import passwords
from bot.review.accounts import add_volunteer
from bot.review.app import create_review_app
from bot.review.context import ReviewContext
from bot.settings import PROJECT_ROOT, Settings
from tests.helpers.review import COORDINATOR, MOUNT, SECOND, VOLUNTEER, AuthActions, CountingHasher, make_question


@pytest.fixture(autouse=True)
def hasher(monkeypatch: pytest.MonkeyPatch) -> Iterator[CountingHasher]:
    counting = CountingHasher()
    monkeypatch.setattr(passwords, "HASHER", counting)
    passwords.reset_dummy()
    yield counting
    passwords.reset_dummy()


@pytest.fixture
def review_settings(settings: Settings, tmp_path: Path) -> Settings:
    """Settings whose knowledge folder is a copy, so draft files never land in the repository."""
    knowledge = tmp_path / "knowledge"
    shutil.copytree(PROJECT_ROOT / "knowledge", knowledge, ignore=shutil.ignore_patterns("drafts"))
    return replace(settings, knowledge_dir=knowledge)


@pytest.fixture(scope="session")
def knowledge_base() -> KnowledgeBase:
    """The project's knowledge base, loaded once (loading takes half a second)."""
    return load_kb(PROJECT_ROOT / "knowledge")


@pytest.fixture
def review_app(review_settings: Settings, knowledge_base: KnowledgeBase) -> Iterator[Starlette]:
    """The dashboard app; `outer` mounts it at /review, as the main web app does."""
    app = create_review_app(review_settings, kb=knowledge_base)
    yield app
    app.state.review.engine.dispose()


@pytest.fixture
def ctx(review_app: Starlette) -> ReviewContext:
    return review_app.state.review  # type: ignore[no-any-return]


@pytest.fixture
def outer(review_app: Starlette) -> Starlette:
    return Starlette(routes=[Mount(MOUNT, app=review_app)])


@pytest.fixture
def make_client(outer: Starlette):
    """Return a factory for clients (each with its own cookie jar)."""
    def make(base_url: str = "http://testserver") -> TestClient:
        return TestClient(outer, base_url=base_url, follow_redirects=False)
    return make


@pytest.fixture
def client(make_client) -> TestClient:
    return make_client()


@pytest.fixture
def people(review_settings: Settings, ctx: ReviewContext) -> Dict[str, int]:
    """Create a volunteer, a second volunteer and a coordinator; return their ids by name."""
    return {name: add_volunteer(review_settings, email, name, role, pw) for email, name, role, pw in (VOLUNTEER, SECOND, COORDINATOR)}


@pytest.fixture
def qid(ctx: ReviewContext) -> int:
    return make_question(ctx)


@pytest.fixture
def auth(client: TestClient, people: Dict[str, int]) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def make_auth(make_client, people: Dict[str, int]):
    """Return a factory for AuthActions on a fresh client, logged in as `who`."""
    def make(who: tuple = VOLUNTEER, base_url: str = "http://testserver") -> AuthActions:
        actions = AuthActions(make_client(base_url))
        assert actions.login(who).status_code == 303
        return actions
    return make
