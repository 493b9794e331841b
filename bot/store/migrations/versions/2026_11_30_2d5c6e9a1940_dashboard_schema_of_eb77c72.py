"""Dashboard: what the code of commit eb77c72 added with create_all, the last schema before migrations.

The volunteer_links table, volunteers.last_login_at, an index on the audit
log's action, and the triggers that make the audit log append-only
(bot/store/audit.py; copied here as they were, because a revision must not
change when that module does). A database made before migrations may have
any of these already, or none (create_all never added a column to a table
that existed), so each step is skipped when its result is there; the
triggers' statements are written to be run again.

Revision ID: 2d5c6e9a1940
Revises: 0da5ae0955a1
Create Date: 2026-11-30 16:10:46.538993
"""

from typing import Dict, Sequence, Tuple, Union

import sqlalchemy as sa
from alembic import op

revision: str = "2d5c6e9a1940"
down_revision: Union[str, Sequence[str], None] = "0da5ae0955a1"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

AUDIT = "review_audit_log"
APPEND_ONLY: Dict[str, Tuple[str, ...]] = {
    "sqlite": (
        f"CREATE TRIGGER IF NOT EXISTS {AUDIT}_no_update BEFORE UPDATE ON {AUDIT} "
        f"BEGIN SELECT RAISE(ABORT, '{AUDIT} is append-only'); END",
        f"CREATE TRIGGER IF NOT EXISTS {AUDIT}_no_delete BEFORE DELETE ON {AUDIT} "
        f"BEGIN SELECT RAISE(ABORT, '{AUDIT} is append-only'); END",
    ),
    "postgresql": (
        f"CREATE OR REPLACE FUNCTION {AUDIT}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{AUDIT} is append-only'; END $$",
        f"DROP TRIGGER IF EXISTS {AUDIT}_append_only ON {AUDIT}",
        f"CREATE TRIGGER {AUDIT}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON {AUDIT} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {AUDIT}_append_only()",
    ),
}
DROP_APPEND_ONLY: Dict[str, Tuple[str, ...]] = {
    "sqlite": (f"DROP TRIGGER IF EXISTS {AUDIT}_no_update", f"DROP TRIGGER IF EXISTS {AUDIT}_no_delete"),
    "postgresql": (f"DROP TRIGGER IF EXISTS {AUDIT}_append_only ON {AUDIT}", f"DROP FUNCTION IF EXISTS {AUDIT}_append_only()"),
}


def upgrade() -> None:
    """Add what the database does not have yet."""
    inspector = sa.inspect(op.get_bind())
    if not inspector.has_table("volunteer_links"):
        op.create_table(
            "volunteer_links",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("token_hash", sa.String(length=64), nullable=False),
            sa.Column("volunteer_id", sa.Integer(), nullable=False),
            sa.Column("purpose", sa.String(length=16), nullable=False),
            sa.Column("created_by", sa.Integer(), nullable=True),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("expires_at", sa.DateTime(), nullable=False),
            sa.Column("used_at", sa.DateTime(), nullable=True),
            sa.ForeignKeyConstraint(["volunteer_id"], ["volunteers.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("token_hash"),
        )
        op.create_index(op.f("ix_volunteer_links_expires_at"), "volunteer_links", ["expires_at"], unique=False)
        op.create_index(op.f("ix_volunteer_links_volunteer_id"), "volunteer_links", ["volunteer_id"], unique=False)
    if "ix_review_audit_log_action" not in {index["name"] for index in inspector.get_indexes(AUDIT)}:
        op.create_index(op.f("ix_review_audit_log_action"), AUDIT, ["action"], unique=False)
    if "last_login_at" not in {column["name"] for column in inspector.get_columns("volunteers")}:
        with op.batch_alter_table("volunteers") as batch_op:
            batch_op.add_column(sa.Column("last_login_at", sa.DateTime(), nullable=True))
    for statement in APPEND_ONLY.get(op.get_bind().dialect.name, ()):
        op.execute(statement)


def downgrade() -> None:
    """Remove this revision's additions, data in them included."""
    for statement in DROP_APPEND_ONLY.get(op.get_bind().dialect.name, ()):
        op.execute(statement)
    op.drop_index(op.f("ix_review_audit_log_action"), table_name=AUDIT)
    op.drop_table("volunteer_links")
    with op.batch_alter_table("volunteers") as batch_op:
        batch_op.drop_column("last_login_at")
