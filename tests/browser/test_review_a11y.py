"""The volunteer dashboard in real Chromium: axe-core finds no WCAG 2.2 AA violations, and it works by keyboard."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

from bot.review.accounts import add_volunteer
from bot.review.app import create_review_app
from bot.settings import PROJECT_ROOT, load_settings
from bot.store.models import utcnow
from tests.helpers.servers import ServerThread

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
EMAIL, PASSWORD = "val@example.org", "val-password-0123"
COORDINATOR_EMAIL = "cora@example.org"
QUESTION = "My son's school says he must stay home in the afternoons <img src=x onerror=alert(1)>. Is that allowed?"


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dict[str, Any]]:
    """Serve the dashboard app (as its process does) on a free port, with accounts and two questions."""
    root = tmp_path_factory.mktemp("review-browser")
    shutil.copytree(PROJECT_ROOT / "knowledge", root / "knowledge", ignore=shutil.ignore_patterns("drafts"))
    settings = load_settings({
        "SEND_NAV_ENV": "test", "SEND_NAV_DATA_DIR": str(root), "SEND_NAV_KNOWLEDGE_DIR": str(root / "knowledge"),
        "SEND_NAV_SECRET_KEY": "browser-test-secret-key-0123456789-abcdefghijkl",
    })
    app = create_review_app(settings)
    add_volunteer(settings, EMAIL, "Val", "volunteer", PASSWORD)
    add_volunteer(settings, COORDINATOR_EMAIL, "Cora", "coordinator", PASSWORD)
    add_volunteer(settings, "sam@example.org", "Sam", "volunteer", PASSWORD)
    context = app.state.review
    packet = {"turns": [QUESTION], "topics": [{"name": "ask_school_exclusion", "confidence": 0.55}],
              "kb_tried": ["sen-support-in-school"], "channel": "web"}
    qid = context.escalations.create("conv-a", "web", packet, utcnow(), topic="ask_school_exclusion")
    keyboard_qid = context.escalations.create("conv-k", "web", packet, utcnow(), topic="ask_school_exclusion")
    context.escalations.create("conv-b", "telegram", {"turns": ["transport to college"], "topics": [], "kb_tried": [],
                                                      "channel": "telegram"}, utcnow())
    server = ServerThread(app).start()
    try:
        yield {"base": server.url + "/review", "qid": qid, "keyboard_qid": keyboard_qid}
    finally:
        server.stop()
        context.engine.dispose()


@pytest.fixture
def page(browser, dashboard) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: List[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: errors.append("dialog: " + dialog.message))
    yield page
    assert errors == []  # no script ran, so no alert() from the injected markup
    context.close()


def axe(page: Any) -> List[Dict[str, Any]]:
    """Run the packaged axe-core for WCAG 2.2 A/AA and return the violations."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    return list(Axe().run(page, options=options).response["violations"])


