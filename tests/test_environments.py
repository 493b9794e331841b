"""The two environments (issue 15): the service one is current and at least its lock; Rasa tests stay in Rasa's.

Run in the service environment (`make test`); tests/conftest.py leaves the Rasa-only tests out there.
"""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import metadata
from typing import Dict

import pytest
from packaging.utils import canonicalize_name
from packaging.version import Version

from bot.settings import PROJECT_ROOT
from tests.conftest import RASA_ONLY

LOCK = PROJECT_ROOT / "requirements" / "services.lock"


def locked() -> Dict[str, Version]:
    """Return the lock's package -> version."""
    pins = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = Version(version.strip())
    return pins


def installed() -> Dict[str, Version]:
    """Return this environment's package -> version."""
    return {canonicalize_name(d.metadata["Name"]): Version(d.version) for d in metadata.distributions()}


def test_the_service_environment_runs_python_3_11_or_later() -> None:
    assert sys.version_info >= (3, 11), f"the services run on Python {sys.version.split()[0]}, past its end of life"


def test_no_package_is_older_than_the_lock() -> None:
    have = installed()
    missing = sorted(name for name in locked() if name not in have)
    older = sorted(f"{name} {have[name]} < {pin}" for name, pin in locked().items() if name in have and have[name] < pin)
    assert missing == [] and older == [], "run `make install` to bring .venv up to requirements/services.lock"


def test_rasa_is_not_in_the_service_environment() -> None:
    assert "rasa" not in installed(), "Rasa belongs in .venv-rasa only"


def test_every_test_that_imports_rasa_is_left_to_the_rasa_environment() -> None:
    tests = PROJECT_ROOT / "tests"
    needs_rasa = re.compile(r"^\s*(from|import) (rasa|components)\b(?!_sdk)", re.M)
    found = {str(p.relative_to(tests)) for p in tests.rglob("*.py") if needs_rasa.search(p.read_text(encoding="utf-8"))}
    outside = sorted(p for p in found if not any(p == r or p.startswith(r + "/") for r in RASA_ONLY))
    assert outside == [], "add them to RASA_ONLY in tests/conftest.py (make test-rasa runs them)"


@pytest.mark.parametrize("line", ["rasa==3.6.21", "SQLAlchemy==1.4.54"])
def test_the_rasa_lock_keeps_rasas_own_pins(line: str) -> None:
    assert line in (PROJECT_ROOT / "requirements" / "rasa.lock").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("which, says", [("rasa", "needs Python 3.10"), ("services", "need Python")])
def test_a_missing_interpreter_is_named_with_how_to_install_it(tmp_path, which: str, says: str) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # no pyenv, no ~/.pyenv
    found = subprocess.run([str(PROJECT_ROOT / "scripts" / "find-python.sh"), which], env=env, capture_output=True, text=True)
    if found.returncode == 0:
        pytest.skip(f"this machine has one in /usr/bin: {found.stdout.strip()}")
    assert found.returncode == 1 and says in found.stderr and "pyenv install" in found.stderr


def test_the_interpreters_found_are_the_ones_the_environments_use() -> None:
    rasa = subprocess.run([str(PROJECT_ROOT / "scripts" / "find-python.sh"), "rasa"], capture_output=True, text=True, check=True)
    assert subprocess.run([rasa.stdout.strip(), "-c", "import sys; print(sys.version_info[:2])"], capture_output=True,
                          text=True, check=True).stdout.strip() == "(3, 10)"
    services = subprocess.run([str(PROJECT_ROOT / "scripts" / "find-python.sh"), "services"], capture_output=True,
                              text=True, check=True).stdout.strip()
    assert subprocess.run([services, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True, text=True,
                          check=True).stdout.strip() == str(sys.version_info[:2])
