"""The content pool: the Twilio Content resources lists and buttons are sent as.

- content_resource: per Twilio account, one row per pool entry (`key`, e.g.
  ``list-picker:7:es``) with its Content SID and the SHA-256 of the definition it
  was made from, written by `flask content sync`.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db import gen_random_uuid

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOW = sa.text("CURRENT_TIMESTAMP")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "content_resource",
        sa.Column("id", sa.Uuid(), server_default=gen_random_uuid(), nullable=False),
        sa.Column("account_sid", sa.String(34), nullable=False),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("sid", sa.String(34), nullable=False),
        sa.Column("definition_hash", sa.String(64), nullable=False),
        sa.Column("created_at", TS, server_default=NOW, nullable=False),
        sa.Column("updated_at", TS, server_default=NOW, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_content_resource"),
        sa.UniqueConstraint("account_sid", "key", name="uq_content_resource_account_sid_key"),
    )


def downgrade() -> None:
    op.drop_table("content_resource")
