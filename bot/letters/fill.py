"""Fill letter templates in memory and render them as .docx.

Threat: a letter is built from a parent's free-text answers, which may hold
anything: markup such as "<script>", format strings such as "{child_name}",
control characters that corrupt a .docx, or bidirectional-override
characters that make printed text read differently from what was typed.

Design: every answer is plain text. Control, surrogate and bidi-override
characters are removed. Substitution is one regular-expression pass over the
template body, so a value is inserted once and never re-read as a
placeholder; nothing is ever passed to str.format or treated as markup, and
python-docx escapes XML itself. Letters live only in memory: nothing here
writes a file or touches the database, and the .docx carries no author
metadata.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Mapping, Optional, Tuple

from docx import Document

from bot.letters.templates import PLACEHOLDER, LetterBook, Template, load_letter_book
from bot.settings import PROJECT_ROOT
from bot.text import long_date

LETTERS_FILE = PROJECT_ROOT / "knowledge" / "letters.yml"
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
_DROP_CATEGORIES = {"Cc", "Cs"}  # control characters (except newline) and lone surrogates


class TemplateRegistry(Mapping[str, Template]):
    """Templates by id, read from letters.yml the first time they are needed (never at import)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._book: Optional[LetterBook] = None

    @property
    def book(self) -> LetterBook:
        """Return the loaded and validated templates, loading them once."""
        if self._book is None:
            self._book = load_letter_book(self._path)
        return self._book

    def __getitem__(self, template_id: str) -> Template:
        return self.book.templates[template_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.book.templates)

    def __len__(self) -> int:
        return len(self.book.templates)


TEMPLATES = TemplateRegistry(LETTERS_FILE)


@dataclass(frozen=True)
class Letter:
    """A filled-in letter, held only in memory."""

    template_id: str
    title: str
    text: str
    missing: Tuple[str, ...]  # ids of fields left as [placeholders]


def clean(value: Any) -> str:
    """Return an answer as plain text: dates written out, control and bidi characters removed."""
    if isinstance(value, dt.date):
        return long_date(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    kept = (
        ch for ch in text
        if ch == "\n" or (unicodedata.category(ch) not in _DROP_CATEGORIES and ch not in _BIDI
                          and ch not in "\ufffe\uffff")
    )
    lines = [" ".join(line.split()) for line in "".join(kept).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n ")


def fill(template_id: str, answers: Mapping[str, Any], today: dt.date,
         book: Optional[LetterBook] = None) -> Letter:
    """Return the letter with answers filled in; skipped answers become their [placeholders]."""
    book = book or TEMPLATES.book
    template = book.templates[template_id]
    values = {"today": long_date(today)}
    missing = []
    for field in template.fields:
        raw = answers.get(field.id)
        value = clean(raw) if raw is not None else ""
        if not value:
            missing.append(field.id)
            value = field.placeholder
        values[field.id] = field.choices.get(value, value)
    # One pass: inserted values are never scanned again, so "{child_name}" in an answer stays literal.
    text = PLACEHOLDER.sub(lambda m: values[m.group(1)], template.body)
    return Letter(template.id, template.title, f"{text}\n\n{book.closing_note}", tuple(missing))


def to_docx(letter: Letter) -> bytes:
    """Return the letter as a .docx file: the title as a heading, then one paragraph per block."""
    document = Document()
    props = document.core_properties
    props.author = props.last_modified_by = props.comments = props.keywords = ""
    props.title = letter.title
    document.add_heading(letter.title, level=1)
    for block in letter.text.split("\n\n"):
        if block.strip():
            document.add_paragraph(block)  # python-docx turns "\n" into a line break
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
