"""Evidence counts and unanswered groups (issue 14 parts 3 and 4).

evidence_counts holds the monthly counters of the forum's evidence report
(bot/store/evidence.py): no text, no conversation link, no time finer than
the month. unanswered_groups holds coordinators' decisions about groups of
similar unanswered questions (bot/store/unanswered_groups.py).

Revision ID: 5e255a9bda84
Revises: 2d5c6e9a1940
Create Date: 2026-11-30 18:11:48.219270
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "5e255a9bda84"
down_revision: Union[str, Sequence[str], None] = "2d5c6e9a1940"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Create the two tables."""
    op.create_table(
        "evidence_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("measure", sa.String(length=32), nullable=False),
        sa.Column("item", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("month", "measure", "item", "channel", name="uq_evidence_counts_cell"),
    )
    with op.batch_alter_table("evidence_counts") as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_counts_month"), ["month"], unique=False)
    op.create_table(
        "unanswered_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_key", sa.String(length=64), nullable=False),
        sa.Column("words", sa.JSON(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("draft_id", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("group_key"),
    )


def downgrade() -> None:
    """Drop the two tables, their data included."""
    op.drop_table("unanswered_groups")
    with op.batch_alter_table("evidence_counts") as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_counts_month"))
    op.drop_table("evidence_counts")
