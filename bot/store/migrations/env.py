"""Alembic's entry point: run the migrations on the connection bot/store/schema.py passes in.

There is no alembic.ini: bot/store/schema.py builds the configuration in
code and hands over a connection that already holds the schema lock, so
this file never opens one of its own.
"""

from typing import Optional, Set

from alembic import context

from bot.store.registry import metadata

config = context.config
OURS: Set[str] = set(metadata.tables)


def include_name(name: Optional[str], type_: str, _parents: object) -> bool:
    """Compare only the project's tables: Rasa's `events` may share the database (scale-out)."""
    return type_ != "table" or name in OURS


def run_migrations_online() -> None:
    """Run the migrations (or compare for autogenerate) on the connection given in the config."""
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("Run migrations through `python -m bot db ...` (bot/store/schema.py), not the alembic CLI.")
    context.configure(
        connection=connection, target_metadata=metadata, include_name=include_name,
        # SQLite can add a column but not alter or drop one: batch mode copies the table for those.
        render_as_batch=True, compare_type=True, compare_server_default=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("Offline (--sql) migrations are not supported; run `python -m bot db upgrade`.")
run_migrations_online()
