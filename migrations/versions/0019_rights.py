"""The rights register: patients' data-rights requests, their legal deadline and answer.

- rights_request: who asked (practice, phone), what (access, correction, withdrawal,
  erasure), when, by when the practice must answer, and when and how it did. No
  health data.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db import gen_random_uuid

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "rights_request",
        sa.Column("id", sa.Uuid(), server_default=gen_random_uuid(), nullable=False),
        sa.Column("profile_id", sa.Uuid(), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("requested_at", TS, nullable=False),
        sa.Column("due_at", TS, nullable=False),
        sa.Column("answered_at", TS, nullable=True),
        sa.Column("how_answered", sa.String(80), nullable=True),
        sa.CheckConstraint(
            "kind IN ('access', 'correction', 'withdrawal', 'erasure')",
            name="ck_rights_request_kind",
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profile.id"],
            name="fk_rights_request_profile_id_profile", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_rights_request"),
    )  # fmt: skip
    op.create_index("ix_rights_request_profile_due", "rights_request", ["profile_id", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_rights_request_profile_due", table_name="rights_request")
    op.drop_table("rights_request")
