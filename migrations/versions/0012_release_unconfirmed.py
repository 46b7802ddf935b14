"""Freeing unconfirmed appointments, where the practice opts in.

- profile.release_unconfirmed_hours: how long before an appointment the patient never
  confirmed its place is freed (and offered to the waitlist); NULL: never.
- reservation.release_warned_at: when the patient was warned it would be.
- reservation.cancelled_by may be 'release'.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
CONSTRAINT = "ck_reservation_cancelled_by"


def upgrade() -> None:
    with op.batch_alter_table("profile") as batch:
        batch.add_column(sa.Column("release_unconfirmed_hours", sa.Integer()))
    with op.batch_alter_table("reservation") as batch:
        batch.add_column(sa.Column("release_warned_at", TS))
        batch.drop_constraint(CONSTRAINT, type_="check")
        batch.create_check_constraint(
            CONSTRAINT, "cancelled_by IN ('patient', 'doctor', 'release')"
        )


def downgrade() -> None:
    # A freed appointment was freed by the practice's rule: the doctor's, as far as 0011 knows.
    op.execute("UPDATE reservation SET cancelled_by = 'doctor' WHERE cancelled_by = 'release'")
    with op.batch_alter_table("reservation") as batch:
        batch.drop_constraint(CONSTRAINT, type_="check")
        batch.create_check_constraint(CONSTRAINT, "cancelled_by IN ('patient', 'doctor')")
        batch.drop_column("release_warned_at")
    with op.batch_alter_table("profile") as batch:
        batch.drop_column("release_unconfirmed_hours")
