"""Tests for bot.store.spool.Spool."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any, Dict, List

import pytest

from bot.store.spool import Spool


@pytest.fixture
def spool(tmp_path: Path) -> Spool:
    return Spool(tmp_path / "spool" / "unanswered.jsonl")


def test_empty_spool(spool: Spool) -> None:
    assert spool.pending() == 0
    assert spool.drain(lambda _r: None) == 0
    assert not spool.path.exists()


def test_append_pending_drain(spool: Spool) -> None:
    records = [{"record_key": f"k{i}", "text": f"question {i} – café"} for i in range(3)]
    for rec in records:
        spool.append(rec)
    assert spool.pending() == 3
    seen: List[Dict[str, Any]] = []
    assert spool.drain(seen.append) == 3
    assert seen == records
    assert spool.pending() == 0
    assert spool.drain(seen.append) == 0
    assert len(seen) == 3


def test_each_record_is_one_json_line(spool: Spool) -> None:
    spool.append({"record_key": "k1", "text": "line one\nline two"})
    spool.append({"record_key": "k2", "when": Path("/x")})  # non-JSON types become text
    lines = spool.path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(l)["record_key"] for l in lines] == ["k1", "k2"]
    assert json.loads(lines[1])["when"] == "/x"


def test_failing_handler_keeps_just_that_record(spool: Spool) -> None:
    for i in range(4):
        spool.append({"record_key": f"k{i}"})

    def handler(rec: Dict[str, Any]) -> None:
        if rec["record_key"] == "k2":
            raise RuntimeError("database down")

    assert spool.drain(handler) == 3
    assert spool.pending() == 1
    kept: List[Dict[str, Any]] = []
    assert spool.drain(kept.append) == 1
    assert kept == [{"record_key": "k2"}]
    assert spool.pending() == 0


def test_handler_failing_everything_keeps_everything(spool: Spool) -> None:
    for i in range(3):
        spool.append({"record_key": f"k{i}"})

    def handler(_rec: Dict[str, Any]) -> None:
        raise OSError("nope")

    assert spool.drain(handler) == 0
    assert spool.pending() == 3


def test_append_after_drain(spool: Spool) -> None:
    spool.append({"record_key": "a"})
    spool.drain(lambda _r: None)
    spool.append({"record_key": "b"})
    seen: List[Dict[str, Any]] = []
    spool.drain(seen.append)
    assert seen == [{"record_key": "b"}]


def test_spool_file_is_owner_only(spool: Spool) -> None:
    spool.append({"record_key": "k"})
    assert stat.S_IMODE(spool.path.stat().st_mode) == 0o600
    spool.append({"record_key": "k2"})

    def fail_on_first(rec: Dict[str, Any]) -> None:
        if rec["record_key"] == "k":
            raise RuntimeError("database down")

    spool.drain(fail_on_first)
    assert spool.pending() == 1
    assert stat.S_IMODE(spool.path.stat().st_mode) == 0o600  # still after the rewrite
    assert not spool.path.with_suffix(".tmp").exists()
