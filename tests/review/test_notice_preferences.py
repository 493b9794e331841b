"""The notice preferences page: own settings only, CSRF, validation, only channels the service has."""

from __future__ import annotations

from dataclasses import replace
from typing import Iterator

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bot.knowledge.entries import KnowledgeBase
from bot.notify.rota import Preference
from bot.review.app import create_review_app
from bot.review.context import ReviewContext
from bot.settings import Settings
from bot.store.notices import NoticeRepository
from tests.helpers.review import MOUNT, VOLUNTEER, AuthActions

GOOD = {"channel": "email", "day_mon": "on", "day_wed": "on", "on_from": "18:00", "on_until": "22:30",
        "quiet_from": "", "quiet_until": ""}


@pytest.fixture
def review_settings(settings: Settings, tmp_path) -> Settings:  # type: ignore[override]
    return replace(settings, smtp_url="smtp://u:p@127.0.0.1:2525", smtp_from="v@example.org")


@pytest.fixture
def notify_app(review_settings: Settings, knowledge_base: KnowledgeBase) -> Iterator[Starlette]:
    app = create_review_app(review_settings, kb=knowledge_base)
    yield app
    app.state.review.engine.dispose()


@pytest.fixture
def auth(notify_app: Starlette, seeded) -> Iterator[AuthActions]:
    with TestClient(notify_app, base_url="http://localhost") as client:
        actions = AuthActions(client)
        actions.login(VOLUNTEER)
        yield actions


@pytest.fixture
def seeded(notify_app: Starlette) -> ReviewContext:
    from bot.review.accounts import add_volunteer
    context: ReviewContext = notify_app.state.review
    add_volunteer(context.settings, *VOLUNTEER)
    return context


def test_anonymous_is_sent_to_login(notify_app: Starlette) -> None:
    with TestClient(notify_app, base_url="http://localhost") as client:
        response = client.get(f"{MOUNT}/notifications", follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].endswith("/login")
        assert client.post(f"{MOUNT}/notifications", data=GOOD).status_code in (401, 403)


def test_a_volunteer_saves_their_own_settings(auth: AuthActions, seeded: ReviewContext) -> None:
    page = auth.client.get(f"{MOUNT}/notifications")
    assert page.status_code == 200 and "No notices" in page.text
    assert "Telegram" not in page.text  # no group set up on this service: not offered
    response = auth.post("/notifications", **GOOD)
    assert response.status_code == 200 and "Your notice settings are saved." in response.text
    volunteer = seeded.volunteers.by_email(VOLUNTEER[0])
    saved = NoticeRepository(seeded.sessions).preference(volunteer.id)
    assert saved == Preference("email", frozenset({"mon", "wed"}), 18 * 60, 22 * 60 + 30)
    assert "Monday, Wednesday, 18:00–22:30" in response.text


@pytest.mark.parametrize("change, message", [
    ({"channel": "telegram"}, "Please choose how you would like to be told."),
    ({"day_mon": "", "day_wed": ""}, "Please tick at least one day"),
    ({"on_from": "25:00"}, "on-duty hours as times like 09:00"),
    ({"quiet_from": "22:00"}, "both ends of your quiet hours"),
    ({"quiet_from": "late", "quiet_until": "07:00"}, "quiet hours as times like 22:00"),
])
def test_bad_settings_are_explained_and_not_saved(auth: AuthActions, seeded: ReviewContext, change: dict, message: str) -> None:
    response = auth.post("/notifications", **{**GOOD, **change})
    assert response.status_code == 400 and message in response.text and 'role="alert"' in response.text
    volunteer = seeded.volunteers.by_email(VOLUNTEER[0])
    assert NoticeRepository(seeded.sessions).preference(volunteer.id) == Preference()


def test_a_form_without_the_csrf_token_is_refused(auth: AuthActions) -> None:
    assert auth.client.post(f"{MOUNT}/notifications", data=GOOD).status_code == 403


def test_a_page_with_an_error_keeps_what_was_sent(auth: AuthActions) -> None:
    response = auth.post("/notifications", **{**GOOD, "quiet_from": "22:00"})
    assert response.status_code == 400
    assert 'value="email" checked' in response.text and 'id="day-wed" name="day_wed" checked' in response.text
    assert 'value="18:00"' in response.text and 'value="22:00"' in response.text
    assert "Now: <strong>No notices</strong>" in response.text  # nothing was saved
