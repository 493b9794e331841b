"""F12: only the volunteer who answered a question, or a coordinator, can close it."""

from __future__ import annotations

import pytest

from tests.helpers.dashboard import (  # noqa: F401  (fixtures)
    accounts, client_at, dashboard_app, dashboard_settings, hasher, project_kb, question, review, signed_in,
)
from tests.helpers.review import COORDINATOR, SECOND, VOLUNTEER

CLOSE_BUTTON = "Close this question"


@pytest.fixture
def answered(signed_in, question: int) -> int:
    """The question, claimed and answered by Val."""
    val = signed_in(VOLUNTEER)
    val.post(f"/q/{question}/claim")
    assert val.post(f"/q/{question}/answer", answer="Ask IASK to help you appeal.").status_code == 303
    return question


def test_f12_another_volunteer_cannot_close_an_answered_question(signed_in, review, answered: int):
    sam = signed_in(SECOND)
    assert CLOSE_BUTTON not in sam.get(f"/q/{answered}").text
    refused = sam.post(f"/q/{answered}/close")
    assert refused.status_code == 409 and "Only the volunteer who answered it, or a coordinator" in refused.text
    assert review.escalations.get(answered).state == "answered"


@pytest.mark.parametrize("who", [VOLUNTEER, COORDINATOR], ids=["the answerer", "a coordinator"])
def test_f12_the_answerer_or_a_coordinator_can_close(signed_in, review, answered: int, who: tuple):
    closer = signed_in(who)
    assert CLOSE_BUTTON in closer.get(f"/q/{answered}").text
    assert closer.post(f"/q/{answered}/close").status_code == 303
    assert review.escalations.get(answered).state == "closed"
