"""Attendance: confirmations, who cancelled, and the practice's no-show policy.

- reservation.attendance_confirmed_at: when the patient answered the attendance
  question (the first reminder) with "I'll be there".
- reservation.cancelled_by: 'patient' or 'doctor' (NULL for cancellations before
  this revision); a patient's cancellation inside the practice's window is late.
- profile.attendance_ask_hours: how long before an appointment that question goes.
- profile.cancellation_window_hours: how close to the appointment a cancellation is late.
- profile.no_show_limit / no_show_months / no_show_action: after `limit` no-shows
  within `months` a booking needs the doctor's approval or is not taken by chat;
  NULL limit: no policy.
- contact.no_shows_forgiven_at: the doctor's PERDONAR; earlier no-shows stop counting.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("reservation") as batch:
        batch.add_column(sa.Column("attendance_confirmed_at", TS))
        batch.add_column(sa.Column("cancelled_by", sa.String(20)))
        batch.create_check_constraint(
            "ck_reservation_cancelled_by", "cancelled_by IN ('patient', 'doctor')"
        )
    with op.batch_alter_table("profile") as batch:
        batch.add_column(
            sa.Column("attendance_ask_hours", sa.Integer(), server_default="24", nullable=False)
        )
        batch.add_column(
            sa.Column(
                "cancellation_window_hours", sa.Integer(), server_default="24", nullable=False
            )
        )
        batch.add_column(sa.Column("no_show_limit", sa.Integer()))
        batch.add_column(
            sa.Column("no_show_months", sa.Integer(), server_default="6", nullable=False)
        )
        batch.add_column(
            sa.Column(
                "no_show_action", sa.String(20), server_default="approval", nullable=False
            )
        )
        batch.create_check_constraint(
            "ck_profile_no_show_action", "no_show_action IN ('approval', 'chat_closed')"
        )
    with op.batch_alter_table("contact") as batch:
        batch.add_column(sa.Column("no_shows_forgiven_at", TS))


def downgrade() -> None:
    with op.batch_alter_table("contact") as batch:
        batch.drop_column("no_shows_forgiven_at")
    with op.batch_alter_table("profile") as batch:
        batch.drop_constraint("ck_profile_no_show_action", type_="check")
        for column in (
            "no_show_action",
            "no_show_months",
            "no_show_limit",
            "cancellation_window_hours",
            "attendance_ask_hours",
        ):
            batch.drop_column(column)
    with op.batch_alter_table("reservation") as batch:
        batch.drop_constraint("ck_reservation_cancelled_by", type_="check")
        batch.drop_column("cancelled_by")
        batch.drop_column("attendance_confirmed_at")
