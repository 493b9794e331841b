"""Empty databases of each kind for schema tests, and databases as the code before migrations made them."""

from __future__ import annotations

import sqlite3
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

FIXTURES = Path(__file__).resolve().parents[1] / "store" / "fixtures"
KINDS = ("sqlite", "postgresql")
# The commits whose create_all made the schemas found in databases without migrations, and the
# revision that describes each (tests/store/fixtures/<commit>/, made by capture.py there).
ERAS = {"fb0829d": "0da5ae0955a1", "eb77c72": "2d5c6e9a1940"}


@contextmanager
def empty_database(kind: str, folder: Path, name: str = "db") -> Iterator[str]:
    """Yield the URL of a new, empty database: an SQLite file, or a throwaway PostgreSQL database."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / (name + '.db')}"
        return
    from bot.ops.scale import ensure_database
    from tests.helpers.scale import drop_database, throwaway_url, unreachable

    reason = unreachable()
    if reason:
        pytest.skip(reason)
    url = throwaway_url(f"sendnav_{name}")
    ensure_database(url)
    try:
        yield url
    finally:
        drop_database(url)


def load_era(url: str, era: str) -> None:
    """Fill an empty database with the tables and rows the code of commit `era` made."""
    if url.startswith("sqlite"):
        with closing(sqlite3.connect(url.split("///", 1)[1])) as connection, connection:
            connection.executescript((FIXTURES / era / "sqlite.sql").read_text(encoding="utf-8"))
        return
    # A connection of its own: the dump empties search_path for its session.
    engine = create_engine(url, poolclass=NullPool, future=True)
    raw = engine.raw_connection()
    try:
        raw.cursor().execute((FIXTURES / era / "postgresql.sql").read_text(encoding="utf-8"))
        raw.commit()
    finally:
        raw.close()
        engine.dispose()


def columns_of(engine: Engine, tables: List[str]) -> Dict[str, List[str]]:
    """Return each table's column names, as the database has them now."""
    inspector = inspect(engine)
    return {name: [c["name"] for c in inspector.get_columns(name)] for name in tables}


def rows(engine: Engine, columns: Dict[str, List[str]]) -> Dict[str, List[Tuple[Any, ...]]]:
    """Return the values of the given columns of every row of each table, sorted, to compare before and after.

    Name the columns as they were before: a later revision may add some.
    """
    with engine.connect() as connection:
        return {
            name: sorted((tuple(row) for row in connection.execute(
                text(f'SELECT {", ".join(chr(34) + c + chr(34) for c in names)} FROM "{name}"')
            )), key=repr)
            for name, names in columns.items()
        }


def schema_of(engine: Engine, tables: List[str]) -> Dict[str, Dict[str, Any]]:
    """Return what a table is made of, comparable across two databases of the same kind."""
    inspector = inspect(engine)
    found: Dict[str, Dict[str, Any]] = {}
    for name in tables:
        found[name] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"], c.get("default")) for c in inspector.get_columns(name)],
            "primary_key": inspector.get_pk_constraint(name)["constrained_columns"],
            "unique": sorted((u["name"], tuple(u["column_names"])) for u in inspector.get_unique_constraints(name)),
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in inspector.get_indexes(name)),
            "foreign_keys": sorted(
                (tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]),
                 f.get("options", {}).get("ondelete"), f.get("name"))
                for f in inspector.get_foreign_keys(name)
            ),
            "triggers": triggers_of(engine, name),
        }
    return found


def triggers_of(engine: Engine, table: str) -> List[Tuple[str, str]]:
    """Return (name, definition) of each trigger on a table; inspectors do not show them."""
    if engine.dialect.name == "sqlite":
        query = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t ORDER BY name"
    else:
        query = ("SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger "
                 "WHERE tgrelid = CAST(:t AS regclass) AND NOT tgisinternal ORDER BY tgname")
    with engine.connect() as connection:
        return [(str(n), " ".join(str(d).replace("IF NOT EXISTS ", "").split())) for n, d in connection.execute(text(query), {"t": table})]
