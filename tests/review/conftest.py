"""Review dashboard fixtures: the dashboard app as served (under /review), seeded accounts, and a logged-in AuthActions helper."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Dict, Iterator

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bot.knowledge.entries import KnowledgeBase, load_kb
from bot.review import passwords
from bot.review.accounts import add_volunteer
from bot.review.app import create_review_app
from bot.review.context import ReviewContext
from bot.settings import PROJECT_ROOT, Settings
from tests.helpers.review import COORDINATOR, SECOND, VOLUNTEER, AuthActions, CountingHasher, make_question


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
    """The dashboard app as its process serves it: middleware, headers, /review mount and all."""
    app = create_review_app(review_settings, kb=knowledge_base)
    yield app
    app.state.review.engine.dispose()


@pytest.fixture
def ctx(review_app: Starlette) -> ReviewContext:
    return review_app.state.review  # type: ignore[no-any-return]


@pytest.fixture
def make_client(review_app: Starlette):
    """Return a factory for clients (each with its own cookie jar); the Host must be one the app answers."""
    def make(base_url: str = "http://localhost", address: str = "127.0.0.1") -> TestClient:
        return TestClient(review_app, base_url=base_url, follow_redirects=False, client=(address, 50000))
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
    def make(who: tuple = VOLUNTEER, base_url: str = "http://localhost") -> AuthActions:
        actions = AuthActions(make_client(base_url))
        assert actions.login(who).status_code == 303
        return actions
    return make
