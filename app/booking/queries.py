"""What patients and doctors ask to see. Every query is scoped to one practice."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from app.booking.errors import NotFound
from app.db import SessionSource
from app.models import (
    MedicalService,
    Practice,
    RequestStatus,
    Reservation,
    ReservationRequest,
    ReservationStatus,
    TimeSlot,
)


@dataclass(frozen=True)
class Booking:
    """A request or a reservation as a list shows it."""

    code: str
    kind: str  # "request" or "reservation"
    status: str
    start: datetime
    service: str
    patient_name: str
    urgency: str | None = None
    service_id: uuid.UUID | None = None
    # A request to move an appointment: the code of the appointment it would replace.
    replaces: str | None = None
    # A reservation whose patient answered the attendance question "I'll be there": when.
    attendance_confirmed_at: datetime | None = None


@dataclass(frozen=True)
class PendingRequest:
    """A request waiting for the doctor, with what they need to decide."""

    code: str
    patient_name: str
    age: int | None
    service: str
    start: datetime
    reason: str | None
    urgency: str | None
    expires_at: datetime
    moving_from: datetime | None = None  # a move: when the appointment it replaces is now


def patient_bookings(
    sessions: SessionSource, *, profile_id: uuid.UUID, phone: str, now: datetime
) -> list[Booking]:
    """The patient's upcoming appointments and open requests at this practice, soonest first."""
    upcoming = TimeSlot.start_time > now
    with sessions() as session:
        return _sorted(
            _requests(
                session,
                profile_id,
                upcoming,
                ReservationRequest.patient_phone == phone,
                ReservationRequest.status == RequestStatus.PENDING,
            )
            + _reservations(
                session,
                profile_id,
                upcoming,
                Reservation.patient_phone == phone,
                Reservation.status == ReservationStatus.CONFIRMED,
            )
        )


def doctor_agenda(sessions: SessionSource, *, profile_id: uuid.UUID, day: date) -> list[Booking]:
    """Everything booked or pending on the practice's local `day`, in time order."""
    with sessions() as session:
        return agenda_of(session, profile_id, day)


def agenda_of(session: Session, profile_id: uuid.UUID, day: date) -> list[Booking]:
    """`doctor_agenda` read in the caller's session (the morning agenda's transaction)."""
    zone = ZoneInfo(session.get_one(Practice, profile_id).timezone)
    since = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    until = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    that_day = (TimeSlot.start_time >= since, TimeSlot.start_time < until)
    return _sorted(
        _requests(
            session, profile_id, *that_day, ReservationRequest.status == RequestStatus.PENDING
        )
        + _reservations(
            session, profile_id, *that_day, Reservation.status != ReservationStatus.CANCELLED
        )
    )


def pending_requests(sessions: SessionSource, *, profile_id: uuid.UUID) -> list[PendingRequest]:
    """The practice's requests still waiting for an answer, the most pressing deadline first."""
    r = ReservationRequest
    old_slot = aliased(TimeSlot)
    with sessions() as session:
        rows = session.execute(
            select(
                r.code,
                r.patient_name,
                r.patient_age,
                MedicalService.name,
                TimeSlot.start_time,
                r.chief_complaint,
                r.urgency_level,
                r.expires_at,
                old_slot.start_time,
            )
            .join(TimeSlot, TimeSlot.id == r.slot_id)
            .join(MedicalService, MedicalService.id == r.service_id)
            .outerjoin(Reservation, Reservation.id == r.replaces_reservation_id)
            .outerjoin(old_slot, old_slot.id == Reservation.slot_id)
            .where(r.profile_id == profile_id, r.status == RequestStatus.PENDING)
            .order_by(r.expires_at, r.code)
        )
        return [PendingRequest(*row) for row in rows]


def _requests(session: Session, profile_id: uuid.UUID, *where: Any) -> list[Booking]:
    r = ReservationRequest
    rows = session.execute(
        select(r.code, r.status, TimeSlot.start_time, MedicalService.name, r.patient_name)
        .add_columns(r.urgency_level, r.service_id, Reservation.code, None)
        .join(TimeSlot, TimeSlot.id == r.slot_id)
        .join(MedicalService, MedicalService.id == r.service_id)
        .outerjoin(Reservation, Reservation.id == r.replaces_reservation_id)
        .where(r.profile_id == profile_id, *where)
    )
    return [Booking(row[0], "request", *row[1:]) for row in rows]


def _reservations(session: Session, profile_id: uuid.UUID, *where: Any) -> list[Booking]:
    r = Reservation
    rows = session.execute(
        select(r.code, r.status, TimeSlot.start_time, MedicalService.name, r.patient_name)
        .add_columns(None, r.service_id, None, r.attendance_confirmed_at)
        .join(TimeSlot, TimeSlot.id == r.slot_id)
        .join(MedicalService, MedicalService.id == r.service_id)
        .where(r.profile_id == profile_id, *where)
    )
    return [Booking(row[0] or "", "reservation", *row[1:]) for row in rows]


def _sorted(bookings: list[Booking]) -> list[Booking]:
    return sorted(bookings, key=lambda booking: (booking.start, booking.code))


def booking_by_code(sessions: SessionSource, *, profile_id: uuid.UUID, code: str) -> Booking:
    """The practice's reservation `code`, or else its request `code`, as a list shows it."""
    with sessions() as session:
        found = _reservations(session, profile_id, Reservation.code == code) or _requests(
            session, profile_id, ReservationRequest.code == code
        )
    if not found:
        raise NotFound(code)
    return found[0]
