"""Request logs: skipped entirely, JSON and all, when INFO is off."""

from __future__ import annotations

import json
from typing import List

import pytest

from bot.web import logs


@pytest.mark.parametrize("level, logged", [("DEBUG", True), ("INFO", True), ("WARNING", False)])
def test_log_event_encodes_only_when_info_is_on(caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch, level: str, logged: bool) -> None:
    encoded: List[object] = []
    dumps = json.dumps
    monkeypatch.setattr(logs.json, "dumps", lambda *a, **k: encoded.append(a) or dumps(*a, **k))
    with caplog.at_level(level, logger="bot.web"):
        logs.log_event("chat", kind="text", replies=2)
    assert bool(encoded) == logged
    assert [r.getMessage() for r in caplog.records] == (['{"event": "chat", "kind": "text", "replies": 2}'] if logged else [])

