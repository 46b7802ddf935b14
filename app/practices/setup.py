"""Importing a checked clinic into the database: one transaction, safe to repeat.

The practice is found by its WhatsApp number and its services by name (ignoring
accents and capitals), so ids stay stable across imports. Services missing from
the file are deactivated, never deleted: slots and bookings refer to them. Weekly
availability and the file's closed dates are replaced by the file's; days the
doctor blocked over WhatsApp (`source = 'doctor'`) are kept. Services keep the
file's order (`position`): patients are offered them in it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, null, select
from sqlalchemy.orm import Session

from app.db import SessionSource
from app.models import AvailabilityRule, ClosedDate, MedicalService, Practice
from app.practices.clinic_file_models import ClinicFile, Service, service_key


@dataclass(frozen=True)
class ImportResult:
    """What an import did, for the person running it."""

    profile_id: uuid.UUID
    profile_created: bool
    services_created: int
    services_updated: int
    services_deactivated: tuple[str, ...]
    availability_rules: int
    closed_dates: int


def import_clinic(sessions: SessionSource, clinic: ClinicFile, now: datetime) -> ImportResult:
    """Create or update the practice described by `clinic`, all or nothing."""
    with sessions.begin() as session:
        practice, created = _upsert_profile(session, clinic, now)
        new, updated, deactivated = _sync_services(session, practice.id, clinic.services, now)
        rules = _replace_availability(session, practice.id, clinic, now)
        closed = _replace_closed_dates(session, practice.id, clinic, now)
    return ImportResult(practice.id, created, new, updated, deactivated, rules, closed)


def _upsert_profile(session: Session, clinic: ClinicFile, now: datetime) -> tuple[Practice, bool]:
    # Locking the row makes two imports of the same practice run one after the other.
    query = select(Practice).where(Practice.whatsapp_number == clinic.whatsapp_number)
    practice = session.scalars(query.with_for_update()).one_or_none()
    created = practice is None
    if practice is None:
        practice = Practice(created_at=now)
        session.add(practice)
    practice.name = clinic.name
    practice.specialty = clinic.specialty
    practice.email = clinic.email
    practice.medical_license = clinic.medical_license
    practice.practice_type = clinic.practice_type
    practice.appointment_approval_required = clinic.approval_required
    practice.cancellation_policy = clinic.cancellation_policy
    practice.timezone = clinic.timezone
    practice.language = clinic.language
    practice.doctor_phone = clinic.doctor_phone
    practice.whatsapp_number = clinic.whatsapp_number
    practice.emergency_phone = clinic.emergency_phone
    practice.min_notice_minutes = clinic.min_notice_minutes
    practice.booking_horizon_days = clinic.booking_horizon_days
    practice.address = clinic.address
    practice.doctor_title = clinic.doctor_title
    practice.doctor_gender = clinic.doctor_gender or "x"
    practice.show_prices = clinic.show_prices
    practice.currency = clinic.currency
    practice.intake = dict(clinic.intake)
    practice.phone = clinic.phone
    practice.cancellation_window_hours = clinic.cancellation_window_hours
    practice.attendance_ask_hours = clinic.attendance_ask_hours
    policy = clinic.no_shows
    practice.no_show_limit = policy.limit if policy else None
    practice.no_show_months = policy.months if policy else 6
    practice.no_show_action = policy.then if policy else "approval"
    practice.release_unconfirmed_hours = clinic.release_unconfirmed_hours
    practice.agenda_hour = clinic.agenda_hour
    practice.message_retention_days = clinic.message_retention_days
    practice.clinical_record_years = clinic.clinical_record_years
    practice.updated_at = now
    session.flush()
    return practice, created


def _sync_services(
    session: Session, profile_id: uuid.UUID, wanted: Sequence[Service], now: datetime
) -> tuple[int, int, tuple[str, ...]]:
    """Update, create and deactivate services; returns (created, updated, deactivated names)."""
    query = select(MedicalService).where(MedicalService.profile_id == profile_id)
    existing = list(session.scalars(query.order_by(MedicalService.created_at, MedicalService.id)))
    created = 0
    for position, service in enumerate(wanted):
        row = _take_match(existing, service.name)
        if row is None:
            row = MedicalService(profile_id=profile_id, created_at=now)
            session.add(row)
            created += 1
        _copy_service(service, row, now)
        row.position = position
    deactivated = tuple(sorted(row.name for row in existing if row.is_active))
    for row in existing:
        if row.is_active:
            row.is_active = False
            row.updated_at = now
    return created, len(wanted) - created, deactivated


def _take_match(rows: list[MedicalService], name: str) -> MedicalService | None:
    """Remove and return the row that `name` refers to, if any.

    The exact spelling wins, so renaming never collides with the unique
    (profile_id, name) constraint; then an active row, then the oldest.
    """
    same = [row for row in rows if service_key(row.name) == service_key(name)]
    if not same:
        return None
    match = min(same, key=lambda row: (row.name != name, not row.is_active))
    rows.remove(match)
    return match


def _copy_service(service: Service, row: MedicalService, now: datetime) -> None:
    row.name = service.name
    row.duration = service.duration
    row.price = service.price
    row.category = service.category
    row.requirements = service.requirements
    row.description = service.description
    row.is_active = True
    row.updated_at = now


def _replace_availability(
    session: Session, profile_id: uuid.UUID, clinic: ClinicFile, now: datetime
) -> int:
    # Slots do not refer to rules, so replacing them all is safe and keeps the file the truth.
    session.execute(delete(AvailabilityRule).where(AvailabilityRule.profile_id == profile_id))
    rules = [
        AvailabilityRule(
            profile_id=profile_id,
            day_of_week=day,
            start_time=hours.start,
            end_time=hours.end,
            slot_duration=hours.slot_duration,
            buffer_time=hours.buffer_time,
            max_appointments_per_slot=hours.max_appointments_per_slot,
            is_active=True,
            # Left out in the file means NULL (in force forever), not the column's
            # default (the day of the import): re-imports on other days must agree.
            # The ORM would leave a plain None to that default, hence null().
            effective_from=hours.effective_from or null(),
            effective_to=hours.effective_to,
            created_at=now,
            updated_at=now,
        )
        for hours in clinic.availability
        for day in hours.days
    ]
    session.add_all(rules)
    return len(rules)


def _replace_closed_dates(
    session: Session, profile_id: uuid.UUID, clinic: ClinicFile, now: datetime
) -> int:
    session.execute(
        delete(ClosedDate).where(ClosedDate.profile_id == profile_id, ClosedDate.source == "import")
    )
    session.add_all(
        ClosedDate(profile_id=profile_id, day=day, source="import", created_at=now)
        for day in clinic.closed
    )
    return len(clinic.closed)
