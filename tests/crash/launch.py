"""Start a real service with a crash point the harness can arm (test use only).

    python tests/crash/launch.py -m actions.server --actions actions --port 5055
    python tests/crash/launch.py bridge

With `-m MODULE`, the module runs as `python -m MODULE` would, after the
escalation store has been wrapped so that, when the file named by
SEND_NAV_CRASH_ARM exists, the process kills itself with SIGKILL at the point
the file names (`escalation-before-commit` or `escalation-after-commit`).
The file is removed first, so each arming fires once and the restarted
process runs normally. `bridge` runs the Telegram bridge with a clock fixed
at noon (UK) today, so reminder notices are due whatever time CI runs, and
a half-second outbox interval.

Keeping the crash points here, not in bot/, leaves no test hook in the
product.
"""

from __future__ import annotations

import datetime as dt
import os
import runpy
import signal
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

BEFORE_COMMIT = "escalation-before-commit"
AFTER_COMMIT = "escalation-after-commit"


def _armed(point: str) -> bool:
    """Return True (and disarm) if the arm file names this crash point."""
    arm = os.environ.get("SEND_NAV_CRASH_ARM")
    if not arm or not os.path.exists(arm) or Path(arm).read_text(encoding="utf-8").strip() != point:
        return False
    os.remove(arm)
    return True


def _die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def install_escalation_crash_points() -> None:
    """Wrap EscalationRepository.create with the two crash points."""
    from bot.store.escalations import EscalationRepository

    original = EscalationRepository.create

    def create(self: Any, *args: Any, **kwargs: Any) -> int:
        if _armed(BEFORE_COMMIT):
            _die()
        escalation_id = original(self, *args, **kwargs)
        if _armed(AFTER_COMMIT):
            _die()  # committed, but the reply never leaves the action server
        return escalation_id

    EscalationRepository.create = create  # type: ignore[method-assign]


def run_bridge() -> None:
    """Run the Telegram bridge with long polling, a noon clock and a short outbox interval."""
    from telegram import Update

    from bot.channels.telegram import build_application
    from bot.channels.telegram_reminders import UK, uk_now
    from bot.settings import load_settings

    def noon_today() -> dt.datetime:
        return dt.datetime.combine(uk_now().date(), dt.time(12, 0), tzinfo=UK)

    application = build_application(load_settings(), outbox_interval=0.5, clock=noon_today)
    application.run_polling(allowed_updates=Update.ALL_TYPES)


def main(argv: list) -> None:
    """Dispatch on the first argument."""
    if argv[:1] == ["bridge"]:
        run_bridge()
        return
    if argv[:1] != ["-m"] or len(argv) < 2:
        raise SystemExit("usage: launch.py -m MODULE [ARGS...] | launch.py bridge")
    install_escalation_crash_points()
    sys.argv = [argv[1], *argv[2:]]
    runpy.run_module(argv[1], run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
