"""Run a module (the action server) with "today" fixed, to measure dated questions (bench use only).

    python bench/fixed_today.py 2026-11-30 -m rasa_sdk --actions actions --port 5055

The action server reads today's date from `actions.deadline_replies._clock`;
this replaces it before the module starts, the way the unit tests do, so the
held-out dated questions ("3 weeks ago", "last Friday") are read against the
day they were written for. Keeping the patch here, like tests/crash/launch.py,
leaves no test hook in the product.
"""

from __future__ import annotations

import datetime as dt
import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list) -> None:
    """Fix today, then run the module as `python -m MODULE ARGS...` would."""
    if len(argv) < 3 or argv[1] != "-m":
        raise SystemExit("usage: fixed_today.py YYYY-MM-DD -m MODULE [ARGS...]")
    day = dt.date.fromisoformat(argv[0])
    import actions.deadline_replies as replies

    replies._clock = lambda: day
    sys.argv = [argv[2], *argv[3:]]
    runpy.run_module(argv[2], run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
