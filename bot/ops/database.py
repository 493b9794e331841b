"""`python -m bot db ...`: migrate the project's database, show its revision, write a new revision.

Every service migrates its database as it starts, so `db upgrade` is for
deployments that do it once before starting anything (the compose `init`
service) and for operators; `db revision` is for developers
(bot/store/migrations/README.md).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from typing import Any, List

from sqlalchemy.exc import SQLAlchemyError

from bot.ops.scale import BackendUnavailable, ensure_database
from bot.settings import Settings
from bot.store.db import make_engine, upgrade_schema


def _revision(url: str) -> Any:
    from bot.store import schema

    engine = make_engine(url, create_schema=False)
    try:
        with engine.connect() as connection:
            return schema.current(connection)
    finally:
        engine.dispose()


def cmd_db_upgrade(settings: Settings, _args: argparse.Namespace) -> int:
    """Migrate the project's database to the newest revision (creating the database when scaling out)."""
    from bot.store.schema import SchemaMismatch, head

    try:
        if settings.scale_out:
            for url in dict.fromkeys((settings.database_url, settings.tracker_url)):
                ensure_database(url)
        before = _revision(settings.database_url)
        engine = make_engine(settings.database_url, create_schema=False)
        try:
            upgrade_schema(engine)
        finally:
            engine.dispose()
    except (BackendUnavailable, SchemaMismatch, SQLAlchemyError) as exc:
        print(f"Could not upgrade the database: {exc}", file=sys.stderr)
        return 1
    after = head()
    print(f"Database at revision {after} (the newest)"
          + ("." if before == after else f", upgraded from {before or 'no revision'}."))
    return 0


def cmd_db_current(settings: Settings, _args: argparse.Namespace) -> int:
    """Print the database's revision; exit 1 unless it is the newest."""
    from bot.store.schema import head

    try:
        revision = _revision(settings.database_url)
    except SQLAlchemyError as exc:
        print(f"Could not read the database: {exc}", file=sys.stderr)
        return 1
    if revision == head():
        print(f"{revision} (the newest)")
        return 0
    if revision is None:
        print("No revision: the database is empty or was made before migrations. `python -m bot db upgrade` "
              "brings it up to date.")
    else:
        print(f"{revision}; the newest is {head()}. `python -m bot db upgrade` brings it up to date.")
    return 1


def cmd_db_revision(_settings: Settings, args: argparse.Namespace) -> int:
    """Write a new revision: what the models have that the migrations do not (autogenerate)."""
    from bot.store.schema import alembic_config  # first: it quiets Alembic's import-time logging
    from alembic import command

    written: List[str] = []

    def keep_unless_empty(_context: Any, _revision: Any, directives: List[Any]) -> None:
        if not args.empty and directives[0].upgrade_ops.is_empty():
            directives.clear()
        written.extend(d.rev_id for d in directives)

    # Compared with a scratch SQLite database brought to the newest revision, unless --url says otherwise.
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(args.url or f"sqlite:///{folder}/scratch.db")
        try:
            with engine.begin() as connection:
                command.revision(alembic_config(connection), message=args.message, autogenerate=not args.empty,
                                 process_revision_directives=keep_unless_empty)
        finally:
            engine.dispose()
    if not written:
        print("The models and the migrations agree: no revision written.")
        return 1
    print("Review the new file (see bot/store/migrations/README.md), then run the migration tests.")
    return 0


def add_parser(commands: Any) -> None:
    """Add `db upgrade`, `db current` and `db revision` to the command-line parser."""
    db = commands.add_parser("db", help="database schema").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="migrate the database to the newest revision").set_defaults(func=cmd_db_upgrade)
    db.add_parser("current", help="show the database's revision (exit 1 unless the newest)").set_defaults(func=cmd_db_current)
    revision = db.add_parser("revision", help="write a new revision from the models (autogenerate)")
    revision.add_argument("-m", "--message", required=True, help="what the change does, e.g. 'volunteers: add phone'")
    revision.add_argument("--empty", action="store_true", help="write an empty revision to fill in by hand (data migrations)")
    revision.add_argument("--url", help="compare with this database instead of a scratch SQLite one")
    revision.set_defaults(func=cmd_db_revision)
