"""Where each process serves its metrics: a block of ports from SEND_NAV_METRICS_PORT (default 9400).

One setting gives every process its own port, so `make run` can start them
all on one host, and a scrape configuration can be written once:

    web 9400, review 9401, telegram 9402, purge (--every) 9403,
    action servers 9410, 9411, ... (one per replica, in port order)
"""

from __future__ import annotations

from typing import Dict, Optional

from bot.settings import Settings

OFFSETS: Dict[str, int] = {"web": 0, "review": 1, "telegram": 2, "purge": 3}
ACTIONS_OFFSET = 10
MAX_ACTION_REPLICAS = 50


def metrics_port(settings: Settings, process: str, actions_port: Optional[int] = None) -> Optional[int]:
    """Return the metrics port for a process (`actions` needs its own port), or None if metrics are off."""
    if settings.metrics_port == 0:
        return None
    if process == "actions":
        replica = (actions_port if actions_port is not None else settings.actions_port) - settings.actions_port
        if not 0 <= replica < MAX_ACTION_REPLICAS:
            replica = 0  # an action server on a port outside the configured block: share the first slot
        return settings.metrics_port + ACTIONS_OFFSET + replica
    return settings.metrics_port + OFFSETS[process]
