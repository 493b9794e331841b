"""Deadlines and letters in the widget, against the real assistant."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from docx import Document

pytestmark = [pytest.mark.e2e]


def test_a_dated_question_gets_the_date_and_a_calendar_file(make_widget) -> None:
    widget = make_widget().load().open()
    # A date still to come, so the calendar offer appears: decision due 6 weeks after the request.
    sent = dt.date.today() - dt.timedelta(days=7)
    due = sent + dt.timedelta(weeks=6)
    reply = widget.ask(f"I asked KCC for an EHC needs assessment on {sent.day} {sent:%B %Y}, when must they decide?")
    reply.get_by_text(f"{due.day} {due:%B %Y}", exact=False).first.wait_for()
    with widget.page.expect_download() as download:
        reply.get_by_role("button", name="Add to my calendar (.ics)").click()
    content = Path(download.value.path()).read_text(encoding="utf-8")
    assert f"DTSTART;VALUE=DATE:{due:%Y%m%d}" in content


def test_a_letter_arrives_as_text_and_a_word_file(make_widget) -> None:
    widget = make_widget().load().open()
    widget.ask("can you help me write a letter asking for a subject access request for my sons send records")
    for _ in range(12):  # answer the letter's questions: a name, then skip the rest
        last = widget.page.locator("#snav-log .snav-msg--bot").last
        if last.get_by_role("link", name="Download this letter").count():
            break
        widget.ask("Sam Example" if _ == 0 else "skip")
    link = widget.page.get_by_role("link", name="Download this letter (.docx, opens in Word)").last
    with widget.page.expect_download() as download:
        link.click()
    text = "\n".join(p.text for p in Document(download.value.path()).paragraphs)
    assert "not legal advice" in text
