"""One declarative schema for every YAML file in knowledge/.

A file's format is a tree of specs: containers (containers.py: `Map` with
fixed keys, `DictOf` keyed by data, `Items`) and leaves (leaves.py: `Str`,
`Id`, `Ref`, `Enum`, `Int`, `Date`, `ByType`), all built on `Spec` here.
`Spec.validate` walks what `yaml.safe_load` returned
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
from typing import Any, Callable, Container, Dict, List, Optional, Sequence, Tuple, Type, Union

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
