"""Leaf specs: text, ids and references to them, choices, whole numbers, dates, and a choice of spec by type."""

from __future__ import annotations

import datetime as dt
import string
from typing import Any, Optional, Pattern, Sequence, Tuple

from bot.knowledge.schema.core import ID, INVALID, Check, Report, Spec, Where, kind_of, show

ID_MEANS = "lower-case words joined by hyphens"


def placeholders(template: str) -> Tuple[str, ...]:
    """Return the sorted `{names}` of a str.format template ('' for `{}`); raise ValueError on a stray brace."""
    return tuple(sorted({name for _, name, _, _ in string.Formatter().parse(template) if name is not None}))


class Str(Spec):
    """Text: stripped and non-empty, with optional limits, an exact pattern or exact `{placeholders}`.

    A pattern is matched against the text as written (never stripped), so an id
    with a trailing newline or space is refused rather than silently mended.
    """

    def __init__(self, *, max_chars: Optional[int] = None, max_words: Optional[int] = None,
                 pattern: Optional[Pattern[str]] = None, means: str = "", fields: Optional[Sequence[str]] = None,
                 lower: bool = False, checks: Sequence[Check] = ()) -> None:
        super().__init__(checks)
        self.max_chars, self.max_words, self.pattern, self.means = max_chars, max_words, pattern, means
        self.fields, self.lower = None if fields is None else tuple(fields), lower

    def clean(self, value: Any, where: Where, report: Report) -> Any:
        if not isinstance(value, str):
            report.add(where, f"must be text, not {kind_of(value)}")
            return INVALID
        if self.pattern is not None:
            if not self.pattern.fullmatch(value):
                report.add(where, f"{show(value)} is not {self.means}")
            return value
        text = value.strip().lower() if self.lower else value.strip()
        if not text:
            report.add(where, "must be non-empty text")
        if self.max_chars is not None and len(text) > self.max_chars:
            report.add(where, f"is {len(text)} characters long (max {self.max_chars})")
        words = len(text.split())
        if self.max_words is not None and words > self.max_words:
            report.add(where, f"has {words} words (max {self.max_words})")
        if self.fields is not None:
            self._placeholders(text, where, report)
        return text

    def _placeholders(self, text: str, where: Where, report: Report) -> None:
        fields = self.fields or ()
        try:
            used = placeholders(text)
        except ValueError:
            report.add(where, "has a stray brace: a value filled in is written {name}")
            return
        if used != tuple(sorted(fields)):
            report.add(where, "must use exactly " + ", ".join("{%s}" % f for f in fields) if fields
                       else "must use no {placeholders}")


class Id(Str):
    """An id defined here (an entry, a template, a kind): declared in the report, refused if declared twice."""

    def __init__(self, kind: str, pattern: Pattern[str] = ID, means: str = ID_MEANS, checks: Sequence[Check] = ()) -> None:
        super().__init__(pattern=pattern, means=means, checks=checks)
        self.kind = kind

    def validate(self, value: Any, where: Where, report: Report) -> Any:
        clean = super().validate(value, where, report)
        if clean is not INVALID:
            report.declare(self.kind, clean, where)
        return clean


class Ref(Str):
    """An id that must name something defined elsewhere; collected here, checked by `Report.resolve(kind)`."""

    def __init__(self, kind: str, pattern: Pattern[str] = ID, means: str = ID_MEANS) -> None:
        super().__init__(pattern=pattern, means=means)
        self.kind = kind

    def validate(self, value: Any, where: Where, report: Report) -> Any:
        clean = super().validate(value, where, report)
        if clean is not INVALID:
            report.refs.append((self.kind, clean, where))
        return clean


class Enum(Spec):
    """One of a fixed list of words."""

    def __init__(self, values: Sequence[str]) -> None:
        super().__init__()
        self.values = tuple(values)

    def clean(self, value: Any, where: Where, report: Report) -> Any:
        if not isinstance(value, str) or value not in self.values:
            report.add(where, f"must be one of {', '.join(self.values)}, not {show(value)}")
            return INVALID
        return value


class Int(Spec):
    """A whole number (never true/false), optionally within bounds."""

    def __init__(self, minimum: Optional[int] = None, maximum: Optional[int] = None) -> None:
        super().__init__()
        self.minimum, self.maximum = minimum, maximum

    def clean(self, value: Any, where: Where, report: Report) -> Any:
        if not isinstance(value, int) or isinstance(value, bool):
            report.add(where, f"must be a whole number, not {kind_of(value)}")
            return INVALID
        if (self.minimum is not None and value < self.minimum) or (self.maximum is not None and value > self.maximum):
            low = "" if self.minimum is None else f"at least {self.minimum}"
            high = "" if self.maximum is None else f"at most {self.maximum}"
            report.add(where, f"must be {' and '.join(part for part in (low, high) if part)}, not {show(value)}")
        return value


class Date(Spec):
    """A calendar date written YYYY-MM-DD (a date and time is refused)."""

    def clean(self, value: Any, where: Where, report: Report) -> Any:
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            report.add(where, f"must be a date (YYYY-MM-DD), not {kind_of(value)}")
            return INVALID
        return value


class ByType(Spec):
    """One of several specs, chosen by the value's type (e.g. a shared field's name, or a field written out)."""

    def __init__(self, options: Sequence[Tuple[type, Spec]], expected: str) -> None:
        super().__init__()
        self.options, self.expected = tuple(options), expected

    def clean(self, value: Any, where: Where, report: Report) -> Any:
        for cls, spec in self.options:
            if isinstance(value, cls):
                return spec.validate(value, where, report)
        report.add(where, f"must be {self.expected}, not {kind_of(value)}")
        return INVALID


def id_spec() -> Str:
    """Return the spec of an id: lower-case words joined by hyphens."""
    return Str(pattern=ID, means=ID_MEANS)
