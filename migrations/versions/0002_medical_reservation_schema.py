"""The seed's migration: medical columns on profile, the wellness renames, six new tables.

Written from the seed document (000_731950e010f1f802) with these corrections:
- instants are `timestamp with time zone` (UTC) instead of `timestamp`;
- the seed's `ALTER TABLE profile ADD COLUMN IF NOT EXISTS a, b, ...` is not valid
  SQL: it means one ADD COLUMN per column, which is what is done here;
- the seed's rollback forgets to rename the wellness tables back; this one does.
Indexes are built `CONCURRENTLY` on PostgreSQL, which cannot run in a transaction,
hence the autocommit block.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db import gen_random_uuid

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOW = sa.text("CURRENT_TIMESTAMP")
TS = sa.DateTime(timezone=True)

def _profile_columns() -> list[sa.Column]:
    return [
        sa.Column("medical_license", sa.String(50)),
        sa.Column("specialty", sa.String(100)),
        sa.Column("practice_type", sa.String(50), server_default="general"),
        sa.Column("appointment_approval_required", sa.Boolean(), server_default=sa.true()),
        sa.Column("max_appointment_duration", sa.Integer(), server_default="60"),
        sa.Column("buffer_time_minutes", sa.Integer(), server_default="15"),
        sa.Column("cancellation_policy", sa.Text()),
    ]

# (index name, table, columns) exactly as the seed names them.
INDEXES = [
    ("idx_medical_service_profile_id", "medical_service", ["profile_id"]),
    ("idx_medical_service_category", "medical_service", ["category"]),
    ("idx_medical_service_active", "medical_service", ["is_active"]),
    ("idx_availability_profile_id", "availability_rule", ["profile_id"]),
    ("idx_availability_day", "availability_rule", ["day_of_week"]),
    ("idx_availability_active", "availability_rule", ["is_active"]),
    ("idx_time_slot_profile_id", "time_slot", ["profile_id"]),
    ("idx_time_slot_service_id", "time_slot", ["service_id"]),
    ("idx_time_slot_start_time", "time_slot", ["start_time"]),
    ("idx_time_slot_status", "time_slot", ["status"]),
    ("idx_time_slot_expires", "time_slot", ["expires_at"]),
    ("idx_request_profile_id", "reservation_request", ["profile_id"]),
    ("idx_request_slot_id", "reservation_request", ["slot_id"]),
    ("idx_request_status", "reservation_request", ["status"]),
    ("idx_request_expires", "reservation_request", ["expires_at"]),
    ("idx_request_patient_phone", "reservation_request", ["patient_phone"]),
    ("idx_reservation_profile_id", "reservation", ["profile_id"]),
    ("idx_reservation_slot_id", "reservation", ["slot_id"]),
    ("idx_reservation_status", "reservation", ["status"]),
    ("idx_reservation_patient_phone", "reservation", ["patient_phone"]),
    ("idx_reservation_created", "reservation", ["created_at"]),
    ("idx_note_reservation_id", "appointment_note", ["reservation_id"]),
    ("idx_note_profile_id", "appointment_note", ["profile_id"]),
    ("idx_note_type", "appointment_note", ["note_type"]),
]


def _id() -> sa.Column:
    return sa.Column("id", sa.Uuid(), server_default=gen_random_uuid(), nullable=False)


def _fk(
    table: str, column: str, target: str, ondelete: str | None = "CASCADE", nullable: bool = False
) -> sa.Column:
    return sa.Column(
        column,
        sa.Uuid(),
        sa.ForeignKey(f"{target}.id", ondelete=ondelete, name=f"fk_{table}_{column}_{target}"),
        nullable=nullable,
    )


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", TS, server_default=NOW),
        sa.Column("updated_at", TS, server_default=NOW),
    ]


def upgrade() -> None:
    for column in _profile_columns():
        op.add_column("profile", column)

    op.rename_table("health_survey", "patient_assessment")
    op.rename_table("social_click", "appointment_source_tracking")

    op.create_table(
        "medical_service",
        _id(),
        _fk("medical_service", "profile_id", "profile"),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("duration", sa.Integer(), nullable=False),
        sa.Column("price", sa.Numeric(10, 2)),
        sa.Column("category", sa.String(100)),
        sa.Column("requirements", sa.Text()),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name="pk_medical_service"),
    )
    op.create_table(
        "availability_rule",
        _id(),
        _fk("availability_rule", "profile_id", "profile"),
        sa.Column("day_of_week", sa.Integer(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.Column("slot_duration", sa.Integer(), server_default="30", nullable=False),
        sa.Column("buffer_time", sa.Integer(), server_default="0"),
        sa.Column("max_appointments_per_slot", sa.Integer(), server_default="1"),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("effective_from", sa.Date(), server_default=sa.text("CURRENT_DATE")),
        sa.Column("effective_to", sa.Date()),
        *_stamps(),
        sa.CheckConstraint(
            "day_of_week >= 0 AND day_of_week <= 6", name="availability_rule_day_of_week_check"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_availability_rule"),
    )
    op.create_table(
        "time_slot",
        _id(),
        _fk("time_slot", "profile_id", "profile"),
        _fk("time_slot", "service_id", "medical_service"),
        sa.Column("start_time", TS, nullable=False),
        sa.Column("end_time", TS, nullable=False),
        sa.Column("max_reservations", sa.Integer(), server_default="1", nullable=False),
        sa.Column("current_reservations", sa.Integer(), server_default="0", nullable=False),
        sa.Column("status", sa.String(50), server_default="available", nullable=False),
        sa.Column("created_at", TS, server_default=NOW),
        sa.Column("expires_at", TS),
        sa.CheckConstraint(
            "status IN ('available', 'pending_approval', 'reserved', 'expired', 'blocked')",
            name="chk_time_slot_status",
        ),
        sa.CheckConstraint("end_time > start_time", name="chk_time_slot_logic"),
        sa.PrimaryKeyConstraint("id", name="pk_time_slot"),
    )
    op.create_table(
        "reservation_request",
        _id(),
        _fk("reservation_request", "profile_id", "profile"),
        _fk("reservation_request", "slot_id", "time_slot"),
        _fk("reservation_request", "service_id", "medical_service"),
        sa.Column("patient_name", sa.String(255), nullable=False),
        sa.Column("patient_phone", sa.String(50), nullable=False),
        sa.Column("patient_email", sa.String(255)),
        sa.Column("patient_age", sa.Integer()),
        sa.Column("patient_gender", sa.String(20)),
        sa.Column("chief_complaint", sa.Text()),
        sa.Column("symptoms", sa.Text()),
        sa.Column("medical_history", sa.Text()),
        sa.Column("current_medications", sa.Text()),
        sa.Column("allergies", sa.Text()),
        sa.Column("urgency_level", sa.String(20), server_default="normal"),
        sa.Column("preferred_contact_method", sa.String(20), server_default="whatsapp"),
        sa.Column("status", sa.String(50), server_default="pending", nullable=False),
        sa.Column("requested_time", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        _fk("reservation_request", "approved_by", "profile", ondelete=None, nullable=True),
        sa.Column("approved_at", TS),
        sa.Column("rejection_reason", sa.Text()),
        *_stamps(),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'rejected', 'expired')", name="chk_request_status"
        ),
        sa.CheckConstraint(
            "urgency_level IN ('low', 'normal', 'high', 'urgent')", name="chk_urgency_level"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_reservation_request"),
    )
    op.create_table(
        "reservation",
        _id(),
        _fk("reservation", "profile_id", "profile"),
        _fk("reservation", "slot_id", "time_slot"),
        _fk("reservation", "service_id", "medical_service"),
        _fk(
            "reservation", "request_id", "reservation_request", ondelete="SET NULL", nullable=True
        ),
        sa.Column("patient_name", sa.String(255), nullable=False),
        sa.Column("patient_phone", sa.String(50), nullable=False),
        sa.Column("patient_email", sa.String(255)),
        sa.Column("status", sa.String(50), server_default="confirmed", nullable=False),
        sa.Column("source", sa.String(50), server_default="whatsapp"),
        sa.Column("notes", sa.Text()),
        sa.Column("reminder_24h_sent", sa.Boolean(), server_default=sa.false()),
        sa.Column("reminder_2h_sent", sa.Boolean(), server_default=sa.false()),
        sa.Column("reminder_24h_scheduled", sa.Boolean(), server_default=sa.false()),
        sa.Column("reminder_2h_scheduled", sa.Boolean(), server_default=sa.false()),
        sa.Column("completed_at", TS),
        sa.Column("no_show", sa.Boolean(), server_default=sa.false()),
        sa.Column("price_at_booking", sa.Numeric(10, 2)),
        sa.Column("payment_status", sa.String(50), server_default="pending"),
        *_stamps(),
        sa.Column("cancelled_at", TS),
        sa.CheckConstraint(
            "status IN ('confirmed', 'cancelled', 'completed', 'no_show')",
            name="chk_reservation_status",
        ),
        sa.CheckConstraint(
            "payment_status IN ('pending', 'paid', 'cancelled')", name="chk_payment_status"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_reservation"),
    )
    op.create_table(
        "appointment_note",
        _id(),
        _fk("appointment_note", "reservation_id", "reservation"),
        _fk("appointment_note", "profile_id", "profile"),
        sa.Column("note_type", sa.String(50), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("is_private", sa.Boolean(), server_default=sa.false()),
        *_stamps(),
        sa.CheckConstraint(
            "note_type IN ('diagnosis', 'treatment', 'follow_up', 'prescription')",
            name="chk_note_type",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_appointment_note"),
    )

    if op.get_bind().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            for name, table, columns in INDEXES:
                op.create_index(
                    name, table, columns, postgresql_concurrently=True, if_not_exists=True
                )
    else:
        for name, table, columns in INDEXES:
            op.create_index(name, table, columns, if_not_exists=True)


def downgrade() -> None:
    # Dropping a table drops its indexes too.
    for table in (
        "appointment_note",
        "reservation",
        "reservation_request",
        "time_slot",
        "availability_rule",
        "medical_service",
    ):
        op.drop_table(table)
    op.rename_table("appointment_source_tracking", "social_click")
    op.rename_table("patient_assessment", "health_survey")
    with op.batch_alter_table("profile") as batch:
        for column in reversed(_profile_columns()):
            batch.drop_column(column.name)
