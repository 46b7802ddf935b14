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
from app.booking.expiry import other_times
from app.db import SessionSource
from app.models import (
    AppointmentNote,
    Contact,
    MedicalService,
    Practice,
    RequestStatus,
    Reservation,
    ReservationRequest,
    ReservationStatus,
    TimeSlot,
)
from app.scheduling.search import FreeSlot


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


def agenda_between(
    sessions: SessionSource, *, profile_id: uuid.UUID, first_day: date, last_day: date
) -> list[Booking]:
    """The agenda of the local days `first_day` to `last_day`: the desk's day and week."""
    with sessions() as session:
        zone = ZoneInfo(session.get_one(Practice, profile_id).timezone)
        since = datetime.combine(first_day, time(0), tzinfo=zone).astimezone(UTC)
        until = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=zone)
        in_range = (TimeSlot.start_time >= since, TimeSlot.start_time < until.astimezone(UTC))
        return _sorted(
            _requests(
                session, profile_id, *in_range, ReservationRequest.status == RequestStatus.PENDING
            )
            + _reservations(
                session, profile_id, *in_range, Reservation.status != ReservationStatus.CANCELLED
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


# --- the desk's request and appointment pages ---------------------------------------------


@dataclass(frozen=True)
class RequestIntake:
    """A request with everything the patient answered: the desk's request page.

    Health data: never log it (no field of it goes to a log, a flash or the audit log).
    """

    code: str
    status: str
    patient_name: str
    patient_phone: str
    patient_email: str | None
    age: int | None
    sex: str | None
    service: str
    start: datetime
    reason: str | None
    symptoms: str | None
    history: str | None
    medications: str | None
    allergies: str | None
    urgency: str | None
    contact_method: str | None
    expires_at: datetime
    rejection_reason: str | None
    moving_from: datetime | None  # a move: when the appointment it replaces is now

    def __repr__(self) -> str:
        return f"RequestIntake(code={self.code!r}, status={self.status!r})"


@dataclass(frozen=True)
class Appointment:
    """A reservation as the desk's appointment page shows it."""

    code: str
    status: str
    patient_name: str
    patient_phone: str
    service: str
    start: datetime
    attendance_confirmed_at: datetime | None
    completed_at: datetime | None
    cancelled_at: datetime | None
    cancelled_by: str | None
    from_request: bool  # made from a request: its intake is on the request's page
    move_requested: str | None = None  # the code of a move waiting for an answer


@dataclass(frozen=True)
class Note:
    """A doctor's note on an appointment. Health data: the doctor's eyes only."""

    note_type: str
    content: str
    private: bool
    created_at: datetime | None

    def __repr__(self) -> str:
        return f"Note(note_type={self.note_type!r}, private={self.private!r})"


def request_intake(session: Session, *, profile_id: uuid.UUID, code: str) -> RequestIntake:
    """The practice's request `code` with its intake; another practice's is `NotFound`."""
    r = ReservationRequest
    old_slot = aliased(TimeSlot)
    row = session.execute(
        select(
            r.code,
            r.status,
            r.patient_name,
            r.patient_phone,
            r.patient_email,
            r.patient_age,
            r.patient_gender,
            MedicalService.name,
            TimeSlot.start_time,
            r.chief_complaint,
            r.symptoms,
            r.medical_history,
            r.current_medications,
            r.allergies,
            r.urgency_level,
            r.preferred_contact_method,
            r.expires_at,
            r.rejection_reason,
            old_slot.start_time,
        )
        .join(TimeSlot, TimeSlot.id == r.slot_id)
        .join(MedicalService, MedicalService.id == r.service_id)
        .outerjoin(Reservation, Reservation.id == r.replaces_reservation_id)
        .outerjoin(old_slot, old_slot.id == Reservation.slot_id)
        .where(r.profile_id == profile_id, r.code == code)
    ).first()
    if row is None:
        raise NotFound(code)
    return RequestIntake(*row)


def request_alternatives(
    session: Session, *, profile_id: uuid.UUID, code: str, now: datetime
) -> list[FreeSlot]:
    """The free times a rejection of request `code` would offer its patient (none once answered).

    The same read as the rejection notice's (`expiry.other_times`, the declined time left
    out), so the desk shows what the patient would be offered.
    """
    r = ReservationRequest
    request = session.execute(
        select(r.service_id, r.slot_id, TimeSlot.start_time)
        .join(TimeSlot, TimeSlot.id == r.slot_id)
        .where(r.profile_id == profile_id, r.code == code, r.status == RequestStatus.PENDING)
    ).first()
    if request is None:
        return []
    practice = session.get_one(Practice, profile_id)
    return other_times(session, practice, request, request.start_time, now, declined=True)


def appointment(session: Session, *, profile_id: uuid.UUID, code: str) -> Appointment:
    """The practice's reservation `code`; another practice's (or a request's only) is `NotFound`."""
    r = Reservation
    move = aliased(ReservationRequest)
    row = session.execute(
        select(
            r.code,
            r.status,
            r.patient_name,
            r.patient_phone,
            MedicalService.name,
            TimeSlot.start_time,
            r.attendance_confirmed_at,
            r.completed_at,
            r.cancelled_at,
            r.cancelled_by,
            r.request_id.is_not(None),
            move.code,
        )
        .join(TimeSlot, TimeSlot.id == r.slot_id)
        .join(MedicalService, MedicalService.id == r.service_id)
        .outerjoin(
            move,
            (move.replaces_reservation_id == r.id) & (move.status == RequestStatus.PENDING),
        )
        .where(r.profile_id == profile_id, r.code == code)
        .limit(1)
    ).first()
    if row is None:
        raise NotFound(code)
    return Appointment(*row)


def earlier_appointments(
    session: Session, *, profile_id: uuid.UUID, phone: str, before: datetime
) -> list[Booking]:
    """The patient's appointments at this practice that started before `before`, latest first."""
    found = _reservations(
        session, profile_id, Reservation.patient_phone == phone, TimeSlot.start_time < before
    )
    return sorted(found, key=lambda booking: (booking.start, booking.code), reverse=True)


def appointment_notes(session: Session, *, profile_id: uuid.UUID, code: str) -> list[Note]:
    """The doctor's notes on the practice's appointment `code`, oldest first."""
    rows = session.execute(
        select(
            AppointmentNote.note_type,
            AppointmentNote.content,
            AppointmentNote.is_private,
            AppointmentNote.created_at,
        )
        .join(Reservation, Reservation.id == AppointmentNote.reservation_id)
        .where(
            AppointmentNote.profile_id == profile_id,
            Reservation.profile_id == profile_id,
            Reservation.code == code,
        )
        .order_by(AppointmentNote.created_at, AppointmentNote.id)
    )
    return [Note(*row) for row in rows]


@dataclass(frozen=True)
class CalendarEntry:
    """An appointment or a pending request as a calendar feed shows it: nothing clinical,
    no phone, only the patient's first name."""

    code: str
    tentative: bool  # a request the doctor has not answered yet
    start: datetime
    end: datetime
    service: str
    first_name: str


def calendar_entries(
    sessions: SessionSource, *, profile_id: uuid.UUID, since: datetime, until: datetime
) -> list[CalendarEntry]:
    """The practice's appointments (not cancelled) and pending requests starting from
    `since` to `until`, in time order: a member's calendar feed."""
    in_range = (TimeSlot.start_time >= since, TimeSlot.start_time < until)
    entries: list[CalendarEntry] = []
    with sessions() as session:
        for table, tentative, status in (
            (ReservationRequest, True, ReservationRequest.status == RequestStatus.PENDING),
            (Reservation, False, Reservation.status != ReservationStatus.CANCELLED),
        ):
            rows = session.execute(
                select(
                    table.code,
                    TimeSlot.start_time,
                    TimeSlot.end_time,
                    MedicalService.name,
                    table.patient_name,
                )
                .join(TimeSlot, TimeSlot.id == table.slot_id)
                .join(MedicalService, MedicalService.id == table.service_id)
                .where(table.profile_id == profile_id, status, *in_range)
            )
            entries += [
                CalendarEntry(code or "", tentative, start, end, service, _first_name(name))
                for code, start, end, service, name in rows
            ]
    return sorted(entries, key=lambda entry: (entry.start, entry.code))


@dataclass(frozen=True)
class AppointmentFile:
    """One appointment as the patient's calendar file shows it: nothing clinical."""

    code: str
    start: datetime
    end: datetime
    service: str
    practice_name: str
    address: str | None
    timezone: str
    language: str  # the patient's, else the practice's


def appointment_file(sessions: SessionSource, *, token: str) -> AppointmentFile | None:
    """The appointment whose calendar token is `token`; None when unknown or cancelled.

    Not scoped by practice: the unguessable token, given only to the patient, is the scope.
    """
    r = Reservation
    with sessions() as session:
        found = session.execute(
            select(
                r.code,
                TimeSlot.start_time,
                TimeSlot.end_time,
                MedicalService.name,
                Practice.name,
                Practice.address,
                Practice.timezone,
                Contact.language,
                Practice.language,
            )
            .join(TimeSlot, TimeSlot.id == r.slot_id)
            .join(MedicalService, MedicalService.id == r.service_id)
            .join(Practice, Practice.id == r.profile_id)
            .outerjoin(
                Contact, (Contact.profile_id == r.profile_id) & (Contact.phone == r.patient_phone)
            )
            .where(r.calendar_token == token, r.status != ReservationStatus.CANCELLED)
        ).first()
    if found is None:
        return None
    code, start, end, service, name, address, timezone, patient_language, language = found
    return AppointmentFile(
        code or "", start, end, service, name, address, timezone, patient_language or language
    )


def _first_name(name: str | None) -> str:
    words = (name or "").split(maxsplit=1)
    return words[0] if words else ""
