"""Erasure: the clinical records the law keeps are blocked, sealed, until their time ends.

- profile.clinical_record_years: how long an attended visit's record is kept once its
  patient asked for erasure (1-50; NULL: the country's law, app.rights.deadlines).
- blocked_record: such a record, sealed whole (app.sealed), with the day it is erased.

No column changes type: the clinical text columns sealed from this release on are
still `text` (app.sealed); `flask keys rotate` seals the values written before.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db import gen_random_uuid

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("profile") as batch:
        batch.add_column(sa.Column("clinical_record_years", sa.Integer(), nullable=True))
        batch.create_check_constraint(
            "ck_profile_clinical_record_years", "clinical_record_years BETWEEN 1 AND 50"
        )
    op.create_table(
        "blocked_record",
        sa.Column("id", sa.Uuid(), server_default=gen_random_uuid(), nullable=False),
        sa.Column("profile_id", sa.Uuid(), nullable=False),
        sa.Column("blocked_until", TS, nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.Column("blocked_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profile.id"],
            name="fk_blocked_record_profile_id_profile", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_blocked_record"),
    )  # fmt: skip
    op.create_index("ix_blocked_record_blocked_until", "blocked_record", ["blocked_until"])


def downgrade() -> None:
    op.drop_index("ix_blocked_record_blocked_until", table_name="blocked_record")
    op.drop_table("blocked_record")
    with op.batch_alter_table("profile") as batch:
        batch.drop_constraint("ck_profile_clinical_record_years", type_="check")
        batch.drop_column("clinical_record_years")
