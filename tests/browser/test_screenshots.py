"""Screenshots of the open widget with an answer, on a phone and a desktop, for people to look at."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Chromium at /usr/bin/chromium"),
]


@pytest.mark.parametrize("name,options", [
    ("widget-phone.png", {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}),
    ("widget-desktop.png", {"viewport": {"width": 1280, "height": 800}}),
])
def test_screenshot_with_an_answer(make_widget, artifacts, name, options) -> None:
    widget = make_widget(**options)
    page = widget.load().open().page
    widget.ask()
    page.mouse.move(0, 0)  # no hover highlight in the picture
    page.wait_for_timeout(400)  # let the widget's own smooth scroll settle
    # Show the end of the answer: its sources, the feedback buttons and the next-step chips.
    page.locator("#snav-log .snav-sources").last.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(100)
    page.screenshot(path=str(artifacts / name))
    assert (artifacts / name).stat().st_size > 10_000
