"""Baseline: the 12 tables as the code of commit fb0829d made them with create_all.

A database made before migrations may already hold some or all of them.
bot/store/schema.py checks that each one it has matches this revision
before anything runs; only the missing tables are created here. Column
defaults were Python-side (no server defaults) and constraints unnamed, as
create_all made them, so PostgreSQL names them as it did then.

Revision ID: 0da5ae0955a1
Revises:
Create Date: 2026-11-30 14:32:55.467694
"""

from typing import Callable, Sequence, Tuple, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0da5ae0955a1"
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _indexes(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def _unanswered_log() -> None:
    op.create_table(
        "unanswered_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_key", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("text_redacted", sa.Text(), nullable=False),
        sa.Column("intents", sa.JSON(), nullable=False),
        sa.Column("conversation_ref", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("record_key"),
    )
    _indexes("unanswered_log", "conversation_ref", "created_at")


def _feedback() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_key", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("kb_id", sa.String(length=64), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("conversation_ref", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("record_key"),
    )
    _indexes("feedback", "conversation_ref", "created_at", "kb_id")


def _escalations() -> None:
    op.create_table(
        "escalations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("consent_at", sa.DateTime(), nullable=False),
        sa.Column("packet", sa.JSON(), nullable=False),
        sa.Column("topic", sa.String(length=64), nullable=True),
        sa.Column("risk", sa.Boolean(), nullable=False),
        sa.Column("claimed_by", sa.Integer(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("answer_text", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("return_note", sa.Text(), nullable=True),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.Column("kb_candidate", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _indexes("escalations", "conversation_id", "created_at", "state", "topic")


def _deliveries() -> None:
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("escalation_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["escalation_id"], ["escalations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("escalation_id"),
    )
    _indexes("deliveries", "channel", "conversation_id", "delivered_at")


def _button_payload() -> None:
    op.create_table(
        "button_payload",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("conversation_ref", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _indexes("button_payload", "conversation_ref", "created_at")


def _telegram_reminders() -> None:
    op.create_table(
        "telegram_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_ref", sa.String(length=64), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("notice_level", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conversation_ref", "rule", "due"),
    )
    _indexes("telegram_reminders", "conversation_ref", "created_at", "due")


def _telegram_routes() -> None:
    op.create_table(
        "telegram_routes",
        sa.Column("conversation_id", sa.String(length=64), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("conversation_id"),
    )
    _indexes("telegram_routes", "created_at")


def _volunteers() -> None:
    op.create_table(
        "volunteers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("display_name", sa.String(length=80), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )


def _review_sessions() -> None:
    op.create_table(
        "review_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.Column("expires", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["volunteer_id"], ["volunteers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    _indexes("review_sessions", "expires", "volunteer_id")


def _review_audit_log() -> None:
    op.create_table(
        "review_audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("volunteer_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("target_type", sa.String(length=32), nullable=True),
        sa.Column("target_id", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _indexes("review_audit_log", "at", "volunteer_id")


def _web_session() -> None:
    op.create_table(
        "web_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_hash"),
    )
    _indexes("web_session", "last_seen")


def _web_offered_payload() -> None:
    op.create_table(
        "web_offered_payload",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["web_session.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "digest"),
    )
    _indexes("web_offered_payload", "session_id")


# Parents before the tables whose foreign keys point at them.
TABLES: Tuple[Tuple[str, Callable[[], None]], ...] = (
    ("unanswered_log", _unanswered_log), ("feedback", _feedback), ("escalations", _escalations),
    ("deliveries", _deliveries), ("button_payload", _button_payload), ("telegram_reminders", _telegram_reminders),
    ("telegram_routes", _telegram_routes), ("volunteers", _volunteers), ("review_sessions", _review_sessions),
    ("review_audit_log", _review_audit_log), ("web_session", _web_session), ("web_offered_payload", _web_offered_payload),
)


def upgrade() -> None:
    """Create the baseline tables the database does not have yet (all of them in a new database)."""
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    for name, create in TABLES:
        if name not in existing:
            create()


def downgrade() -> None:
    """Drop every baseline table (and with it, its indexes and data)."""
    for name, _create in reversed(TABLES):
        op.drop_table(name)
