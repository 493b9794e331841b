"""axe-core (WCAG 2.2 AA tags) on every state of the widget and page, small screens, zoom and motion."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Chromium at /usr/bin/chromium"),
]

NO_HORIZONTAL_SCROLL = "() => document.scrollingElement.scrollWidth <= window.innerWidth"


def test_demo_page_closed_open_and_answered_has_no_violations(widget, no_violations) -> None:
    widget.load()
    no_violations(widget.axe(), "on the demo page with the widget closed")
    widget.open()
    no_violations(widget.axe(), "with the widget open")
    widget.ask()
    no_violations(widget.axe(), "with an answer showing")


def test_privacy_page_says_what_is_kept_and_has_no_violations(widget, no_violations) -> None:
    page = widget.page
    page.goto("/privacy")
    assert page.evaluate("() => document.documentElement.lang") == "en-GB"
    text = page.locator("main").inner_text()
    for words in ("90 days", "postcodes", "never stored", "/forget", "Delete my conversation", "not legal advice"):
        assert words in text
    no_violations(widget.axe(), "on /privacy")


def test_every_control_has_a_name_and_a_big_enough_target(widget) -> None:
    widget.load().open()
    widget.ask()
    problems = widget.page.evaluate("""() => [...document.querySelectorAll('.snav-root button, .snav-root textarea, .snav-sources a')]
        .filter(e => e.offsetParent !== null)
        .map(e => { const r = e.getBoundingClientRect();
                    const name = (e.getAttribute('aria-label') || e.textContent || (e.labels && e.labels[0] && e.labels[0].textContent) || '').trim();
                    return {name, w: r.width, h: r.height}; })
        .filter(c => !c.name || c.w < 24 || c.h < 24)""")
    assert problems == []


def test_focus_ring_is_visible(widget) -> None:
    page = widget.load().page
    page.keyboard.press("Tab")
    while not page.evaluate("() => document.activeElement.classList.contains('snav-launcher')"):
        page.keyboard.press("Tab")
    style = page.evaluate("() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; }")
    assert style[0] == "solid" and float(style[1].rstrip("px")) >= 2


def test_phone_320_panel_fits_without_horizontal_scroll(make_widget) -> None:
    widget = make_widget(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    page = widget.load().page
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    widget.open()
    widget.ask()
    box = page.locator("#snav-panel").bounding_box()
    assert box["x"] >= 0 and box["width"] <= 320 and box["height"] <= 640
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 320
    assert page.evaluate("() => { const s = document.querySelector('.snav-scroll'); return s.scrollWidth <= s.clientWidth; }")
    assert page.locator("#snav-input").is_visible() and page.locator(".snav-send").is_visible()


def test_200_percent_zoom_is_still_usable(make_widget) -> None:
    # A 1280x720 laptop at 200% zoom lays out like a 640x360 viewport at twice the pixel density.
    widget = make_widget(viewport={"width": 640, "height": 360}, device_scale_factor=2)
    page = widget.load().page
    widget.open()
    widget.ask()
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    for selector in ("#snav-input", ".snav-send", ".snav-close"):
        box = page.locator(selector).bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= 360, selector


def test_reduced_motion_means_no_animation(make_widget) -> None:
    widget = make_widget(reduced_motion="reduce")
    page = widget.load().page
    widget.open()
    # Hold the reply so the typing indicator is on screen while we look.
    held = []
    page.route("**/api/chat", lambda route: held.append(route))
    page.locator("#snav-input").fill("how do i contact iask")
    page.locator("#snav-input").press("Enter")
    page.locator(".snav-typing").wait_for(state="visible")
    running = page.evaluate("""() => document.getAnimations()
        .filter(a => a.effect && a.effect.target && a.effect.target.closest && a.effect.target.closest('.snav-root'))
        .length""")
    assert running == 0
    durations = page.evaluate("""() => [...document.querySelectorAll('.snav-root, .snav-root *')]
        .map(e => getComputedStyle(e)).filter(s => s.animationName !== 'none' || parseFloat(s.transitionDuration) > 0).length""")
    assert durations == 0
    for _ in range(200):  # the chat request follows the session request
        if held:
            break
        page.wait_for_timeout(50)
    held[0].continue_()
    widget.wait_for_reply(0)
