"""Rescheduling where the doctor approves: a request may ask to move an appointment.

- reservation_request.replaces_reservation_id: the appointment a request would
  replace (NULL for a new booking). The appointment stands until the doctor
  approves the move; approving cancels it and confirms the request, in one
  transaction.
- uq_request_open_per_phone now counts only new bookings: asking to move one's own
  appointment is not a second open request.
- uq_request_open_move: one move at a time per appointment.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING = sa.text("status = 'pending'")
OPEN_BOOKING = sa.text("status = 'pending' AND replaces_reservation_id IS NULL")
OPEN_MOVE = sa.text("status = 'pending' AND replaces_reservation_id IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table("reservation_request") as batch:
        batch.add_column(sa.Column("replaces_reservation_id", sa.Uuid()))
        batch.create_foreign_key(
            "fk_reservation_request_replaces_reservation_id_reservation",
            "reservation",
            ["replaces_reservation_id"],
            ["id"],
            ondelete="CASCADE",
        )
    _open_per_phone(OPEN_BOOKING)
    op.create_index(
        "uq_request_open_move",
        "reservation_request",
        ["replaces_reservation_id"],
        unique=True,
        postgresql_where=OPEN_MOVE,
        sqlite_where=OPEN_MOVE,
    )


def downgrade() -> None:
    # A move still waiting would make a phone's second open request: it lapses.
    op.execute(
        "UPDATE reservation_request SET status = 'expired' "
        "WHERE status = 'pending' AND replaces_reservation_id IS NOT NULL"
    )
    op.drop_index("uq_request_open_move", table_name="reservation_request")
    _open_per_phone(PENDING)
    with op.batch_alter_table("reservation_request") as batch:
        batch.drop_constraint(
            "fk_reservation_request_replaces_reservation_id_reservation", type_="foreignkey"
        )
        batch.drop_column("replaces_reservation_id")


def _open_per_phone(where: sa.TextClause) -> None:
    op.drop_index("uq_request_open_per_phone", table_name="reservation_request")
    op.create_index(
        "uq_request_open_per_phone",
        "reservation_request",
        ["profile_id", "patient_phone"],
        unique=True,
        postgresql_where=where,
        sqlite_where=where,
    )
