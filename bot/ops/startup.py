"""The line each process prints as it starts: which service, on which Python.

Rasa runs on the Rasa environment's Python 3.10 and every other process on the
service environment's newer one (see the Makefile); this line in each log says
which interpreter a running process really has (tests/ops/test_startup.py).
Standard library only: components/ import it inside Rasa too.
"""

from __future__ import annotations

import sys

PREFIX = "SEND Navigator"


def startup_line(service: str) -> str:
    """Return "SEND Navigator <service> starting on Python <sys.version>"."""
    return f"{PREFIX} {service} starting on Python {' '.join(sys.version.split())}"
