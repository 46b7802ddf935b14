"""Materialised, bookable time slots."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, gen_random_uuid


class SlotStatus(StrEnum):
    AVAILABLE = "available"
    PENDING_APPROVAL = "pending_approval"
    RESERVED = "reserved"
    EXPIRED = "expired"
    BLOCKED = "blocked"


class TimeSlot(Base):
    """One bookable start time of one service.

    Slots of different services of the same practice may overlap as rows (a 60-minute
    and a 30-minute service both start at 09:00). They must never both be *taken*:
    on PostgreSQL the exclusion constraint `ex_time_slot_no_overlap` (migration
    0003, not expressible in the models) forbids two overlapping slots of one
    practice with `current_reservations > 0`, and the booking service checks the
    same rule inside its transaction on every database.
    """

    __tablename__ = "time_slot"
    __table_args__ = (
        CheckConstraint(
            "status IN ('available', 'pending_approval', 'reserved', 'expired', 'blocked')",
            name="chk_time_slot_status",
        ),
        CheckConstraint("end_time > start_time", name="chk_time_slot_logic"),
        CheckConstraint(
            "current_reservations >= 0 AND current_reservations <= max_reservations",
            name="ck_time_slot_capacity",
        ),
        Index("idx_time_slot_profile_id", "profile_id"),
        Index("idx_time_slot_service_id", "service_id"),
        Index("idx_time_slot_start_time", "start_time"),
        Index("idx_time_slot_status", "status"),
        Index("idx_time_slot_expires", "expires_at"),
        UniqueConstraint("profile_id", "service_id", "start_time"),
        Index("ix_time_slot_profile_start", "profile_id", "start_time"),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, default=uuid.uuid4, server_default=gen_random_uuid()
    )
    profile_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("profile.id", ondelete="CASCADE"))
    service_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("medical_service.id", ondelete="CASCADE")
    )
    start_time: Mapped[datetime]
    end_time: Mapped[datetime]
    max_reservations: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    current_reservations: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    status: Mapped[str] = mapped_column(
        String(50), default=SlotStatus.AVAILABLE, server_default=SlotStatus.AVAILABLE
    )
    created_at: Mapped[datetime | None] = mapped_column(server_default=text("CURRENT_TIMESTAMP"))
    expires_at: Mapped[datetime | None]
