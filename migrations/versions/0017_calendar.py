"""Calendar files: the patient's "add to calendar" link names its appointment by a token.

- reservation.calendar_token: unguessable, unique; NULL for appointments made before
  (their confirmations carried no link).

The members' private feeds need nothing here: practice_member.feed_token_hash came
with 0016.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reservation") as batch:
        batch.add_column(sa.Column("calendar_token", sa.String(32)))
        batch.create_unique_constraint("uq_reservation_calendar_token", ["calendar_token"])


def downgrade() -> None:
    with op.batch_alter_table("reservation") as batch:
        batch.drop_constraint("uq_reservation_calendar_token", type_="unique")
        batch.drop_column("calendar_token")
