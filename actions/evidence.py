"""Add to the evidence report's monthly counters, without ever delaying or failing the parent's reply."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, Iterable, Optional, Sequence, Tuple

from actions.services import get_services
from bot.knowledge.entries import id_for_intent
from bot.store.evidence import NO_TOPIC, month_of
from bot.store.models import utcnow

log = logging.getLogger(__name__)


def closest_topic(ranking: Sequence[Dict[str, Any]], limit: int = 3) -> str:
    """Return the knowledge id of the best-ranked topic intent among the top few, or NO_TOPIC."""
    for intent in list(ranking)[:limit]:
        kb_id = id_for_intent(str(intent.get("name") or ""))
        if kb_id:
            return kb_id
    return NO_TOPIC


async def count(channel: str, cells: Iterable[Tuple[str, Optional[str]]]) -> None:
    """Add one to each (measure, item) counter of this month; a database fault is logged and dropped."""
    services, month, todo = get_services(), month_of(utcnow()), list(cells)
    if not todo:
        return

    def write() -> None:
        repository = services.evidence()
        for measure, item in todo:
            repository.add(month, measure, item or NO_TOPIC, channel)

    try:
        await asyncio.wait_for(asyncio.to_thread(write), services.settings.db_write_timeout)
    except Exception as exc:  # noqa: BLE001 - the report may miss a count; the parent's reply must not wait
        log.warning("evidence count not stored (%s)", exc.__class__.__name__)
