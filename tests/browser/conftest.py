"""Browser fixtures: the real assistant behind the real widget server, driven by headless Chromium."""

from __future__ import annotations

import os
import json
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest

from bot.settings import PROJECT_ROOT
from tests.helpers.rest import free_port

CHROMIUM = Path("/usr/bin/chromium")


def _missing_browser() -> None:
    """Skip on a developer machine without Chromium; fail in CI, where .ci/run installs it."""
    message = f"{CHROMIUM} is not installed (apt-get install chromium); browser tests need it"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
ARTIFACTS = PROJECT_ROOT / "var" / "artifacts"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
QUESTION = "how long do i have to appeal to the send tribunal"
LAUNCHER = ".snav-launcher"
PANEL = "#snav-panel"
LOG = "#snav-log"


@pytest.fixture(scope="session")
def web(assistant) -> Iterator[str]:
    """Serve bot.web.app on a free port in a background thread; yield its base URL."""
    if not CHROMIUM.exists():
        _missing_browser()
    import uvicorn

    from bot.web.app import create_app
    from bot.web.ratelimit import Limits

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings = replace(assistant.settings, web_port=port, public_url=base, allowed_origins=(base,))
    # One test address sends far more than a parent would; the limits themselves are tested in tests/bot.
    limits = Limits(per_conversation=1000, per_ip=10000, sessions_per_ip=1000)
    config = uvicorn.Config(
        create_app(settings, limits=limits), host="127.0.0.1", port=port,
        log_level="warning", ws="none", lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="widget-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the widget server did not start")
        time.sleep(0.05)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Launch the system Chromium once per session (never a downloaded browser)."""
    if not CHROMIUM.exists():
        _missing_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_page(browser, web):
    """Return a factory for pages in fresh browser contexts (own localStorage), closed after the test."""
    contexts: List[Any] = []

    def make(**options: Any) -> Any:
        options.setdefault("viewport", {"width": 1280, "height": 800})
        context = browser.new_context(base_url=web, **options)
        context.set_default_timeout(30_000)
        contexts.append(context)
        page = context.new_page()
        errors: List[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.js_errors = errors  # type: ignore[attr-defined]
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop-sized page."""
    return new_page()


class Widget:
    """Drive the widget on a page the way a parent would, and check it with axe-core."""

    def __init__(self, page: Any) -> None:
        self.page = page

    def load(self, path: str = "/") -> "Widget":
        """Open a page and wait until the widget's launcher is showing."""
        self.page.goto(path)
        self.page.locator(LAUNCHER).wait_for(state="visible")
        return self

    def open(self) -> "Widget":
        """Open the chat with the launcher."""
        self.page.locator(LAUNCHER).click()
        self.page.locator(PANEL).wait_for(state="visible")
        self.settled()
        return self

    def settled(self) -> None:
        """Wait until the panel's fade-in has finished, so colours are measured as a parent sees them."""
        self.page.wait_for_function(
            "sel => { const p = document.querySelector(sel);"
            " return p && getComputedStyle(p).opacity === '1' &&"
            " p.getAnimations({subtree: false}).every(a => a.playState !== 'running'); }",
            arg=PANEL,
        )

    def messages(self) -> Any:
        """Return the locator of every message the parent or the assistant sent (not the welcome)."""
        return self.page.locator(f"{LOG} .snav-msg:not(.snav-welcome)")

    def ask(self, text: str = QUESTION) -> Any:
        """Type a question, press Enter and wait for the assistant's answer; return its element."""
        before = self.bot_count()
        self.page.locator("#snav-input").fill(text)
        self.page.locator("#snav-input").press("Enter")
        return self.wait_for_reply(before)

    def bot_count(self) -> int:
        """Return how many assistant messages are showing (not counting the welcome)."""
        return self.page.locator(f"{LOG} .snav-msg--bot:not(.snav-welcome)").count()

    def wait_for_reply(self, before: int) -> Any:
        """Wait for a new assistant message after `before` of them; return the first new one."""
        self.page.wait_for_function(
            "n => document.querySelectorAll('#snav-log .snav-msg--bot:not(.snav-welcome)').length > n", arg=before,
        )
        self.page.locator(".snav-typing").wait_for(state="hidden")
        return self.page.locator(f"{LOG} .snav-msg--bot:not(.snav-welcome)").nth(before)

    def stored(self) -> Optional[Dict[str, Any]]:
        """Return what the widget keeps in localStorage."""
        raw = self.page.evaluate("() => localStorage.getItem('sendnav.conversation.v1')")
        return json.loads(raw) if raw else None

    def axe(self) -> List[Dict[str, Any]]:
        """Run the packaged axe-core on the page and return its violations."""
        from axe_playwright_python.sync_playwright import Axe

        if self.page.locator(PANEL).is_visible():
            self.settled()
        options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
        return list(Axe().run(self.page, options=options).response["violations"])


@pytest.fixture
def widget(page) -> Widget:
    """The widget on a desktop-sized page."""
    return Widget(page)


@pytest.fixture
def make_widget(new_page):
    """Return a factory for a Widget on a page with the given context options."""
    return lambda **options: Widget(new_page(**options))


def describe(violations: List[Dict[str, Any]]) -> str:
    """Return axe violations as readable text for an assertion message."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines += [f"    {node['target']}: {node.get('failureSummary', '')}" for node in v["nodes"][:5]]
    return "\n".join(lines)


@pytest.fixture
def no_violations():
    """Return a checker that fails with axe's own description of each violation."""

    def check(violations: List[Dict[str, Any]], where: str) -> None:
        print(f"axe, {where}: {len(violations)} violations")
        assert violations == [], f"axe found violations {where}:\n{describe(violations)}"

    return check


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Return the folder for screenshots, created if needed."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
