"""A whole conversation with the keyboard alone: open, ask, follow a button, vote, reload, close."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Chromium at /usr/bin/chromium"),
]

ACTIVE_LABEL = "() => { const e = document.activeElement; return e ? (e.getAttribute('aria-label') || e.textContent).trim() : ''; }"


def tab_to(page, name: str, backwards: bool = False, limit: int = 80) -> None:
    """Press Tab (or Shift+Tab) until the focused control's accessible name is `name`."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(ACTIVE_LABEL) == name:
            return
    raise AssertionError(f"could not reach {name!r} with {key}")


def test_keyboard_only_conversation(widget) -> None:
    page = widget.load().page

    tab_to(page, "Ask SEND Navigator")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "snav-input"

    page.keyboard.type("how long do i have to appeal to the send tribunal")
    before = widget.bot_count()
    page.keyboard.press("Enter")
    answer = widget.wait_for_reply(before)
    links = answer.locator(".snav-sources a")
    assert links.count() >= 1
    assert links.first.get_attribute("href").startswith("https://")
    assert links.first.get_attribute("rel") == "noopener noreferrer"
    assert links.first.get_attribute("target") == "_blank"

    before = widget.bot_count()
    tab_to(page, "Tell me more", backwards=True)
    page.keyboard.press("Enter")
    detail = widget.wait_for_reply(before)
    assert "More about" in detail.inner_text()

    tab_to(page, "This answer helped", backwards=True)
    page.keyboard.press("Enter")
    page.get_by_text("Thanks for your feedback").first.wait_for()

    shown = widget.messages().count()
    page.reload()
    # The chat stays open across pages and reloads in the same tab, with the conversation in it.
    page.locator("#snav-panel").wait_for(state="visible")
    assert widget.messages().count() == shown
    assert page.get_by_text("Thanks for your feedback").count() >= 1

    page.locator("#snav-input").focus()
    page.keyboard.press("Escape")
    assert page.locator("#snav-panel").is_hidden()
    assert page.evaluate("() => document.activeElement.classList.contains('snav-launcher')")
    assert page.js_errors == []
