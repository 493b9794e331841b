"""Turn Rasa's reply text into Telegram HTML messages: escape, link sources, split long text.

Everything Rasa or the knowledge base says is escaped with `html.escape`
before it is sent in HTML parse mode, so text can never become markup. The
only markup added is a link for each source, and only for http(s) URLs: a
`javascript:` or `data:` URL is dropped and its title shown as plain text.
"""

from __future__ import annotations

import html
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence
from urllib.parse import urlparse

MAX_MESSAGE = 4096
SAFE_SCHEMES = ("http", "https")


def utf16_len(text: str) -> int:
    """Return the length Telegram counts (UTF-16 code units, so an emoji can count twice)."""
    return len(text.encode("utf-16-le")) // 2


def safe_url(url: Any) -> Optional[str]:
    """Return the URL if it is an absolute http(s) link, else None."""
    if not isinstance(url, str):
        return None
    parsed = urlparse(url.strip())
    return url.strip() if parsed.scheme.lower() in SAFE_SCHEMES and parsed.netloc else None


def source_line(title: str, url: str) -> str:
    """Return a source as the knowledge answers write it (`• title: url`)."""
    return f"• {title}: {url}"


def valid_sources(custom: Optional[Dict[str, Any]]) -> List[Dict[str, str]]:
    """Return the well-formed {title, url} sources of an answer payload."""
    raw = (custom or {}).get("sources")
    if not isinstance(raw, list):
        return []
    return [
        {"title": str(s["title"]), "url": str(s["url"])}
        for s in raw if isinstance(s, dict) and s.get("title") and s.get("url")
    ]


def with_sources(text: str, sources: Sequence[Dict[str, str]], heading: str) -> str:
    """Append any source the text does not already list, so every answer shows where it comes from."""
    lines = {line.strip() for line in text.splitlines()}
    missing = [s for s in sources if source_line(s["title"], s["url"]) not in lines]
    if not missing:
        return text
    block = "\n".join(source_line(s["title"], s["url"]) for s in missing)
    return f"{text}\n\n{heading}\n{block}" if text else f"{heading}\n{block}"


def render_html(text: str, sources: Sequence[Dict[str, str]] = ()) -> str:
    """Escape text for HTML parse mode, turning each listed source line into a link."""
    links = {source_line(s["title"], s["url"]): s for s in sources}
    out = []
    for line in text.split("\n"):
        source = links.get(line.strip())
        if source is None:
            out.append(html.escape(line))
            continue
        url = safe_url(source["url"])
        title = html.escape(source["title"])
        out.append(f'• <a href="{html.escape(url, quote=True)}">{title}</a>' if url else f"• {title}")
    return "\n".join(out)


def split_message(text: str, limit: int = MAX_MESSAGE) -> List[str]:
    """Split text into parts Telegram accepts: at blank lines, then line breaks, then anywhere."""
    if utf16_len(text) <= limit:
        return [text] if text.strip() else []
    return [p for p in _pack(text.split("\n\n"), "\n\n", limit, _split_paragraph) if p.strip()]


def _split_paragraph(paragraph: str, limit: int) -> List[str]:
    return _pack(paragraph.split("\n"), "\n", limit, _hard_split)


def _hard_split(line: str, limit: int) -> List[str]:
    pieces: List[str] = []
    current = ""
    size = 0
    for char in line:
        width = 2 if ord(char) > 0xFFFF else 1
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    return pieces + [current] if current else pieces


def _pack(chunks: Iterable[str], joiner: str, limit: int, too_long: Callable[[str, int], List[str]]) -> List[str]:
    """Join chunks greedily up to the limit; chunks over the limit are split further by too_long."""
    parts: List[str] = []
    current: Optional[str] = None
    for chunk in chunks:
        if utf16_len(chunk) > limit:
            if current is not None:
                parts.append(current)
                current = None
            parts.extend(too_long(chunk, limit))
            continue
        candidate = chunk if current is None else current + joiner + chunk
        if utf16_len(candidate) <= limit:
            current = candidate
        else:
            parts.append(current if current is not None else "")
            current = chunk
    if current is not None:
        parts.append(current)
    return parts
