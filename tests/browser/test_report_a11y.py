"""The evidence report and the unanswered groups in real Chromium: no axe-core violations, usable by keyboard alone.

It also saves screenshots of the report, on screen and as printed, to var/artifacts/.
"""

from __future__ import annotations

import shutil
from typing import Any, Dict, Iterator

import pytest

from bot.review.accounts import add_volunteer
from bot.review.app import create_review_app
from bot.settings import PROJECT_ROOT, load_settings
from bot.store.evidence import ASKED, DEADLINE_PASSED, ESCALATED, UNANSWERED, EvidenceRepository, month_of
from bot.store.models import utcnow
from bot.store.unanswered import UnansweredRecord
from tests.browser.test_review_a11y import COORDINATOR_EMAIL, PASSWORD, axe, log_in, tab_to

# A month as a small forum might see it: some figures large enough to show, many suppressed.
COUNTS = [
    (ASKED, "tribunal-deadlines", "web", 23), (ASKED, "tribunal-deadlines", "telegram", 9),
    (ASKED, "ehc-assessment-timescales", "web", 18), (ASKED, "ehc-annual-review", "telegram", 11),
    (ASKED, "personal-budgets", "web", 6), (ASKED, "mediation", "web", 3),
    (UNANSWERED, "none", "web", 14), (UNANSWERED, "ehc-phase-transfer", "telegram", 7), (UNANSWERED, "mediation", "web", 2),
    (ESCALATED, "ehc-refusal-to-assess", "web", 8), (ESCALATED, "none", "telegram", 4),
    (DEADLINE_PASSED, "plan-20-weeks", "web", 12), (DEADLINE_PASSED, "decision-6-weeks", "telegram", 6),
    (DEADLINE_PASSED, "annual-review-decision", "web", 5), (DEADLINE_PASSED, "tribunal-orders", "web", 1),
]
RESPITE = ["can we get respite care in the holidays", "respite care over the summer holidays",
           "who pays for respite care in the holidays"]


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dict[str, Any]]:
    """Serve the dashboard with a coordinator, a month of counters and a group of unanswered questions."""
    from tests.helpers.servers import ServerThread

    root = tmp_path_factory.mktemp("report-browser")
    shutil.copytree(PROJECT_ROOT / "knowledge", root / "knowledge", ignore=shutil.ignore_patterns("drafts"))
    settings = load_settings({
        "SEND_NAV_ENV": "test", "SEND_NAV_DATA_DIR": str(root), "SEND_NAV_KNOWLEDGE_DIR": str(root / "knowledge"),
        "SEND_NAV_SECRET_KEY": "browser-test-secret-key-0123456789-abcdefghijkl",
    })
    app = create_review_app(settings)
    add_volunteer(settings, COORDINATOR_EMAIL, "Cora", "coordinator", PASSWORD)
    context = app.state.review
    month = month_of(utcnow())
    counters = EvidenceRepository(context.sessions)
    for measure, item, channel, count in COUNTS:
        counters.add(month, measure, item, channel, by=count)
    for i, text in enumerate(RESPITE):
        context.unanswered.add(UnansweredRecord("web", "out_of_scope", text, [{"name": "out_of_scope"}], f"c{i}"))
    server = ServerThread(app).start()
    try:
        yield {"base": server.url + "/review", "month": month}
    finally:
        server.stop()
        context.engine.dispose()


@pytest.fixture
def page(browser, dashboard) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # The browser's favicon request 404s; what matters is that the page's policy refused nothing.
    page.on("console", lambda message: errors.append(message.text) if "Content Security Policy" in message.text else None)
    yield page
    assert errors == []  # no script, and no style or image the page's policy refused
    context.close()


def test_report_pages_have_no_axe_violations(page, dashboard, no_violations):
    log_in(page, dashboard["base"], COORDINATOR_EMAIL)
    page.goto(dashboard["base"] + "/reports")
    no_violations(axe(page), "on the list of reports")
    page.goto(f"{dashboard['base']}/reports/{dashboard['month']}")
    assert page.locator("svg.chart").count() == 4 and page.get_by_role("table").count() == 4
    assert page.get_by_role("row", name="Tribunal orders fewer than 5").count() == 1
    # The inline style applied (its hash is in the page's policy): the figures column is right-aligned.
    assert page.locator("td.num").first.evaluate("e => getComputedStyle(e).textAlign") == "right"
    no_violations(axe(page), "on the report")


def test_report_is_reached_and_read_by_keyboard_alone(browser, dashboard):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        base = dashboard["base"]
        page.goto(base + "/login")
        tab_to(page, "#email")
        page.keyboard.type(COORDINATOR_EMAIL)
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(base + "/")
        tab_to(page, "a[href$='/review/insights']")
        page.keyboard.press("Enter")
        page.wait_for_url(base + "/insights")
        tab_to(page, "a[href$='/review/reports']")
        page.keyboard.press("Enter")
        page.wait_for_url(base + "/reports")
        tab_to(page, f"a[href$='/review/reports/{dashboard['month']}']")
        page.keyboard.press("Enter")
        page.wait_for_url(f"{base}/reports/{dashboard['month']}")
        assert page.get_by_role("heading", level=1).inner_text().startswith("Evidence report for ")
        # The only control on the report is the way back, and focus shows on it.
        page.keyboard.press("Tab")
        focused = page.evaluate("() => [document.activeElement.textContent, getComputedStyle(document.activeElement).backgroundColor]")
        assert focused == ["Back to all evidence reports", "rgb(255, 221, 0)"]
        page.keyboard.press("Enter")
        page.wait_for_url(base + "/reports")
    finally:
        context.close()


def test_marking_a_group_out_of_scope_by_keyboard_alone(page, dashboard, no_violations):
    log_in(page, dashboard["base"], COORDINATOR_EMAIL)
    page.goto(dashboard["base"] + "/groups")
    no_violations(axe(page), "on the list of groups")
    tab_to(page, "a[href*='/review/groups/']")
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1).wait_for()
    no_violations(axe(page), "on a group")
    tab_to(page, "#reply")
    page.keyboard.type("The forum cannot arrange respite care. Please ask your council's short breaks team.")
    tab_to(page, "form[action$='/out-of-scope'] button")
    page.keyboard.press("Enter")
    page.get_by_text("Saved. From now on the assistant gives your reply").wait_for()
    no_violations(axe(page), "on a group marked out of scope")


@pytest.mark.parametrize("media, name", [("screen", "evidence-report.png"), ("print", "evidence-report-print.png")])
def test_screenshot_of_the_report(page, dashboard, artifacts, media, name):
    log_in(page, dashboard["base"], COORDINATOR_EMAIL)
    page.emulate_media(media=media)
    page.goto(f"{dashboard['base']}/reports/{dashboard['month']}")
    page.screenshot(path=str(artifacts / name), full_page=True)
    assert (artifacts / name).stat().st_size > 20_000
