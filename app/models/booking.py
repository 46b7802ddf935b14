"""Requests a patient makes, the reservations they become, and the doctor's notes."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, gen_random_uuid
from app.sealed import SealedText

NOW = text("CURRENT_TIMESTAMP")
# false(), not text("false"): it renders per dialect (SQLite: 0), as the migrations wrote it.
FALSE = false()
OPEN_BOOKING = text("status = 'pending' AND replaces_reservation_id IS NULL")
OPEN_MOVE = text("status = 'pending' AND replaces_reservation_id IS NOT NULL")


class RequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    EXPIRED = "expired"
    CANCELLED = "cancelled"  # withdrawn by the patient; not in the seed (migration 0004)


class ReservationStatus(StrEnum):
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    NO_SHOW = "no_show"


class ReservationRequest(Base):
    """A patient's request for a slot, holding it until the doctor answers or it expires."""

    __tablename__ = "reservation_request"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'approved', 'rejected', 'expired', 'cancelled')",
            name="chk_request_status",
        ),
        CheckConstraint(
            "urgency_level IN ('low', 'normal', 'high', 'urgent')", name="chk_urgency_level"
        ),
        Index("idx_request_profile_id", "profile_id"),
        Index("idx_request_slot_id", "slot_id"),
        Index("idx_request_status", "status"),
        Index("idx_request_expires", "expires_at"),
        Index("idx_request_patient_phone", "patient_phone"),
        # Codes are never reused within a practice, so a code always names one request
        # (and the reservation made from it).
        UniqueConstraint("profile_id", "code"),
        # One open request per patient and practice: the database refuses a second. A
        # request to move one's appointment is not a second booking (migration 0008).
        Index(
            "uq_request_open_per_phone",
            "profile_id",
            "patient_phone",
            unique=True,
            postgresql_where=OPEN_BOOKING,
            sqlite_where=OPEN_BOOKING,
        ),
        # One move at a time per appointment: a second one waits for the doctor's answer.
        Index(
            "uq_request_open_move",
            "replaces_reservation_id",
            unique=True,
            postgresql_where=OPEN_MOVE,
            sqlite_where=OPEN_MOVE,
        ),
        Index(
            "ix_request_pending_expires",
            "expires_at",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, default=uuid.uuid4, server_default=gen_random_uuid()
    )
    profile_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("profile.id", ondelete="CASCADE"))
    slot_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("time_slot.id", ondelete="CASCADE"))
    service_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("medical_service.id", ondelete="CASCADE")
    )
    code: Mapped[str] = mapped_column(String(8))
    # Set when the request asks to move that appointment: it stands until the doctor
    # approves (then it is cancelled) or not (then it stays). Migration 0008. The two
    # tables refer to each other; `use_alter` lets the metadata sort them.
    replaces_reservation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("reservation.id", ondelete="CASCADE", use_alter=True)
    )

    patient_name: Mapped[str] = mapped_column(String(255))
    patient_phone: Mapped[str] = mapped_column(String(50))
    patient_email: Mapped[str | None] = mapped_column(String(255))
    patient_age: Mapped[int | None] = mapped_column(Integer)
    patient_gender: Mapped[str | None] = mapped_column(String(20))

    # The patient's own words about their health: stored sealed (app/sealed.py), still
    # `text` columns as the seed made them.
    chief_complaint: Mapped[str | None] = mapped_column(SealedText)
    symptoms: Mapped[str | None] = mapped_column(SealedText)
    medical_history: Mapped[str | None] = mapped_column(SealedText)
    current_medications: Mapped[str | None] = mapped_column(SealedText)
    allergies: Mapped[str | None] = mapped_column(SealedText)
    urgency_level: Mapped[str | None] = mapped_column(
        String(20), default="normal", server_default="normal"
    )
    preferred_contact_method: Mapped[str | None] = mapped_column(
        String(20), default="whatsapp", server_default="whatsapp"
    )

    status: Mapped[str] = mapped_column(
        String(50), default=RequestStatus.PENDING, server_default=RequestStatus.PENDING
    )
    requested_time: Mapped[datetime]
    expires_at: Mapped[datetime]

    approved_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("profile.id"))
    approved_at: Mapped[datetime | None]
    # The doctor's words to the patient, often clinical: sealed like the answers.
    rejection_reason: Mapped[str | None] = mapped_column(SealedText)

    created_at: Mapped[datetime | None] = mapped_column(server_default=NOW)
    updated_at: Mapped[datetime | None] = mapped_column(server_default=NOW)


