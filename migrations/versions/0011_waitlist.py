"""The waitlist: patients waiting for a place to free, and the places offered to them.

- waitlist_entry: a phone waiting for a service between two local days, in a part of
  the day (`any`, `morning`, `afternoon`); one active entry per phone and service.
- waitlist_offer: a freed place offered to an entry until `expires_at`; a place is
  offered to a few entries at once and the first to accept holds it. Never twice to
  the same entry.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db import gen_random_uuid

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOW = sa.text("CURRENT_TIMESTAMP")
TS = sa.DateTime(timezone=True)
ACTIVE = sa.text("status IN ('waiting', 'offered')")
WAITING = sa.text("status = 'waiting'")
OPEN = sa.text("status = 'open'")


def upgrade() -> None:
    op.create_table(
        "waitlist_entry",
        sa.Column("id", sa.Uuid(), server_default=gen_random_uuid(), nullable=False),
        sa.Column("profile_id", sa.Uuid(), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("day_part", sa.String(10), server_default="any", nullable=False),
        sa.Column("status", sa.String(10), server_default="waiting", nullable=False),
        sa.Column("created_at", TS, server_default=NOW, nullable=False),
        sa.Column("updated_at", TS, server_default=NOW, nullable=False),
        sa.CheckConstraint(
            "status IN ('waiting', 'offered', 'booked', 'left', 'expired')",
            name="ck_waitlist_entry_status",
        ),
        sa.CheckConstraint(
            "day_part IN ('any', 'morning', 'afternoon')", name="ck_waitlist_entry_day_part"
        ),
        sa.CheckConstraint("last_day >= first_day", name="ck_waitlist_entry_days"),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profile.id"],
            name="fk_waitlist_entry_profile_id_profile", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["medical_service.id"],
            name="fk_waitlist_entry_service_id_medical_service", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_waitlist_entry"),
    )  # fmt: skip
    op.create_index(
        "uq_waitlist_entry_active",
        "waitlist_entry",
        ["profile_id", "phone", "service_id"],
        unique=True,
        postgresql_where=ACTIVE,
        sqlite_where=ACTIVE,
    )
    op.create_index(
        "ix_waitlist_entry_queue",
        "waitlist_entry",
        ["profile_id", "service_id", "created_at"],
        postgresql_where=WAITING,
        sqlite_where=WAITING,
    )
    op.create_table(
        "waitlist_offer",
        sa.Column("id", sa.Uuid(), server_default=gen_random_uuid(), nullable=False),
        sa.Column("entry_id", sa.Uuid(), nullable=False),
        sa.Column("slot_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(10), server_default="open", nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("created_at", TS, server_default=NOW, nullable=False),
        sa.Column("updated_at", TS, server_default=NOW, nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'accepted', 'declined', 'expired', 'gone')",
            name="ck_waitlist_offer_status",
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["waitlist_entry.id"],
            name="fk_waitlist_offer_entry_id_waitlist_entry", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["slot_id"], ["time_slot.id"],
            name="fk_waitlist_offer_slot_id_time_slot", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_waitlist_offer"),
        sa.UniqueConstraint("entry_id", "slot_id", name="uq_waitlist_offer_entry_id_slot_id"),
    )  # fmt: skip
    op.create_index("ix_waitlist_offer_slot", "waitlist_offer", ["slot_id"])
    op.create_index(
        "ix_waitlist_offer_open_expires",
        "waitlist_offer",
        ["expires_at"],
        postgresql_where=OPEN,
        sqlite_where=OPEN,
    )


def downgrade() -> None:
    op.drop_table("waitlist_offer")
    op.drop_table("waitlist_entry")
