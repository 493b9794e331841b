"""Tests for bot.knowledge.reading: every way a file cannot be used is one reported problem, quickly."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import pytest

from bot.knowledge.reading import MAX_DEPTH, parse_yaml, read_yaml, validate_file
from bot.knowledge.schema import INVALID, Items, Map, Report, Str, Where

UNUSABLE = [
    pytest.param(b"a: 2026-02-30\n", "f.yml: not valid YAML (ValueError)", id="impossible-date"),
    pytest.param(b"a: !!int '" + b"9" * 5000 + b"'\n", "f.yml: not valid YAML (ValueError)", id="5000-digit-int"),
    pytest.param(b"a: " + b"[" * 2000 + b"]" * 2000, "f.yml: not valid YAML (ScannerError) at line 1: nested over 50 levels deep",
                 id="2000-flow-levels"),
    pytest.param(b"a:\n" + b"".join(b" " * i + b"- \n" for i in range(1, 400)),
                 "f.yml: not valid YAML (ComposerError) at line 51: nested over 50 levels deep", id="400-block-levels"),
    pytest.param(b"a: 1\nb: 2\na: 3\n", "f.yml: not valid YAML (ConstructorError) at line 3: duplicate key 'a'",
                 id="duplicate-key"),
    pytest.param(b"topics:\n  mediation: {names: [x]}\n  mediation: {names: [y]}\n",
                 "f.yml: not valid YAML (ConstructorError) at line 3: duplicate key 'mediation'", id="duplicate-nested-key"),
    pytest.param(b"{1: a, 1: b}\n", "f.yml: not valid YAML (ConstructorError) at line 1: duplicate key 1", id="duplicate-number-key"),
    pytest.param(b"a: [unclosed\n", "f.yml: not valid YAML (ParserError) at line 2: ", id="unclosed-bracket"),
    pytest.param(b"a: caf\xe9\n", "f.yml: not valid YAML (UnicodeDecodeError)", id="latin-1-bytes"),
    pytest.param(b"a: x\x00y\n", "f.yml: not valid YAML (ReaderError)", id="nul-byte"),
    pytest.param(b"a: !!python/object/apply:os.system ['echo hi']\n",
                 "f.yml: not valid YAML (ConstructorError) at line 1: could not determine a constructor", id="python-tag"),
    pytest.param(b"a: [x]\nb: {[x]: 1}\n", "f.yml: not valid YAML (ConstructorError) at line 2: found unhashable key",
                 id="list-as-key"),
]


@pytest.mark.parametrize("content, problem", UNUSABLE)
def test_an_unusable_file_is_one_problem_quickly(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "f.yml"
    path.write_bytes(content)
    report = Report()
    started = time.perf_counter()
    assert read_yaml(path, Where("f.yml"), report) is INVALID
    assert time.perf_counter() - started < 2.0
    assert len(report.problems) == 1 and report.problems[0].startswith(problem), report.problems


def test_a_missing_file_cannot_be_read(tmp_path: Path) -> None:
    report = Report()
    assert validate_file(tmp_path / "nowhere.yml", Map({"a": Str()}), report) is INVALID
    assert report.problems == ["nowhere.yml: cannot be read (FileNotFoundError)"]


@pytest.mark.parametrize("text, value", [
    ("a: &x {b: 1}\nc:\n  <<: *x\n  b: 2\n", {"a": {"b": 1}, "c": {"b": 2}}),  # a merge key may be overridden
    ("a: 2026-02-28\n", {"a": dt.date(2026, 2, 28)}),
    ("a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n", None),  # deep but within the limit
    ("", None),
])
def test_usable_yaml_parses_as_safe_load_would(text: str, value: Any) -> None:
    parsed = parse_yaml(text)
    if value is not None:
        assert parsed == value
    elif text:
        assert isinstance(parsed["a"], list)
    else:
        assert parsed is None


def test_validate_file_names_the_file_as_given(tmp_path: Path) -> None:
    (tmp_path / "x.yml").write_text("items: [a, 3]\n", encoding="utf-8")
    report = Report()
    assert validate_file(tmp_path / "x.yml", Map({"items": Items(Str())}), report, "national/x.yml") is INVALID
    assert report.problems == ["national/x.yml: items[1]: must be text, not a number"]