class Reservation(Base):
    """A confirmed appointment."""

    __tablename__ = "reservation"
    __table_args__ = (
        CheckConstraint(
            "status IN ('confirmed', 'cancelled', 'completed', 'no_show')",
            name="chk_reservation_status",
        ),
        CheckConstraint(
            "payment_status IN ('pending', 'paid', 'cancelled')", name="chk_payment_status"
        ),
        CheckConstraint(
            "cancelled_by IN ('patient', 'doctor', 'release')", name="ck_reservation_cancelled_by"
        ),
        Index("idx_reservation_profile_id", "profile_id"),
        Index("idx_reservation_slot_id", "slot_id"),
        Index("idx_reservation_status", "status"),
        Index("idx_reservation_patient_phone", "patient_phone"),
        Index("idx_reservation_created", "created_at"),
        UniqueConstraint("request_id"),
        UniqueConstraint("calendar_token"),
        Index("ix_reservation_profile_code", "profile_id", "code"),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, default=uuid.uuid4, server_default=gen_random_uuid()
    )
    profile_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("profile.id", ondelete="CASCADE"))
    slot_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("time_slot.id", ondelete="CASCADE"))
    service_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("medical_service.id", ondelete="CASCADE")
    )
    request_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("reservation_request.id", ondelete="SET NULL")
    )
    code: Mapped[str | None] = mapped_column(String(8))
    # The unguessable name of the patient's "add to calendar" file (revision 0017):
    # the link in their confirmation. None before 0017: no link.
    calendar_token: Mapped[str | None] = mapped_column(String(32))

    patient_name: Mapped[str] = mapped_column(String(255))
    patient_phone: Mapped[str] = mapped_column(String(50))
    patient_email: Mapped[str | None] = mapped_column(String(255))

    status: Mapped[str] = mapped_column(
        String(50), default=ReservationStatus.CONFIRMED, server_default=ReservationStatus.CONFIRMED
    )
    source: Mapped[str | None] = mapped_column(
        String(50), default="whatsapp", server_default="whatsapp"
    )
    notes: Mapped[str | None] = mapped_column(SealedText)

    # `_sent`: the reminder was handed to the outbox (its message_log row written in the
    # same transaction), not that WhatsApp accepted it: that row's status says so.
    reminder_24h_sent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=FALSE)
    reminder_2h_sent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=FALSE)
    reminder_24h_scheduled: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=FALSE
    )
    reminder_2h_scheduled: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=FALSE
    )

    # When the patient answered the attendance question with "I'll be there" (revision 0010).
    attendance_confirmed_at: Mapped[datetime | None]
    # When the patient was warned that the unconfirmed appointment will be freed (0012).
    release_warned_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    no_show: Mapped[bool] = mapped_column(Boolean, default=False, server_default=FALSE)

    price_at_booking: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    payment_status: Mapped[str | None] = mapped_column(
        String(50), default="pending", server_default="pending"
    )

    created_at: Mapped[datetime | None] = mapped_column(server_default=NOW)
    updated_at: Mapped[datetime | None] = mapped_column(server_default=NOW)
    cancelled_at: Mapped[datetime | None]
    # 'patient', 'doctor' (revision 0010; NULL before it) or 'release' (an unconfirmed
    # appointment freed, 0012): a patient's cancellation inside the practice's
    # cancellation window counts as late.
    cancelled_by: Mapped[str | None] = mapped_column(String(20))


class AppointmentNote(Base):
    """What the doctor writes about an appointment; `is_private` ones never reach the patient."""

    __tablename__ = "appointment_note"
    __table_args__ = (
        CheckConstraint(
            "note_type IN ('diagnosis', 'treatment', 'follow_up', 'prescription')",
            name="chk_note_type",
        ),
        Index("idx_note_reservation_id", "reservation_id"),
        Index("idx_note_profile_id", "profile_id"),
        Index("idx_note_type", "note_type"),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, default=uuid.uuid4, server_default=gen_random_uuid()
    )
    reservation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("reservation.id", ondelete="CASCADE")
    )
    profile_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("profile.id", ondelete="CASCADE"))
    note_type: Mapped[str] = mapped_column(String(50))
    content: Mapped[str] = mapped_column(SealedText)
    is_private: Mapped[bool] = mapped_column(Boolean, default=False, server_default=FALSE)
    created_at: Mapped[datetime | None] = mapped_column(server_default=NOW)
    updated_at: Mapped[datetime | None] = mapped_column(server_default=NOW)
