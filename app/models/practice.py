"""The practice: profile, its services, weekly availability and closed dates."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, gen_random_uuid

NOW = text("CURRENT_TIMESTAMP")
# true(), not text("true"): it renders per dialect (SQLite: 1), as the migrations wrote it.
TRUE = true()
FALSE = false()


class Practice(Base):
    """A doctor or practice. Wellness-era columns, the seed's medical ones, Citabot's own."""

    __tablename__ = "profile"
    __table_args__ = (
        CheckConstraint("language IN ('es', 'en')", name="ck_profile_language"),
        CheckConstraint("min_notice_minutes >= 0", name="ck_profile_min_notice"),
        CheckConstraint("booking_horizon_days > 0", name="ck_profile_booking_horizon"),
        CheckConstraint("doctor_gender IN ('f', 'm', 'x')", name="ck_profile_doctor_gender"),
        CheckConstraint(
            "no_show_action IN ('approval', 'chat_closed', 'reconfirm')",
            name="ck_profile_no_show_action",
        ),
        CheckConstraint("agenda_hour BETWEEN 0 AND 23", name="ck_profile_agenda_hour"),
        CheckConstraint(
            "message_retention_days BETWEEN 30 AND 3650", name="ck_profile_message_retention_days"
        ),
        CheckConstraint(
            "clinical_record_years BETWEEN 1 AND 50", name="ck_profile_clinical_record_years"
        ),
        UniqueConstraint("whatsapp_number"),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, default=uuid.uuid4, server_default=gen_random_uuid()
    )
    # Wellness-era columns (baseline revision).
    name: Mapped[str] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(50))
    bio: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime | None] = mapped_column(server_default=NOW)
    updated_at: Mapped[datetime | None] = mapped_column(server_default=NOW)
    # The seed's medical columns.
    medical_license: Mapped[str | None] = mapped_column(String(50))
    specialty: Mapped[str | None] = mapped_column(String(100))
    practice_type: Mapped[str | None] = mapped_column(
        String(50), default="general", server_default="general"
    )
    appointment_approval_required: Mapped[bool] = mapped_column(
        Boolean, default=True, server_default=TRUE
    )
    max_appointment_duration: Mapped[int | None] = mapped_column(
        Integer, default=60, server_default="60"
    )
    buffer_time_minutes: Mapped[int | None] = mapped_column(
        Integer, default=15, server_default="15"
    )
    cancellation_policy: Mapped[str | None] = mapped_column(Text)
    # What the bot needs (Citabot revision).
    timezone: Mapped[str] = mapped_column(
        String(64), default="America/Mexico_City", server_default="America/Mexico_City"
    )
    language: Mapped[str] = mapped_column(String(8), default="es", server_default="es")
    doctor_phone: Mapped[str | None] = mapped_column(String(20))
    whatsapp_number: Mapped[str | None] = mapped_column(String(20))
    emergency_phone: Mapped[str | None] = mapped_column(String(20))
    min_notice_minutes: Mapped[int] = mapped_column(Integer, default=60, server_default="60")
    booking_horizon_days: Mapped[int] = mapped_column(Integer, default=60, server_default="60")
    # WhatsApp template Content SIDs of this practice, overriding TWILIO_CONTENT_SIDS per purpose
    # (see app/messaging/templates.py for the shape).
    content_sids: Mapped[dict[str, object] | None] = mapped_column(JSON)
    # How the practice is shown to patients (revision 0007).
    address: Mapped[str | None] = mapped_column(Text)
    doctor_title: Mapped[str | None] = mapped_column(String(20))
    # For grammar: 'f', 'm', or 'x' (neutral wording).
    doctor_gender: Mapped[str] = mapped_column(String(1), default="x", server_default="x")
    show_prices: Mapped[bool] = mapped_column(Boolean, default=False, server_default=FALSE)
    currency: Mapped[str | None] = mapped_column(String(3))  # ISO 4217, for prices
    # Intake question -> 'required' / 'optional' / 'off'; NULL or a missing question: the
    # default (app.practices.intake_settings).
    intake: Mapped[dict[str, str] | None] = mapped_column(JSON)
    # Attendance (revision 0010): how long before an appointment the patient is asked to
    # confirm it (the first reminder), and how close to it a patient's cancellation is late.
    attendance_ask_hours: Mapped[int] = mapped_column(Integer, default=24, server_default="24")
    cancellation_window_hours: Mapped[int] = mapped_column(Integer, default=24, server_default="24")
    # The no-show policy: at `no_show_limit` no-shows within `no_show_months` (NULL: no
    # policy) a patient's booking needs the doctor ('approval') or is not taken by chat
    # ('chat_closed').
    no_show_limit: Mapped[int | None] = mapped_column(Integer)
    no_show_months: Mapped[int] = mapped_column(Integer, default=6, server_default="6")
    no_show_action: Mapped[str] = mapped_column(
        String(20), default="approval", server_default="approval"
    )
    # Hours before an appointment the patient never confirmed at which its place is freed
    # (for the waitlist), after a warning; NULL: never (revision 0012).
    release_unconfirmed_hours: Mapped[int | None] = mapped_column(Integer)
    # The local hour (0-23) from which the doctor is sent the day's agenda (revision 0014).
    agenda_hour: Mapped[int] = mapped_column(Integer, default=7, server_default="7")
    # Days a message body is kept before only its length remains (revision 0018).
    message_retention_days: Mapped[int] = mapped_column(Integer, default=180, server_default="180")
    # Years an attended visit's clinical record is kept after the patient asks for erasure
    # (blocked meanwhile); NULL: the country's law (app/rights/deadlines.py; revision 0020).
    clinical_record_years: Mapped[int | None] = mapped_column(Integer)


class MedicalService(Base):
    """Something the practice offers, with its length in minutes and price."""

    __tablename__ = "medical_service"
    __table_args__ = (
        Index("idx_medical_service_profile_id", "profile_id"),
        Index("idx_medical_service_category", "category"),
        Index("idx_medical_service_active", "is_active"),
        UniqueConstraint("profile_id", "name"),
        CheckConstraint("duration > 0", name="ck_medical_service_duration"),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, default=uuid.uuid4, server_default=gen_random_uuid()
    )
    profile_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("profile.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    duration: Mapped[int] = mapped_column(Integer)
    price: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    category: Mapped[str | None] = mapped_column(String(100))
    requirements: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=TRUE)
    # Its place in the clinic file: patients see services in that order.
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime | None] = mapped_column(server_default=NOW)
    updated_at: Mapped[datetime | None] = mapped_column(server_default=NOW)


class AvailabilityRule(Base):
    """A weekly opening window in the practice's local wall-clock time."""

    __tablename__ = "availability_rule"
    __table_args__ = (
        CheckConstraint(
            "day_of_week >= 0 AND day_of_week <= 6", name="availability_rule_day_of_week_check"
        ),
        CheckConstraint("end_time > start_time", name="ck_availability_rule_window"),
        CheckConstraint(
            "slot_duration > 0 AND buffer_time >= 0 AND max_appointments_per_slot > 0",
            name="ck_availability_rule_sizes",
        ),
        Index("idx_availability_profile_id", "profile_id"),
        Index("idx_availability_day", "day_of_week"),
        Index("idx_availability_active", "is_active"),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, default=uuid.uuid4, server_default=gen_random_uuid()
    )
    profile_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("profile.id", ondelete="CASCADE"))
    day_of_week: Mapped[int] = mapped_column(Integer)  # 0 = Sunday ... 6 = Saturday
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    slot_duration: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    buffer_time: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    max_appointments_per_slot: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=TRUE)
    effective_from: Mapped[date | None] = mapped_column(Date, server_default=text("CURRENT_DATE"))
    effective_to: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime | None] = mapped_column(server_default=NOW)
    updated_at: Mapped[datetime | None] = mapped_column(server_default=NOW)


class ClosedDate(Base):
    """A day (or part of one) the practice does not see patients.

    `source` tells closures from the clinic file (replaced on every import) from
    the ones the doctor blocked over WhatsApp (kept).
    """

    __tablename__ = "closed_date"
    __table_args__ = (
        CheckConstraint(
            "(start_time IS NULL AND end_time IS NULL)"
            " OR (start_time IS NOT NULL AND end_time IS NOT NULL AND end_time > start_time)",
            name="ck_closed_date_range",
        ),
        CheckConstraint("source IN ('import', 'doctor')", name="ck_closed_date_source"),
        Index("ix_closed_date_profile_day", "profile_id", "day"),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, default=uuid.uuid4, server_default=gen_random_uuid()
    )
    profile_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("profile.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    start_time: Mapped[time | None] = mapped_column(Time)
    end_time: Mapped[time | None] = mapped_column(Time)
    reason: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(10), default="import", server_default="import")
    created_at: Mapped[datetime] = mapped_column(server_default=NOW)
