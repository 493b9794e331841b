"""One declarative schema for every YAML file in knowledge/.

A file's format is a tree of specs: `Map` (fixed keys), `DictOf` (free keys),
`Items` (a list), and the leaves in leaves.py (`Str`, `Int`, `Date`,
`Enum`, `Ref`, `ByType`). `Spec.validate` walks what `yaml.safe_load` returned
and gives back the value cleaned (text stripped, lists as tuples, mappings
built into dataclasses), or INVALID, while a `Report` collects EVERY problem
with its place, e.g. `letters.yml: mediation.fields[2].question: must be
non-empty text`. It never stops at the first problem, so a maintainer fixes a
file in one pass. `Id` values are declared and `Ref` values collected while
walking; the loader resolves references once every id is known
(`Report.resolve`), so the order of files and keys never matters.

Threat: knowledge files are edited by hand and may be hostile. YAML aliases
can make a document far larger than its text ("billion laughs"), so a spec
never str()s, compares or walks a value before its type is accepted, and a
message shows at most 80 characters of any value. Pure Python, no YAML
import: reading files is `bot.knowledge.reading`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Container, Dict, Hashable, List, Mapping, Optional, Sequence, Tuple, Type, Union

# A check on a cleaned value returns its problem(s), or None when the value is fine.
Check = Callable[[Any], Union[None, str, Sequence[str]]]
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]{1,80}")
ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # lower-case words joined by hyphens
SHOW_MAX = 80


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()  # what validate returns for a value with a problem


class KnowledgeBaseError(ValueError):
    """A knowledge file failed validation; `problems` lists every fault."""

    heading = "knowledge base is invalid"

    def __init__(self, problems: List[str]) -> None:
        super().__init__(f"{self.heading}:\n- " + "\n- ".join(problems))
        self.problems = problems


# Most specific first: bool is an int, datetime is a date.
_KINDS = ((bool, "true/false"), (int, "a number"), (float, "a number"), (str, "text"), (list, "a list"),
          (dict, "a mapping"), (dt.datetime, "a date and time"), (dt.date, "a date"), (bytes, "binary data"))


def show(value: object) -> str:
    """Return a short, safe rendering of a scalar for a message (never expands a container)."""
    if isinstance(value, str):
        return repr(value[:SHOW_MAX]) + ("..." if len(value) > SHOW_MAX else "")
    if value is None or isinstance(value, (bool, int, float, dt.date)):
        return str(value)[:SHOW_MAX]
    return kind_of(value)


def kind_of(value: object) -> str:
    """Name a value's YAML type the way a maintainer reads it."""
    if value is None:
        return "empty"
    return next((name for cls, name in _KINDS if isinstance(value, cls)), type(value).__name__)


@dataclass(frozen=True)
class Where:
    """A place in a knowledge file: the file and a path such as `mediation.sections[0].title`."""

    file: str
    path: str = ""

    def key(self, name: object) -> "Where":
        """Return the place of a mapping key's value."""
        part = name if isinstance(name, str) and _PLAIN_KEY.fullmatch(name) else show(name)
        return Where(self.file, f"{self.path}.{part}" if self.path else str(part))

    def index(self, position: int) -> "Where":
        """Return the place of a list item."""
        return Where(self.file, f"{self.path}[{position}]")

    def anchor(self, label: str) -> "Where":
        """Return a place named by an id, which is unique in the file (`good-entry` rather than `entries[3]`)."""
        return Where(self.file, label)

    def __str__(self) -> str:
        return f"{self.file}: {self.path}" if self.path else self.file


@dataclass
class Report:
    """Every problem found so far, the ids declared, and the references to them still to resolve."""

    problems: List[str] = field(default_factory=list)
    declared: Dict[str, Dict[str, Where]] = field(default_factory=dict)
    refs: List[Tuple[str, str, Where]] = field(default_factory=list)

    def add(self, where: Where, message: str) -> None:
        """Record one problem at a place."""
        self.problems.append(f"{where}: {message}")

    def declare(self, kind: str, value: str, where: Where) -> None:
        """Record an id as defined here; an id defined twice is a problem."""
        first = self.declared.setdefault(kind, {}).setdefault(value, where)
        if first is not where:
            also = f" (also in {first.file})" if first.file != where.file else ""
            self.add(where, f"duplicate {kind} id {value!r}{also}")

    def resolve(self, kind: str, known: Optional[Container[str]] = None) -> None:
        """Report every reference of this kind that names nothing known (by default: declared), and forget them."""
        known = self.declared.get(kind, {}) if known is None else known
        for ref_kind, value, where in self.refs:
            if ref_kind == kind and value not in known:
                self.add(where, f"{kind} {value!r} does not exist")
        self.refs = [ref for ref in self.refs if ref[0] != kind]

    def raise_if_any(self, error: Type[KnowledgeBaseError] = KnowledgeBaseError) -> None:
        """Raise the error with every problem, if there are any."""
        if self.problems:
            raise error(list(self.problems))


