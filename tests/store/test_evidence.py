"""The evidence counters: one row per cell, added to safely from several threads, refusing what is not a counter."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.store.evidence import ASKED, DEADLINE_PASSED, EvidenceRepository


def test_concurrent_adds_to_a_new_counter_are_all_kept(sessions) -> None:
    counters = EvidenceRepository(sessions)

    def add(_: int) -> None:
        for _ in range(25):
            counters.add("2026-11", ASKED, "tribunal-process", "web")

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(add, range(4)))
    [cell] = counters.month("2026-11")
    assert (cell.measure, cell.item, cell.channel, cell.count) == (ASKED, "tribunal-process", "web", 100)


def test_cells_are_by_month_measure_item_and_channel(sessions) -> None:
    counters = EvidenceRepository(sessions)
    counters.add("2026-11", DEADLINE_PASSED, "tribunal-orders", "telegram")
    counters.add("2026-11", DEADLINE_PASSED, "tribunal-orders", "web", by=2)
    counters.add("2026-10", DEADLINE_PASSED, "tribunal-orders", "web")
    assert sorted((c.channel, c.count) for c in counters.month("2026-11")) == [("telegram", 1), ("web", 2)]
    assert counters.months() == ["2026-11", "2026-10"]


@pytest.mark.parametrize("month, measure", [("2026-13", ASKED), ("November", ASKED), ("2026-11", "said")])
def test_only_counters_can_be_added(sessions, month: str, measure: str) -> None:
    with pytest.raises(ValueError):
        EvidenceRepository(sessions).add(month, measure, "x", "web")


def test_free_text_never_becomes_a_key(sessions) -> None:
    counters = EvidenceRepository(sessions)
    counters.add("2026-11", ASKED, "My son Jo at Holly Lodge", "Telegram chat 12345")
    [cell] = counters.month("2026-11")
    assert (cell.item, cell.channel) == ("none", "unknown")
