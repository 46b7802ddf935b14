"""The practice's web desk: members, sign-in codes, sessions and the audit log.

- practice_member: a person who runs a practice (the doctor, or staff the doctor
  added), with a role; their calendar feed's token hash; a lock after wrong codes.
- desk_code: a one-time sign-in code (its keyed hash), 10 minutes, 5 tries.
- desk_session: a signed-in browser (the hash of its cookie's token).
- audit_log: who read a patient's intake or notes, or changed what, and when.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db import gen_random_uuid

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOW = sa.text("CURRENT_TIMESTAMP")
TS = sa.DateTime(timezone=True)
CURRENT = sa.text("removed_at IS NULL")


def upgrade() -> None:
    op.create_table(
        "practice_member",
        sa.Column("id", sa.Uuid(), server_default=gen_random_uuid(), nullable=False),
        sa.Column("profile_id", sa.Uuid(), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("feed_token_hash", sa.String(64)),
        sa.Column("locked_until", TS),
        sa.Column("created_at", TS, server_default=NOW, nullable=False),
        sa.Column("removed_at", TS),
        sa.CheckConstraint("role IN ('doctor', 'staff')", name="ck_practice_member_role"),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profile.id"],
            name="fk_practice_member_profile_id_profile", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_practice_member"),
        sa.UniqueConstraint("feed_token_hash", name="uq_practice_member_feed_token_hash"),
    )  # fmt: skip
    op.create_index(
        "uq_practice_member_current",
        "practice_member",
        ["profile_id", "phone"],
        unique=True,
        postgresql_where=CURRENT,
        sqlite_where=CURRENT,
    )
    op.create_index("ix_practice_member_phone", "practice_member", ["phone"])
    op.create_table(
        "desk_code",
        sa.Column("id", sa.Uuid(), server_default=gen_random_uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid()),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("address", sa.String(45), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("used_at", TS),
        sa.ForeignKeyConstraint(
            ["member_id"], ["practice_member.id"],
            name="fk_desk_code_member_id_practice_member", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_desk_code"),
    )  # fmt: skip
    op.create_index("ix_desk_code_member_created", "desk_code", ["member_id", "created_at"])
    op.create_index("ix_desk_code_address_created", "desk_code", ["address", "created_at"])
    op.create_table(
        "desk_session",
        sa.Column("id", sa.Uuid(), server_default=gen_random_uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("address", sa.String(45), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("last_seen_at", TS, nullable=False),
        sa.Column("ended_at", TS),
        sa.ForeignKeyConstraint(
            ["member_id"], ["practice_member.id"],
            name="fk_desk_session_member_id_practice_member", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_desk_session"),
        sa.UniqueConstraint("token_hash", name="uq_desk_session_token_hash"),
    )  # fmt: skip
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Uuid(), server_default=gen_random_uuid(), nullable=False),
        sa.Column("profile_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid()),
        sa.Column("session_id", sa.Uuid()),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(80)),
        sa.Column("detail", sa.JSON()),
        sa.Column("at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profile.id"],
            name="fk_audit_log_profile_id_profile", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["practice_member.id"],
            name="fk_audit_log_member_id_practice_member", ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["desk_session.id"],
            name="fk_audit_log_session_id_desk_session", ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )  # fmt: skip
    op.create_index("ix_audit_log_profile_at", "audit_log", ["profile_id", "at"])


def downgrade() -> None:
    op.drop_table("audit_log")
    op.drop_table("desk_session")
    op.drop_table("desk_code")
    op.drop_table("practice_member")
