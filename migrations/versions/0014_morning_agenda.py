"""The doctor's morning agenda.

- profile.agenda_hour: the practice's local hour (0-23) from which the doctor is sent
  the day's agenda on WhatsApp; 7 unless the clinic file says otherwise.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("profile") as batch:
        batch.add_column(sa.Column("agenda_hour", sa.Integer(), server_default="7", nullable=False))
        batch.create_check_constraint("ck_profile_agenda_hour", "agenda_hour BETWEEN 0 AND 23")


def downgrade() -> None:
    with op.batch_alter_table("profile") as batch:
        batch.drop_constraint("ck_profile_agenda_hour", type_="check")
        batch.drop_column("agenda_hour")
