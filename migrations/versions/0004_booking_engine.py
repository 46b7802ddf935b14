"""Booking engine: contacts, one open request per patient, message variables.

- contact: a phone number known to a practice, with the patient's language and
  the time of their last message (WhatsApp's 24-hour window);
- at most one pending request per patient phone and practice (partial unique
  index). If an older database holds duplicates this fails loudly rather than
  guessing which hold to drop;
- a partial index over pending requests by deadline, for the expiry sweep;
- reservations looked up by code;
- message_log.variables: the facts a message was written from (for templates);
- reservation_request.status may also be 'cancelled' (the patient withdrew the
  request before the doctor answered), so that every hold ends in a status that
  says what happened.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db import gen_random_uuid

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOW = sa.text("CURRENT_TIMESTAMP")
TS = sa.DateTime(timezone=True)
PENDING = sa.text("status = 'pending'")
SEED_STATUSES = "'pending', 'approved', 'rejected', 'expired'"


def upgrade() -> None:
    op.create_table(
        "contact",
        sa.Column("id", sa.Uuid(), server_default=gen_random_uuid(), nullable=False),
        sa.Column(
            "profile_id",
            sa.Uuid(),
            sa.ForeignKey("profile.id", ondelete="CASCADE", name="fk_contact_profile_id_profile"),
            nullable=False,
        ),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("language", sa.String(8)),
        sa.Column("last_inbound_at", TS),
        sa.Column("created_at", TS, server_default=NOW, nullable=False),
        sa.Column("updated_at", TS, server_default=NOW),
        sa.CheckConstraint("language IN ('es', 'en')", name="ck_contact_language"),
        sa.PrimaryKeyConstraint("id", name="pk_contact"),
        sa.UniqueConstraint("profile_id", "phone", name="uq_contact_profile_id_phone"),
    )
    with op.batch_alter_table("message_log") as batch:
        batch.add_column(sa.Column("variables", sa.JSON()))
    op.create_index("ix_reservation_profile_code", "reservation", ["profile_id", "code"])
    op.create_index(
        "ix_request_pending_expires",
        "reservation_request",
        ["expires_at"],
        postgresql_where=PENDING,
        sqlite_where=PENDING,
    )
    op.create_index(
        "uq_request_open_per_phone",
        "reservation_request",
        ["profile_id", "patient_phone"],
        unique=True,
        postgresql_where=PENDING,
        sqlite_where=PENDING,
    )
    with op.batch_alter_table("reservation_request") as batch:
        batch.drop_constraint("chk_request_status", type_="check")
        batch.create_check_constraint(
            "chk_request_status", f"status IN ({SEED_STATUSES}, 'cancelled')"
        )


def downgrade() -> None:
    # A cancelled request ended without the doctor's answer: the seed calls that expired.
    op.execute("UPDATE reservation_request SET status = 'expired' WHERE status = 'cancelled'")
    with op.batch_alter_table("reservation_request") as batch:
        batch.drop_constraint("chk_request_status", type_="check")
        batch.create_check_constraint("chk_request_status", f"status IN ({SEED_STATUSES})")
    op.drop_index("uq_request_open_per_phone", "reservation_request")
    op.drop_index("ix_request_pending_expires", "reservation_request")
    op.drop_index("ix_reservation_profile_code", "reservation")
    with op.batch_alter_table("message_log") as batch:
        batch.drop_column("variables")
    op.drop_table("contact")
