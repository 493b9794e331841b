"""Each process's metrics port, from the one setting (bot/metrics/ports.py)."""

from __future__ import annotations

from typing import Dict, Optional

import pytest

from bot.metrics.ports import metrics_port
from bot.settings import load_settings


@pytest.mark.parametrize("process, actions_port, port", [
    ("web", None, 9400), ("review", None, 9401), ("telegram", None, 9402), ("purge", None, 9403),
    ("actions", None, 9410), ("actions", 5055, 9410), ("actions", 5056, 9411),
    ("actions", 4000, 9410),  # outside the replicas' block: the first slot
])
def test_ports(env: Dict[str, str], process: str, actions_port: Optional[int], port: int) -> None:
    assert metrics_port(load_settings(env), process, actions_port) == port


def test_off(env: Dict[str, str]) -> None:
    settings = load_settings({**env, "SEND_NAV_METRICS_PORT": "0"})
    assert {metrics_port(settings, p) for p in ("web", "review", "telegram", "purge", "actions")} == {None}
