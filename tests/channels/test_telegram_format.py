"""Pure functions that shape Telegram text: splitting, escaping, source links."""

from __future__ import annotations

from typing import List

import pytest

from bot.channels.telegram_format import (
    render_html, safe_url, source_line, split_message, utf16_len, valid_sources, with_sources,
)

XSS = "<img src=x onerror=alert(1)>"


@pytest.mark.parametrize("text,limit,expected", [
    pytest.param("", 10, [], id="empty-sends-nothing"),
    pytest.param("short", 10, ["short"], id="fits"),
    pytest.param("exactly10!", 10, ["exactly10!"], id="exactly-the-limit"),
    pytest.param("aaaa\n\nbbbb\n\ncccc", 10, ["aaaa\n\nbbbb", "cccc"], id="paragraphs-packed"),
    pytest.param("aaaa\n\nbbbbbbbbb", 10, ["aaaa", "bbbbbbbbb"], id="paragraph-boundary"),
    pytest.param("aaa\nbbb\nccc\nddd", 10, ["aaa\nbbb", "ccc\nddd"], id="lines-when-no-blank-line"),
    pytest.param("aaa\n\nbbb\nccc\nddd\neee", 10, ["aaa", "bbb\nccc", "ddd\neee"], id="long-paragraph-by-lines"),
    pytest.param("abcdefghijklmnopqrstuvwxyz", 10, ["abcdefghij", "klmnopqrst", "uvwxyz"], id="hard-split"),
    pytest.param("ab\n\n" + "x" * 12, 10, ["ab", "xxxxxxxxxx", "xx"], id="hard-split-after-paragraph"),
    pytest.param("😀" * 6, 10, ["😀" * 5, "😀"], id="emoji-count-twice"),
])
def test_split_message(text: str, limit: int, expected: List[str]) -> None:
    assert split_message(text, limit) == expected


@pytest.mark.parametrize("paragraphs", [1, 5, 9, 30])
def test_split_message_keeps_every_paragraph_within_the_limit(paragraphs: int) -> None:
    text = "\n\n".join(f"Paragraph {n} " + "word " * 200 for n in range(paragraphs))
    parts = split_message(text)
    assert all(utf16_len(p) <= 4096 for p in parts)
    assert "\n\n".join(parts) == text


@pytest.mark.parametrize("url,expected", [
    ("https://www.gov.uk/x", "https://www.gov.uk/x"),
    ("http://legislation.gov.uk/a?b=1&c=2", "http://legislation.gov.uk/a?b=1&c=2"),
    ("HTTPS://WWW.GOV.UK/", "HTTPS://WWW.GOV.UK/"),
    ("javascript:alert(1)", None),
    ("JavaScript:alert(1)", None),
    ("data:text/html,<script>", None),
    ("//evil.example/x", None),
    ("https:///no-host", None),
    ("", None),
    (None, None),
])
def test_only_http_links_are_safe(url, expected) -> None:
    assert safe_url(url) == expected


def test_text_is_escaped() -> None:
    assert render_html(f"Hello {XSS} & <b>bye</b>") == "Hello &lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;bye&lt;/b&gt;"


def test_source_lines_become_links_with_escaped_titles() -> None:
    sources = [{"title": f"Guide {XSS}", "url": "https://www.gov.uk/a?b=1&c=\"2\""}]
    html_text = render_html("Intro\n" + source_line(sources[0]["title"], sources[0]["url"]), sources)
    assert html_text == (
        'Intro\n• <a href="https://www.gov.uk/a?b=1&amp;c=&quot;2&quot;">Guide &lt;img src=x onerror=alert(1)&gt;</a>'
    )


def test_javascript_sources_lose_their_link() -> None:
    sources = [{"title": "Click me", "url": "javascript:alert(1)"}]
    html_text = render_html(source_line("Click me", "javascript:alert(1)"), sources)
    assert html_text == "• Click me"
    assert "javascript" not in html_text and "<a" not in html_text


def test_missing_sources_are_added_under_a_heading() -> None:
    listed = {"title": "Listed", "url": "https://a.gov.uk"}
    missing = {"title": "Missing", "url": "https://b.gov.uk"}
    text = with_sources("Answer\n" + source_line("Listed", "https://a.gov.uk"), [listed, missing], "Sources:")
    assert text == "Answer\n• Listed: https://a.gov.uk\n\nSources:\n• Missing: https://b.gov.uk"
    assert with_sources("Answer", [], "Sources:") == "Answer"


@pytest.mark.parametrize("custom,expected", [
    (None, []),
    ({"sources": "nope"}, []),
    ({"sources": [{"title": "t", "url": "https://x.uk"}, {"title": "", "url": "https://y"}, "junk", {"url": "u"}]},
     [{"title": "t", "url": "https://x.uk"}]),
])
def test_valid_sources(custom, expected) -> None:
    assert valid_sources(custom) == expected
