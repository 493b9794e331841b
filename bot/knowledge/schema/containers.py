"""Container specs: mappings with fixed keys (Map), mappings keyed by data (DictOf) and lists (Items)."""

from __future__ import annotations

from typing import Any, Callable, Hashable, Mapping, Optional, Sequence

from bot.knowledge.schema.core import ID, INVALID, SHOW_MAX, Check, Report, Spec, Where, kind_of, show


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
        if isinstance(label, str) and len(label) <= SHOW_MAX and ID.fullmatch(label):
            return where.anchor(label)
        return where.index(position)


def by_key(name: str) -> Callable[[Any], Hashable]:
    """Return a `unique` key for items that are mappings or dataclasses: their `name` value."""
    return lambda item: item[name] if isinstance(item, dict) else getattr(item, name)