def log_in(page: Any, base: str, email: str = EMAIL) -> None:
    """Log in through the form."""
    page.goto(base + "/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(base + "/")


def tab_to(page: Any, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement === document.querySelector(s)", selector):
            return
    raise AssertionError(f"could not reach {selector} with Tab")


def test_login_page_has_no_axe_violations(page, dashboard, no_violations):
    page.goto(dashboard["base"] + "/login")
    no_violations(axe(page), "on the login page")


def test_queue_has_no_axe_violations(page, dashboard, no_violations):
    log_in(page, dashboard["base"])
    assert page.get_by_role("table").count() == 1
    no_violations(axe(page), "on the queue")


def test_answer_page_has_no_axe_violations_and_escapes_markup(page, dashboard, no_violations):
    log_in(page, dashboard["base"])
    page.goto(f"{dashboard['base']}/q/{dashboard['qid']}")
    no_violations(axe(page), "on the question page")
    if page.get_by_role("button", name="Claim this question").count():
        page.get_by_role("button", name="Claim this question").click()
    page.locator("#answer").wait_for()
    assert page.locator("img[src=x]").count() == 0
    no_violations(axe(page), "on the answer form")


def test_answer_form_works_by_keyboard_alone(browser, dashboard):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        base = dashboard["base"]
        page.goto(base + "/login")
        tab_to(page, "#email")
        page.keyboard.type(EMAIL)
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(base + "/")
        page.goto(f"{base}/q/{dashboard['keyboard_qid']}")
        tab_to(page, "form[action$='/claim'] button")
        page.keyboard.press("Enter")
        page.locator("#answer").wait_for()
        tab_to(page, "#answer")
        page.keyboard.press("Control+A")
        page.keyboard.type("Please contact IASK; a part-time timetable needs your agreement.")
        tab_to(page, "form[action$='/answer'] button")
        page.keyboard.press("Enter")
        page.get_by_text("Answer sent. It will be delivered").wait_for()
        assert "Please contact IASK" in page.locator(".answer").inner_text()
    finally:
        context.close()


def test_skip_link_is_first_and_visible_on_focus(page, dashboard):
    page.goto(dashboard["base"] + "/login")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent")
    assert focused == "Skip to main content"
    box = page.locator(".skip-link").bounding_box()
    assert box and box["x"] >= 0 and box["height"] >= 24


def test_readable_at_200_percent_zoom(browser, dashboard, no_violations):
    # 200% zoom on a 1280px laptop is a 640px-wide CSS viewport.
    context = browser.new_context(viewport={"width": 640, "height": 400}, device_scale_factor=2)
    page = context.new_page()
    try:
        log_in(page, dashboard["base"])
        page.goto(f"{dashboard['base']}/q/{dashboard['qid']}")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"page scrolls sideways by {overflow}px at 200% zoom"
        no_violations(axe(page), "at 200% zoom")
    finally:
        context.close()


# --- the account pages: invitations, choosing and changing a password, the audit filters -------------------

def _fresh(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(15_000)
    return context


def _invite(page: Any, base: str, email: str, name: str) -> str:
    """Invite someone as Cora through the form; return the path and query of the link shown."""
    log_in(page, base, COORDINATOR_EMAIL)
    page.goto(base + "/volunteers")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Name shown to other volunteers").fill(name)
    page.get_by_role("button", name="Create account and get a link").click()
    link = page.get_by_label(f"Link for {name}").input_value()
    return link[link.index("/review/") + len("/review"):]


def test_volunteers_page_with_a_new_link_has_no_axe_violations(page, dashboard, no_violations):
    log_in(page, dashboard["base"], COORDINATOR_EMAIL)
    page.goto(dashboard["base"] + "/volunteers")
    assert page.get_by_role("button", name="Deactivate Val").count() == 1  # each button names its account
    no_violations(axe(page), "on the volunteers page")
    _invite(page, dashboard["base"], "nia@example.org", "Nia")
    assert page.get_by_role("status").count() == 1
    no_violations(axe(page), "on the volunteers page showing a new link")


def test_choosing_a_password_from_a_link_works_by_keyboard_alone_with_no_axe_violations(browser, page, dashboard, no_violations):
    link = _invite(page, dashboard["base"], "kim@example.org", "Kim")
    context = _fresh(browser)
    kim = context.new_page()
    try:
        kim.goto(dashboard["base"] + link)
        no_violations(axe(kim), "on the choose-a-password page")
        tab_to(kim, "#new-password")
        kim.keyboard.type("kim-chose-a-long-one")
        kim.keyboard.press("Tab")
        kim.keyboard.type("kim-chose-a-long-one")
        kim.keyboard.press("Enter")
        kim.get_by_text("Your password is set. Please log in with it.").wait_for()
        no_violations(axe(kim), "on the login page after choosing a password")
        tab_to(kim, "#email")
        kim.keyboard.type("kim@example.org")
        kim.keyboard.press("Tab")
        kim.keyboard.type("kim-chose-a-long-one")
        kim.keyboard.press("Enter")
        kim.wait_for_url(dashboard["base"] + "/")
    finally:
        context.close()


def test_changing_ones_password_works_by_keyboard_alone_with_no_axe_violations(browser, dashboard, no_violations):
    context = _fresh(browser)
    sam = context.new_page()
    try:
        log_in(sam, dashboard["base"], "sam@example.org")
        tab_to(sam, "a[href$='/review/password']")
        sam.keyboard.press("Enter")
        sam.wait_for_url(dashboard["base"] + "/password")
        no_violations(axe(sam), "on the password page")
        tab_to(sam, "#current-password")
        sam.keyboard.type("not-my-password")
        for value in ("sam-new-password-2026", "sam-new-password-2026"):
            sam.keyboard.press("Tab")
            sam.keyboard.type(value)
        sam.keyboard.press("Enter")
        sam.get_by_text("Your current password is not right.").wait_for()
        no_violations(axe(sam), "on the password page with an error")
        sam.get_by_label("Current password").fill(PASSWORD)
        sam.get_by_label("New password", exact=True).fill("sam-new-password-2026")
        sam.get_by_label("New password again").fill("sam-new-password-2026")
        tab_to(sam, "form[action$='/password'] button")
        sam.keyboard.press("Enter")
        sam.get_by_text("Your password has been changed.").wait_for()
        no_violations(axe(sam), "on the password page after a change")
    finally:
        context.close()


def test_audit_filters_work_by_keyboard_alone_with_no_axe_violations(page, dashboard, no_violations):
    log_in(page, dashboard["base"], COORDINATOR_EMAIL)
    page.goto(dashboard["base"] + "/audit")
    no_violations(axe(page), "on the audit page")
    tab_to(page, "#a-action")
    page.keyboard.type("login")  # a focused select picks the option that starts with what is typed
    tab_to(page, "form.filters button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/audit?action=login*")
    cells = page.locator("tbody tr td:nth-child(3)").all_inner_texts()
    assert cells and set(cells) == {"login"}
    no_violations(axe(page), "on the filtered audit page")
