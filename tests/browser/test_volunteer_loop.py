"""The whole escalation loop: a parent in the widget, a volunteer in the dashboard (its own app and port), the
answer back in the widget through the database they share."""

from __future__ import annotations

from contextlib import closing
import sqlite3
from typing import Iterator

import pytest

from bot.review.accounts import add_volunteer
from bot.review.app import create_review_app
from tests.helpers.servers import ServerThread

pytestmark = [pytest.mark.e2e]

PASSWORD = "a long volunteer password"
ANSWER = "Kent's Local Offer lists short breaks. A volunteer parent says: ask your social worker too."


@pytest.fixture
def dashboard(assistant) -> Iterator[str]:
    """Serve the dashboard as its own process does, on its own port, over the assistant's database."""
    app = create_review_app(assistant.settings)
    server = ServerThread(app).start()
    try:
        yield server.url
    finally:
        server.stop()
        app.state.review.engine.dispose()


def test_parent_asks_volunteer_answers_parent_sees_it_once(assistant, dashboard, new_page, make_widget) -> None:
    add_volunteer(assistant.settings, "volunteer@example.org", "Robin", "volunteer", PASSWORD)

    # The parent asks something the assistant cannot answer, then asks for a person and agrees.
    widget = make_widget().load().open()
    parent = widget.page
    widget.ask("how do i get respite short breaks for my disabled son")
    parent.get_by_role("button", name="Talk to a person").first.click()
    parent.get_by_role("button", name="Yes, send it").wait_for()
    parent.get_by_role("button", name="Yes, send it").click()
    parent.get_by_text("Your question is with the volunteers").wait_for()

    # A volunteer logs in to the dashboard (its own address), claims the question, edits the draft and approves it.
    volunteer = new_page()
    volunteer.goto(dashboard + "/review/login")
    volunteer.get_by_label("Email").fill("volunteer@example.org")
    volunteer.get_by_label("Password").fill(PASSWORD)
    volunteer.get_by_role("button", name="Log in").click()
    volunteer.get_by_role("link", name="Question").last.click()
    volunteer.get_by_role("button", name="Claim this question").click()
    answer_box = volunteer.get_by_label("Answer to the parent")
    answer_box.fill(ANSWER)
    volunteer.get_by_role("button", name="Send answer").click()
    volunteer.get_by_text("answered").first.wait_for()

    # The parent comes back: the answer is there, labelled, exactly once, and stays once after reloads.
    for _ in range(2):
        parent.reload()
        parent.get_by_text(ANSWER, exact=False).first.wait_for(timeout=15_000)
        assert parent.get_by_text(ANSWER, exact=False).count() == 1
    assert parent.get_by_text("volunteer parent, not the council").count() == 1

    db = assistant.settings.database_url.split("///", 1)[1]
    with closing(sqlite3.connect(db)) as conn, conn:
        delivered = conn.execute("select delivered_at from deliveries").fetchall()
        state, packet = conn.execute("select state, packet from escalations order by id desc limit 1").fetchone()
    assert [d[0] is not None for d in delivered] == [True]
    assert state == "answered" and "respite" in packet
