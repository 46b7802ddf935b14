"""Use case: change a practice's settings as its clinic file would, from the desk.

The practice is written out as the data of its clinic file (`clinic_data`), the
desk's changes are made to that data, and the result goes through the very checks
and import `flask clinic import` uses (`read_clinic`, `import_clinic`); then the
practice's slots are regenerated as the daily upkeep does. One rule, two doors: a
setting the file would refuse, the desk refuses too, and nothing is saved.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import SessionSource
from app.models import AvailabilityRule, ClosedDate, MedicalService, Practice
from app.practices.clinic_file import ClinicFileError, read_clinic
from app.practices.clinic_file_models import ClinicFile
from app.practices.setup import import_clinic
from app.scheduling import generation

# The services' columns the clinic file holds, besides the name.
SERVICE_FIELDS = ("duration", "price", "category", "requirements", "description")


@dataclass(frozen=True)
class ServiceRow:
    """A service as the settings page lists it: active ones first, in the patients' order."""

    name: str
    active: bool
    values: Mapping[str, Any]  # as the clinic file writes it: name, duration, price, ...


def clinic_data(session: Session, profile_id: uuid.UUID) -> dict[str, Any]:
    """The practice's clinic file as parsed data: importing it again changes nothing."""
    practice = session.get_one(Practice, profile_id)
    data: dict[str, Any] = {
        "name": practice.name,
        "specialty": practice.specialty,
        "email": practice.email,
        "medical_license": practice.medical_license,
        "practice_type": practice.practice_type,
        "whatsapp_number": practice.whatsapp_number,
        "doctor_phone": practice.doctor_phone,
        "emergency_phone": practice.emergency_phone,
        "phone": practice.phone,
        "timezone": practice.timezone,
        "language": practice.language,
        "approval_required": practice.appointment_approval_required,
        "booking_horizon_days": practice.booking_horizon_days,
        "min_notice_minutes": practice.min_notice_minutes,
        "cancellation_policy": practice.cancellation_policy,
        "cancellation_window_hours": practice.cancellation_window_hours,
        "attendance_ask_hours": practice.attendance_ask_hours,
        "release_unconfirmed_hours": practice.release_unconfirmed_hours,
        "agenda_hour": practice.agenda_hour,
        "message_retention_days": practice.message_retention_days,
        "clinical_record_years": practice.clinical_record_years,
        "address": practice.address,
        "doctor_title": practice.doctor_title,
        "doctor_gender": practice.doctor_gender,
        "show_prices": practice.show_prices,
        "currency": practice.currency,
        "intake": dict(practice.intake) if practice.intake else None,
        "services": [row.values for row in service_rows(session, profile_id) if row.active],
        "availability": _opening_hours(session, profile_id),
        "closed": [
            day.isoformat()
            for day in session.scalars(
                select(ClosedDate.day)
                .where(ClosedDate.profile_id == profile_id, ClosedDate.source == "import")
                .order_by(ClosedDate.day)
            )
        ],
    }
    if practice.no_show_limit is not None:
        data["no_shows"] = {
            "limit": practice.no_show_limit,
            "months": practice.no_show_months,
            "then": practice.no_show_action,
        }
    return {key: value for key, value in data.items() if value is not None}


def service_rows(session: Session, profile_id: uuid.UUID) -> list[ServiceRow]:
    """Every service of the practice, the inactive ones last: the page may offer them again."""
    rows = session.scalars(
        select(MedicalService)
        .where(MedicalService.profile_id == profile_id)
        .order_by(
            MedicalService.is_active.desc(),
            MedicalService.position,
            MedicalService.name,
            MedicalService.id,
        )
    )
    return [ServiceRow(row.name, row.is_active, _service_values(row)) for row in rows]


def change_settings(
    sessions: SessionSource, profile_id: uuid.UUID, data: Mapping[str, Any], now: datetime
) -> list[str]:
    """Apply the clinic file `data` to the practice, then regenerate its slots.

    Raises `ClinicFileError` (every problem, each with where it is) and saves nothing
    when the file's checks refuse `data`. Returns the names of the settings that
    changed (the clinic file's keys), for the audit log.
    """
    clinic = read_clinic(dict(data))
    with sessions.begin() as session:
        practice = session.get_one(Practice, profile_id)
        if clinic.whatsapp_number != practice.whatsapp_number:
            # The import finds the practice by this number: another would be another practice.
            raise ValueError("the settings of a practice cannot change its WhatsApp number")
        before = _as_checked(clinic_data(session, profile_id))
    import_clinic(sessions, clinic, now)
    generation.generate_slots(
        sessions,
        now=now,
        days=min(clinic.booking_horizon_days, generation.MAX_DAYS),
        profile_id=profile_id,
    )
    return [
        field.name
        for field in fields(ClinicFile)
        if before is None or getattr(before, field.name) != getattr(clinic, field.name)
    ]


def _as_checked(data: dict[str, Any]) -> ClinicFile | None:
    """The practice as it was, to compare with; None if it no longer passes the checks."""
    try:
        return read_clinic(data)
    except ClinicFileError:
        return None


def _service_values(row: MedicalService) -> dict[str, Any]:
    values: dict[str, Any] = {"name": row.name}
    for field in SERVICE_FIELDS:
        value = getattr(row, field)
        if value is not None:
            values[field] = str(value) if isinstance(value, Decimal) else value
    return values


def _opening_hours(session: Session, profile_id: uuid.UUID) -> list[dict[str, Any]]:
    """The weekly rules (one row per day) gathered back into the file's windows."""
    rules = session.scalars(
        select(AvailabilityRule)
        .where(AvailabilityRule.profile_id == profile_id, AvailabilityRule.is_active.is_(True))
        .order_by(AvailabilityRule.start_time, AvailabilityRule.day_of_week)
    )
    windows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for rule in rules:
        key = (
            rule.start_time,
            rule.end_time,
            rule.slot_duration,
            rule.buffer_time,
            rule.max_appointments_per_slot,
            rule.effective_from,
            rule.effective_to,
        )
        window = windows.setdefault(
            key,
            {
                "days": [],
                "start": f"{rule.start_time:%H:%M}",
                "end": f"{rule.end_time:%H:%M}",
                "slot_duration": rule.slot_duration,
                "buffer_time": rule.buffer_time,
                "max_appointments_per_slot": rule.max_appointments_per_slot,
                "effective_from": rule.effective_from and rule.effective_from.isoformat(),
                "effective_to": rule.effective_to and rule.effective_to.isoformat(),
            },
        )
        if rule.day_of_week not in window["days"]:
            window["days"].append(rule.day_of_week)
    return [
        {key: value for key, value in window.items() if value is not None}
        for window in windows.values()
    ]
