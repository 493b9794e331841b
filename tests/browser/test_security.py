"""Whatever the server sends, the widget shows it as text: markup and script URLs stay inert."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Chromium at /usr/bin/chromium"),
]

PAYLOAD = "<img src=x onerror=window.__xss=1>"
HOSTILE_REPLY = {
    "messages": [{
        "text": f"Here is an answer {PAYLOAD}\n\nWhere this comes from:\n• Evil: javascript:alert(1)",
        "buttons": [{"title": f"Click {PAYLOAD}", "payload": "/tell_me_more"}],
        "custom": {
            "type": "answer", "kb_id": "tribunal-deadlines", "title": PAYLOAD,
            "sources": [
                {"title": "Evil", "url": "javascript:alert(1)"},
                {"title": f"Data {PAYLOAD}", "url": "data:text/html,<script>window.__xss=1</script>"},
                {"title": "GOV.UK", "url": "https://www.gov.uk/send-tribunal"},
            ],
        },
    }],
}


def test_hostile_reply_is_rendered_as_text(widget) -> None:
    page = widget.load().open().page
    page.route("**/api/chat", lambda route: route.fulfill(
        status=200, content_type="application/json", body=json.dumps(HOSTILE_REPLY),
    ))
    answer = widget.ask("anything")
    page.wait_for_timeout(300)  # give any injected onerror handler the chance to run

    assert page.evaluate("() => window.__xss") is None
    assert page.locator("#snav-log img").count() == 0
    assert page.locator('a[href^="javascript:"], a[href^="data:"]').count() == 0
    assert PAYLOAD in answer.inner_text()
    assert answer.locator(".snav-sources a").count() == 1  # only the https source is a link
    assert "javascript:alert(1)" in answer.locator(".snav-sources").inner_text()
    assert PAYLOAD in answer.locator(".snav-chip").inner_text()
