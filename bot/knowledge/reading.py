"""Read a knowledge YAML file and validate it against its schema, turning every failure into a reported problem.

Maintainers edit these files by hand, so a file may be unreadable, not YAML,
or YAML that PyYAML itself cannot build: impossible dates (2026-02-30) and
over-long `!!int` raise ValueError. Each becomes one problem ("not valid YAML
(...)"), never a crash. Two more things are refused while parsing:
- nesting deeper than MAX_DEPTH: PyYAML's pure-Python scanner takes time
  quadratic in the depth of `[[[...` (over 10 s for 2000 levels on a busy
  machine) and its composer recurses until RecursionError; no knowledge file
  nests more than a few levels;
- a mapping key written twice: YAML would silently keep the last one, so a
  second `mediation:` topic would quietly replace the first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode
from yaml.scanner import ScannerError

from bot.knowledge.schema import INVALID, Report, Spec, Where, show

_MERGE = "tag:yaml.org,2002:merge"
MAX_DEPTH = 50


class _StrictLoader(yaml.SafeLoader):
    """yaml.SafeLoader that refuses deep nesting and a mapping key written twice."""

    _depth = 0

    def fetch_flow_collection_start(self, TokenClass: Any) -> None:  # noqa: N803 - PyYAML's name
        if self.flow_level >= MAX_DEPTH:
            raise ScannerError(None, None, f"nested over {MAX_DEPTH} levels deep", self.get_mark())
        super().fetch_flow_collection_start(TokenClass)

    def compose_node(self, parent: Optional[Node], index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise ComposerError(None, None, f"nested over {MAX_DEPTH} levels deep", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> Any:
        seen = set()
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag != _MERGE:
                key = self.construct_object(key_node, deep=False)  # cached: built once, reused below
                if key in seen:
                    raise ConstructorError(None, None, f"duplicate key {show(key)}", key_node.start_mark)
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def parse_yaml(text: str) -> Any:
    """Parse YAML with the safe loader, refusing deep nesting and duplicate keys; raise yaml.YAMLError or ValueError."""
    return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass


def read_yaml(path: Path, where: Where, report: Report) -> Any:
    """Return a file's parsed YAML, or INVALID after reporting why it cannot be used."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        report.add(where, f"not valid YAML ({exc.__class__.__name__})")
        return INVALID
    except OSError as exc:
        report.add(where, f"cannot be read ({exc.__class__.__name__})")
        return INVALID
    try:
        return parse_yaml(text)
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        report.add(where, f"not valid YAML ({exc.__class__.__name__}){_detail(exc)}")
        return INVALID


def _detail(exc: BaseException) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None)
    if mark is None or not isinstance(problem, str):
        return ""
    return f" at line {mark.line + 1}: {problem[:120]}"


def validate_file(path: Path, spec: Spec, report: Report, name: Optional[str] = None) -> Any:
    """Read a file and validate it; return the cleaned value, or INVALID if any problem was reported."""
    where = Where(name or path.name)
    data = read_yaml(path, where, report)
    return INVALID if data is INVALID else spec.validate(data, where, report)
