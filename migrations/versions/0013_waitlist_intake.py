"""The answers a waiting patient gave, kept with their waitlist entry.

- waitlist_entry.intake: the patient's details and clinical intake (JSON), reused for
  the request when they accept a place; cleared when the entry leaves the list.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("waitlist_entry") as batch:
        batch.add_column(sa.Column("intake", sa.JSON()))


def downgrade() -> None:
    with op.batch_alter_table("waitlist_entry") as batch:
        batch.drop_column("intake")
