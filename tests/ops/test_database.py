"""`python -m bot db upgrade | current | revision` against a temporary SQLite database."""

from __future__ import annotations

from contextlib import closing
import os
from pathlib import Path
from typing import Dict

import pytest

from bot.ops.cli import main
from bot.store.schema import MIGRATIONS_DIR, head
from tests.helpers.databases import load_era


@pytest.fixture
def database(monkeypatch: pytest.MonkeyPatch, env: Dict[str, str], tmp_path: Path) -> str:
    for name in list(os.environ):
        if name.startswith("SEND_NAV_"):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    (tmp_path / "db").mkdir()
    return env["SEND_NAV_DATABASE_URL"]


def test_upgrade_then_current_then_upgrade_again(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "current"]) == 1
    assert capsys.readouterr().out.startswith("No revision")
    assert main(["db", "upgrade"]) == 0
    assert capsys.readouterr().out == f"Database at revision {head()} (the newest), upgraded from no revision.\n"
    assert main(["db", "upgrade"]) == 0
    assert capsys.readouterr().out == f"Database at revision {head()} (the newest).\n"
    assert main(["db", "current"]) == 0
    assert capsys.readouterr().out == f"{head()} (the newest)\n"


def test_upgrade_adopts_a_database_made_before_migrations(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    load_era(database, "eb77c72")
    assert main(["db", "upgrade"]) == 0
    assert "upgraded from no revision" in capsys.readouterr().out


def test_upgrade_refuses_a_database_that_differs_and_says_why(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    load_era(database, "eb77c72")
    with closing(sqlite3.connect(database.split("///", 1)[1])) as connection, connection:
        connection.execute("ALTER TABLE volunteers ADD COLUMN phone TEXT")
    assert main(["db", "upgrade"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Could not upgrade the database:") and "volunteers has columns it never had: phone" in err
    assert main(["db", "current"]) == 1


def test_revision_writes_nothing_when_the_models_and_migrations_agree(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = sorted(p.name for p in (MIGRATIONS_DIR / "versions").glob("*.py"))
    assert main(["db", "revision", "-m", "nothing to do"]) == 1
    assert "agree" in capsys.readouterr().out
    assert sorted(p.name for p in (MIGRATIONS_DIR / "versions").glob("*.py")) == before
