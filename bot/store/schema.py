"""Schema migrations with Alembic, configured in code (there is no alembic.ini).

Every schema change is a revision in bot/store/migrations/versions/ (see
the README there). Each service brings its database to the newest revision
as it starts (make_engine, under the lock in bot/store/db.py).

Before migrations, create_all made the tables: first as at commit fb0829d,
then as at eb77c72, and only those whose module happened to be imported; it
never changed a table that existed. The first revisions (PRE_MIGRATION)
describe those two schemas and skip whatever a database already has. A
database with tables but no alembic_version is adopted, never re-created:
each table it has must have the columns of that table in one of those
schemas; then the pre-migration revisions complete it and every later one
runs. If a table differs, nothing is changed and SchemaMismatch says how.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional

# Alembic logs seven INFO lines about its plugins whenever it is first imported, in every process
# that opens the database; they tell an operator nothing. Set before the import that logs them.
logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)

from alembic import command  # noqa: E402
from alembic.config import Config  # noqa: E402
from alembic.script import ScriptDirectory  # noqa: E402
from sqlalchemy import column, create_engine, inspect, select, table  # noqa: E402
from sqlalchemy.engine import Connection  # noqa: E402

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
VERSION_TABLE = "alembic_version"
# New revision files sort by date: 2026_12_01_<id>_<message>.py
FILE_TEMPLATE = "%%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s"
# The schemas create_all made before migrations: fb0829d's (the baseline) and eb77c72's. Never add to this.
PRE_MIGRATION = ("0da5ae0955a1", "2d5c6e9a1940")


class SchemaMismatch(RuntimeError):
    """The database's tables are not what the migrations expect; nothing was changed."""


def alembic_config(connection: Optional[Connection] = None, script_location: Path = MIGRATIONS_DIR) -> Config:
    """Return Alembic's configuration; env.py runs the migrations on `connection`."""
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("file_template", FILE_TEMPLATE)
    config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=None)
def _scripts(script_location: Path) -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config(script_location=script_location))


def head(script_location: Path = MIGRATIONS_DIR) -> str:
    """Return the newest revision (an error if two revisions both claim to be newest)."""
    return str(_scripts(script_location).get_current_head())


def current(connection: Connection) -> Optional[str]:
    """Return the database's revision, or None if it has none (empty, or made before migrations)."""
    # Read directly: Alembic's MigrationContext would log two INFO lines each time a process opens
    # the database. Alembic keeps one row per head in this table; there is one head.
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    revision = connection.execute(select(column("version_num")).select_from(table(VERSION_TABLE))).scalar()
    return None if revision is None else str(revision)


def upgrade(connection: Connection, target: str = "head", script_location: Path = MIGRATIONS_DIR) -> None:
    """Migrate the database to `target`, adopting one made before migrations; the caller commits."""
    revision = current(connection)
    if revision is None:
        check_pre_migration_tables(connection, script_location)
    elif _scripts(script_location).get_revision(revision) is None:
        raise SchemaMismatch(f"the database is at revision {revision}, which this code does not know: "
                             "it was migrated by a newer version; run that version or restore a backup")
    command.upgrade(alembic_config(connection, script_location), target)


def downgrade(connection: Connection, target: str, script_location: Path = MIGRATIONS_DIR) -> None:
    """Migrate the database down to `target` ("base" removes every table); the caller commits."""
    command.downgrade(alembic_config(connection, script_location), target)


def check_pre_migration_tables(connection: Connection, script_location: Path = MIGRATIONS_DIR) -> None:
    """Raise SchemaMismatch unless each known table the database has matches a schema made before migrations."""
    inspector = inspect(connection)
    tables = set(inspector.get_table_names())
    if not tables:  # a new database: nothing to check
        return
    schemas = [columns_at(revision, script_location) for revision in PRE_MIGRATION]
    problems: List[str] = []
    for name in sorted(tables & set().union(*schemas)):
        found = frozenset(info["name"] for info in inspector.get_columns(name))
        known = [schema[name] for schema in schemas if name in schema]
        if found in known:
            continue
        missing, extra = sorted(known[-1] - found), sorted(found - known[-1])
        problems.append(f"{name}" + (f" lacks {', '.join(missing)}" if missing else "")
                        + (" and" if missing and extra else "")
                        + (f" has columns it never had: {', '.join(extra)}" if extra else ""))
    if problems:
        raise SchemaMismatch(
            "the database has tables from before migrations that match no schema the code ever made ("
            + "; ".join(problems) + "). Nothing was changed. Restore a backup taken before the change, "
            "or fix the tables by hand, then run `python -m bot db upgrade` again."
        )


@lru_cache(maxsize=None)
def columns_at(revision: str, script_location: Path = MIGRATIONS_DIR) -> Dict[str, FrozenSet[str]]:
    """Return {table: columns} as migrating a new database to `revision` makes them (on an in-memory SQLite)."""
    engine = create_engine("sqlite://", future=True)
    migration_log = logging.getLogger("alembic.runtime.migration")
    level = migration_log.level
    migration_log.setLevel(logging.WARNING)  # a scratch run: "Running upgrade" here would mislead
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection, script_location), revision)
            inspector = inspect(connection)
            return {
                name: frozenset(info["name"] for info in inspector.get_columns(name))
                for name in inspector.get_table_names() if name != VERSION_TABLE
            }
    finally:
        migration_log.setLevel(level)
        engine.dispose()
