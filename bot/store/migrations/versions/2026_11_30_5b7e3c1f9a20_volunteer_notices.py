"""Volunteer notices: preferences, the notices outbox, and progress messages for parents (issue 14 parts 1-2).

Revision ID: 5b7e3c1f9a20
Revises: 5e255a9bda84
Create Date: 2026-11-30 18:30:00
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "5b7e3c1f9a20"
down_revision: Union[str, Sequence[str], None] = "5e255a9bda84"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Add the three tables."""
    op.create_table(
        "notice_preferences",
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("days", sa.String(length=32), nullable=False),
        sa.Column("on_from", sa.Integer(), nullable=False),
        sa.Column("on_until", sa.Integer(), nullable=False),
        sa.Column("quiet_from", sa.Integer(), nullable=True),
        sa.Column("quiet_until", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["volunteer_id"], ["volunteers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("volunteer_id"),
    )
    op.create_table(
        "volunteer_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("escalation_ids", sa.JSON(), nullable=False),
        sa.Column("last_escalation_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("next_try_at", sa.DateTime(), nullable=False),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=64), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("recipient", "kind", "last_escalation_id", name="uq_volunteer_notices_recipient_kind_last"),
    )
    op.create_index(op.f("ix_volunteer_notices_recipient"), "volunteer_notices", ["recipient"], unique=False)
    op.create_index(op.f("ix_volunteer_notices_created_at"), "volunteer_notices", ["created_at"], unique=False)
    op.create_index(op.f("ix_volunteer_notices_sent_at"), "volunteer_notices", ["sent_at"], unique=False)
    op.create_table(
        "parent_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("escalation_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["escalation_id"], ["escalations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("escalation_id", "kind", name="uq_parent_notices_escalation_kind"),
    )
    for column in ("escalation_id", "conversation_id", "channel", "delivered_at"):
        op.create_index(op.f(f"ix_parent_notices_{column}"), "parent_notices", [column], unique=False)


def downgrade() -> None:
    """Drop the three tables, their data included."""
    op.drop_table("parent_notices")
    op.drop_table("volunteer_notices")
    op.drop_table("notice_preferences")
