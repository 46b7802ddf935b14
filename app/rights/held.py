"""What a practice holds about one phone number, as the patient may see it (MIS DATOS)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import MedicalService, Reservation, ReservationRequest


@dataclass(frozen=True)
class HeldRequest:
    """One request of the phone's, with the appointment's status once approved."""

    code: str
    service: str
    start: datetime
    status: str
    reason: str | None
    symptoms: str | None
    history: str | None
    medications: str | None
    allergies: str | None


def held_requests(session: Session, profile_id: uuid.UUID, phone: str) -> list[HeldRequest]:
    """The phone's requests at the practice, with the appointment's status once approved.

    Only the answers the patient gave: the doctor's notes are never read here.
    """
    request = ReservationRequest
    rows = session.execute(
        select(
            request.code,
            MedicalService.name,
            request.requested_time,
            request.status,
            Reservation.status.label("appointment_status"),
            request.chief_complaint,
            request.symptoms,
            request.medical_history,
            request.current_medications,
            request.allergies,
        )
        .join(MedicalService, MedicalService.id == request.service_id)
        .outerjoin(Reservation, Reservation.request_id == request.id)
        .where(request.profile_id == profile_id, request.patient_phone == phone)
        .order_by(request.requested_time, request.code)
    )
    return [
        HeldRequest(
            row.code,
            row.name,
            row.requested_time,
            row.appointment_status or row.status,
            row.chief_complaint,
            row.symptoms,
            row.medical_history,
            row.current_medications,
            row.allergies,
        )
        for row in rows
    ]


def correct_requests(session: Session, profile_id: uuid.UUID, phone: str, **values: object) -> None:
    """The corrected name, age or sex on the phone's requests and appointments too."""
    fields = {"patient_" + key: value for key, value in values.items()}
    request = ReservationRequest
    session.execute(
        update(request)
        .where(request.profile_id == profile_id, request.patient_phone == phone)
        .values(**fields)
        .execution_options(synchronize_session=False)
    )
    if "name" in values:  # appointments keep only the name of the identity
        session.execute(
            update(Reservation)
            .where(Reservation.profile_id == profile_id, Reservation.patient_phone == phone)
            .values(patient_name=values["name"])
            .execution_options(synchronize_session=False)
        )
