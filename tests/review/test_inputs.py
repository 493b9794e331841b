"""Checking email addresses and cleaning typed text (bot/review/inputs.py)."""

from __future__ import annotations

import pytest

from bot.review.inputs import InvalidEmail, check_email, clean_line, clean_text


@pytest.mark.parametrize("typed, stored", [
    ("jo@example.org", "jo@example.org"),
    ("  Jo@Example.ORG ", "jo@example.org"),
    ("first.last+send@mail.example.co.uk", "first.last+send@mail.example.co.uk"),
    ("o'neil@example.org", "o'neil@example.org"),
    ("josé@exämple.org", "josé@exämple.org"),
    ("a@xn--80ak6aa92e.com", "a@xn--80ak6aa92e.com"),
    ("a" * 64 + "@" + "b" * 63 + ".org", "a" * 64 + "@" + "b" * 63 + ".org"),
])
def test_check_email_accepts_and_normalises(typed: str, stored: str) -> None:
    assert check_email(typed) == stored


@pytest.mark.parametrize("typed, problem", [
    ("", "Please give an email address"),
    ("   ", "Please give an email address"),
    ("jo@example.org\x00", "control characters"),
    ("jo\x00@example.org", "control characters"),
    ("jo@exa\x1bmple.org", "control characters"),
    ("jo@exa\x85mple.org", "control characters"),
    ("jo smith@example.org", "spaces"),
    ("jo@exam\nple.org", "spaces or control"),
    ("a" * 60_000 + "@example.org", "at most 254 characters"),
    ("a@" + "b" * 250 + ".org", "at most 254 characters"),
    ("jo.example.org", "exactly one @"),
    ("jo@@example.org", "exactly one @"),
    ("jo@example@org", "exactly one @"),
    ("@example.org", "before the @"),
    ("a" * 65 + "@example.org", "before the @"),
    (".jo@example.org", "before the @"),
    ("jo.@example.org", "before the @"),
    ("j..o@example.org", "before the @"),
    ("<script>@example.org", "before the @"),
    ('"jo"@example.org', "before the @"),
    ("jo@", "after the @"),
    ("jo@localhost", "after the @"),
    ("jo@example..org", "after the @"),
    ("jo@-example.org", "after the @"),
    ("jo@example-.org", "after the @"),
    ("jo@exa_mple.org", "after the @"),
    ("jo@example.org.", "after the @"),
    ("jo@192.168.0.1", "after the @"),
    ("jo@[192.168.0.1]", "after the @"),
    ("jo@" + "b" * 64 + ".org", "after the @"),
])
def test_check_email_refuses_with_a_reason(typed: str, problem: str) -> None:
    with pytest.raises(InvalidEmail, match=problem):
        check_email(typed)


def test_invalid_email_is_a_value_error() -> None:
    assert issubclass(InvalidEmail, ValueError)  # callers that catch ValueError (the CLI) still see it


@pytest.mark.parametrize("typed, kept", [
    ("Plain answer.", "Plain answer."),
    ("a\x00b\x07c", "abc"),
    ("line one\r\nline two\rline three\n", "line one\nline two\nline three\n"),
    ("keep\ttabs\nand newlines", "keep\ttabs\nand newlines"),
    ("\x1b[31mred\x1b[0m", "[31mred[0m"),
    ("del\x7f and c1\x85\x9f", "del and c1"),
    ("<script>alert(1)</script> & \"quotes\"", "<script>alert(1)</script> & \"quotes\""),  # escaped on output, not here
    ("é, ü, 中文, emoji 👍, zero\u200bwidth", "é, ü, 中文, emoji 👍, zero\u200bwidth"),
    ("", ""),
])
def test_clean_text_drops_control_characters_but_keeps_lines_and_tabs(typed: str, kept: str) -> None:
    assert clean_text(typed) == kept


@pytest.mark.parametrize("typed, kept", [
    ("  Nia  Jones ", "Nia Jones"),
    ("Nia\x00\nJones\t", "Nia Jones"),
    ("\x00\x01", ""),
])
def test_clean_line_makes_one_clean_line(typed: str, kept: str) -> None:
    assert clean_line(typed) == kept
