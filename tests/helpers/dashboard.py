"""Fixtures for the dashboard's security tests (tests/security/test_dashboard_*.py import them by name).

They build the dashboard exactly as its process does (`create_review_app`),
with a cheap password hasher, three seeded accounts and clients that can
pose as any client address.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Callable, Dict, Iterator

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

ClientFactory = Callable[..., TestClient]


@pytest.fixture(autouse=True)
def hasher(monkeypatch: pytest.MonkeyPatch) -> Iterator[CountingHasher]:
    """A cheap argon2id hasher that counts verifications (the real one takes a second per login)."""
    counting = CountingHasher()
    monkeypatch.setattr(passwords, "HASHER", counting)
    passwords.reset_dummy()
    yield counting
    passwords.reset_dummy()


@pytest.fixture(scope="session")
def project_kb() -> KnowledgeBase:
    """The project's knowledge base, loaded once."""
    return load_kb(PROJECT_ROOT / "knowledge")


@pytest.fixture
def dashboard_settings(settings: Settings, tmp_path: Path) -> Settings:
    """Settings whose knowledge folder is a copy, so draft files never land in the repository."""
    knowledge = tmp_path / "knowledge"
    shutil.copytree(PROJECT_ROOT / "knowledge", knowledge, ignore=shutil.ignore_patterns("drafts"))
    return replace(settings, knowledge_dir=knowledge)


@pytest.fixture
def dashboard_app(dashboard_settings: Settings, project_kb: KnowledgeBase) -> Iterator[Starlette]:
    """The dashboard app as `python -m bot.review` serves it."""
    app = create_review_app(dashboard_settings, kb=project_kb)
    yield app
    app.state.review.engine.dispose()


@pytest.fixture
def review(dashboard_app: Starlette) -> ReviewContext:
    """The dashboard's context: repositories, throttle and settings."""
    return dashboard_app.state.review  # type: ignore[no-any-return]


@pytest.fixture
def client_at(dashboard_app: Starlette) -> ClientFactory:
    """Return a factory for clients connecting from a given address (each with its own cookie jar)."""
    def make(address: str = "127.0.0.1", base_url: str = "http://localhost") -> TestClient:
        return TestClient(dashboard_app, base_url=base_url, follow_redirects=False, client=(address, 50000))
    return make


@pytest.fixture
def accounts(settings: Settings, review: ReviewContext) -> Dict[str, int]:
    """Create a volunteer, a second volunteer and a coordinator; return their ids by name."""
    return {name: add_volunteer(settings, email, name, role, pw) for email, name, role, pw in (VOLUNTEER, SECOND, COORDINATOR)}


@pytest.fixture
def signed_in(client_at: ClientFactory, accounts: Dict[str, int]) -> Callable[..., AuthActions]:
    """Return a factory for AuthActions logged in as `who` from `address`."""
    def make(who: tuple = VOLUNTEER, address: str = "127.0.0.1") -> AuthActions:
        actions = AuthActions(client_at(address))
        response = actions.login(who)
        assert response.status_code == 303, response.text[:300]
        return actions
    return make


@pytest.fixture
def question(review: ReviewContext) -> int:
    """A waiting question."""
    return make_question(review)