class Spec:
    """A rule for one value: `validate` reports what is wrong and returns the value cleaned, or INVALID."""

    def __init__(self, checks: Sequence[Check] = ()) -> None:
        self.checks = tuple(checks)

    def validate(self, value: Any, where: Where, report: Report) -> Any:
        """Check a value and its extra checks; return it cleaned, or INVALID after reporting why."""
        before = len(report.problems)
        clean = self.clean(value, where, report)
        if clean is INVALID or len(report.problems) > before:
            return INVALID
        messages: List[str] = []
        for check in self.checks:
            found = check(clean)
            messages.extend([found] if isinstance(found, str) else found or ())
        for message in messages:
            report.add(where, message)
        return INVALID if messages else clean

    def clean(self, value: Any, where: Where, report: Report) -> Any:
        """Report problems with the value itself and return it cleaned."""
        raise NotImplementedError


class Map(Spec):
    """A mapping with fixed keys: missing required keys and unknown keys are problems."""

    def __init__(self, required: Mapping[str, Spec], optional: Optional[Mapping[str, Spec]] = None,
                 build: Optional[Callable[..., Any]] = None, checks: Sequence[Check] = ()) -> None:
        super().__init__(checks)
        self.required, self.optional, self.build = dict(required), dict(optional or {}), build

    def clean(self, value: Any, where: Where, report: Report) -> Any:
        if not isinstance(value, dict):
            report.add(where, f"must be a mapping, not {kind_of(value)}")
            return INVALID
        before = len(report.problems)
        for key in sorted((k for k in value if k not in self.required and k not in self.optional), key=str):
            report.add(where, f"unknown key {show(key)}")
        for key in self.required:
            if key not in value:
                report.add(where, f"missing key {key!r}")
        clean = {key: spec.validate(value[key], where.key(key), report)
                 for key, spec in {**self.required, **self.optional}.items() if key in value}
        if len(report.problems) > before or not self.build:  # never build from a faulty value
            return clean
        return self.build(**clean)


class DictOf(Spec):
    """A mapping whose keys are data (ids, message names), each key and value checked by a spec."""

    def __init__(self, keys: Spec, values: Spec, min_len: int = 0, checks: Sequence[Check] = ()) -> None:
        super().__init__(checks)
        self.keys, self.values, self.min_len = keys, values, min_len

    def clean(self, value: Any, where: Where, report: Report) -> Any:
        if not isinstance(value, dict):
            report.add(where, f"must be a mapping, not {kind_of(value)}")
            return INVALID
        if len(value) < self.min_len:
            report.add(where, f"needs at least {self.min_len} entr{'y' if self.min_len == 1 else 'ies'}")
        clean = {}
        for key, item in value.items():
            at = where.key(key)
            clean[self.keys.validate(key, at, report)] = self.values.validate(item, at, report)
        return clean  # any fault above was reported, so validate() turns this into INVALID


class Items(Spec):
    """A list of values of one spec, with length bounds and optionally unique keys."""

    def __init__(self, item: Spec, min_len: int = 0, max_len: Optional[int] = None,
                 unique: Optional[Callable[[Any], Hashable]] = None, anchor: Optional[str] = None,
                 checks: Sequence[Check] = ()) -> None:
        super().__init__(checks)
        self.item, self.min_len, self.max_len, self.unique, self.anchor = item, min_len, max_len, unique, anchor

    def clean(self, value: Any, where: Where, report: Report) -> Any:
        if not isinstance(value, list):
            report.add(where, f"must be a list, not {kind_of(value)}")
            return INVALID
        if len(value) < self.min_len:
            report.add(where, f"needs at least {self.min_len} item{'' if self.min_len == 1 else 's'}")
        if self.max_len is not None and len(value) > self.max_len:
            report.add(where, f"has {len(value)} items (max {self.max_len})")
        clean, seen = [], set()
        for position, raw in enumerate(value):
            at = self.place(raw, where, position)
            item = self.item.validate(raw, at, report)
            if item is not INVALID and self.unique is not None:
                key = self.unique(item)
                if key in seen:
                    report.add(at, f"{show(key)} is listed twice")
                seen.add(key)
            clean.append(item)
        return tuple(clean)

    def place(self, raw: Any, where: Where, position: int) -> Where:
        """Name an item by its id when the list is anchored and the id looks like one, else by position."""
        label = raw.get(self.anchor) if self.anchor and isinstance(raw, dict) else None
        return where.anchor(label) if isinstance(label, str) and len(label) <= SHOW_MAX and ID.fullmatch(label) else where.index(position)


def by_key(name: str) -> Callable[[Any], Hashable]:
    """Return a `unique` key for items that are mappings or dataclasses: their `name` value."""
    return lambda item: item[name] if isinstance(item, dict) else getattr(item, name)
