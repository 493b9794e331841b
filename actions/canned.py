"""Coordinators' canned replies for groups of questions marked out of scope, read fresh for each message."""

from __future__ import annotations

import asyncio
import logging
from typing import List, Optional

from actions.services import get_services
from bot.safety.redact import redact
from bot.store.unanswered_groups import GroupDecision
from bot.unanswered.decisions import canned_reply

log = logging.getLogger(__name__)


async def reply_for(text: str) -> Optional[str]:
    """Return the canned reply for a question the assistant cannot answer, or None (also when the database is down)."""
    services = get_services()

    def decisions() -> List[GroupDecision]:
        return services.groups().out_of_scope()

    try:
        found = await asyncio.wait_for(asyncio.to_thread(decisions), services.settings.db_write_timeout)
    except Exception as exc:  # noqa: BLE001 - without the database the parent gets the usual reply
        log.warning("canned replies unavailable (%s)", exc.__class__.__name__)
        return None
    # Groups were formed from redacted questions, so this one is compared in the same form.
    decision = canned_reply(redact(text), found)
    return decision.reply if decision else None
