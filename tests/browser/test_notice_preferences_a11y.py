"""The notice preferences page in real Chromium: no axe-core WCAG 2.2 AA violations, and it works by keyboard alone."""

from __future__ import annotations

import shutil
from typing import Any, Dict, Iterator

import pytest

from bot.notify.rota import Preference
from bot.review.accounts import add_volunteer
from bot.review.app import create_review_app
from bot.settings import PROJECT_ROOT, load_settings
from bot.store.notices import NoticeRepository
from tests.helpers.servers import ServerThread

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
EMAIL, PASSWORD = "nia@example.org", "nia-password-0123"


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dict[str, Any]]:
    """Serve the dashboard on a free port, with email and a Telegram group set up, and one volunteer."""
    root = tmp_path_factory.mktemp("notice-browser")
    shutil.copytree(PROJECT_ROOT / "knowledge", root / "knowledge", ignore=shutil.ignore_patterns("drafts"))
    settings = load_settings({
        "SEND_NAV_ENV": "test", "SEND_NAV_DATA_DIR": str(root), "SEND_NAV_KNOWLEDGE_DIR": str(root / "knowledge"),
        "SEND_NAV_SECRET_KEY": "browser-test-secret-key-0123456789-abcdefghijkl",
        "SEND_NAV_SMTP_URL": "smtp://u:p@127.0.0.1:2525", "SEND_NAV_SMTP_FROM": "volunteers@example.org",
        "SEND_NAV_VOLUNTEER_GROUP_ID": "-100123", "TELEGRAM_BOT_TOKEN": "123:browser-test",
    })
    app = create_review_app(settings)
    volunteer_id = add_volunteer(settings, EMAIL, "Nia", "volunteer", PASSWORD)
    server = ServerThread(app).start()
    try:
        yield {"base": server.url + "/review", "notices": NoticeRepository(app.state.review.sessions), "id": volunteer_id}
    finally:
        server.stop()
        app.state.review.engine.dispose()


def axe(page: Any) -> list:
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    return list(Axe().run(page, options=options).response["violations"])


def tab_to(page: Any, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement === document.querySelector(s)", selector):
            return
    raise AssertionError(f"could not reach {selector} with Tab")


def test_preferences_by_keyboard_alone_with_no_axe_violations(browser, dashboard, no_violations) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(15_000)
    page = context.new_page()
    base = dashboard["base"]
    try:
        page.goto(base + "/login")
        tab_to(page, "#email")
        page.keyboard.type(EMAIL)
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(base + "/")
        tab_to(page, "nav a[href$='/notifications']")  # reached from the dashboard's own navigation
        page.keyboard.press("Enter")
        page.wait_for_url(base + "/notifications")
        no_violations(axe(page), "on the notice preferences page")

        tab_to(page, "#channel-none")  # a radio group: arrow keys move the choice
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        assert page.evaluate("() => document.activeElement.id") == "channel-both"
        tab_to(page, "#day-sat")
        page.keyboard.press("Space")
        tab_to(page, "#on-from")
        page.keyboard.press("Control+A")
        page.keyboard.type("18:00")
        page.keyboard.press("Tab")
        page.keyboard.press("Control+A")
        page.keyboard.type("23:00")
        tab_to(page, "#quiet-from")
        page.keyboard.type("22:30")
        page.keyboard.press("Tab")  # leave the other end empty: an error, said in words, with focus kept on the page
        tab_to(page, "form[action$='/notifications'] button")
        page.keyboard.press("Enter")
        page.get_by_text("Please give both ends of your quiet hours").wait_for()
        no_violations(axe(page), "on the preferences page showing an error")

        tab_to(page, "#quiet-until")
        page.keyboard.press("Control+A")
        page.keyboard.type("06:00")
        tab_to(page, "form[action$='/notifications'] button")
        page.keyboard.press("Enter")
        page.get_by_text("Your notice settings are saved.").wait_for()
        no_violations(axe(page), "on the preferences page after saving")
    finally:
        context.close()
    # The page with the error kept everything typed and ticked, so only the missing time had to be added.
    assert dashboard["notices"].preference(dashboard["id"]) == Preference(
        "both", frozenset({"mon", "tue", "wed", "thu", "fri", "sat"}), 18 * 60, 23 * 60, 22 * 60 + 30, 6 * 60)
