"""A request's life: hold a slot, then the doctor approves or rejects, or the patient withdraws."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import metrics
from app.background.after_commit import run_after_commit
from app.booking import attendance, capacity
from app.booking.appointments import give_up
from app.booking.codes import new_code
from app.booking.context import BookingContext
from app.booking.errors import (
    BookingError,
    ChatBookingClosed,
    NotFound,
    OpenRequestExists,
    RequestExpired,
    UpcomingAppointmentExists,
)
from app.booking.expiry import expire_locked, offered, other_times
from app.booking.intake import PatientIntake
from app.booking.notifications import (
    NotificationContext,
    load_notification_context,
    notification_context_for,
    queue_notifications,
)
from app.booking.policies import bookable_slot, due_reminders, hold_deadline
from app.booking.reminders import schedule_reminders
from app.booking.transitions import check_transition
from app.db import dialect_insert
from app.models import (
    Contact,
    Practice,
    RequestStatus,
    Reservation,
    ReservationRequest,
    ReservationStatus,
    TimeSlot,
)

OPEN_PER_PHONE = "uq_request_open_per_phone"
CODE_ATTEMPTS = 10
# `reservation.source` of the appointments the bot books (the seed's default).
BOT_SOURCE = "whatsapp"
CALENDAR_TOKEN_BYTES = 16  # the patient's calendar file's name: 128 bits, 22 characters


@dataclass(frozen=True)
class Hold:
    """A slot held for a patient: `reservation_id` is set when no approval was needed."""

    request_id: uuid.UUID
    code: str
    expires_at: datetime
    reservation_id: uuid.UUID | None = None
    # The no-show policy frees this patient's appointments unless they confirm when asked.
    reconfirm: bool = False
    # The confirmed appointment's calendar file (`Reservation.calendar_token`).
    calendar_token: str | None = None

    @property
    def confirmed(self) -> bool:
        return self.reservation_id is not None


def hold_slot(
    ctx: BookingContext,
    *,
    profile_id: uuid.UUID,
    slot_id: uuid.UUID,
    intake: PatientIntake,
    patient_language: str | None = None,
) -> Hold:
    """Hold `slot_id` for the patient until the doctor answers (or confirm it at once).

    `patient_language`, when the caller knows it (the chat does), spares reading it.
    Raises `SlotNotBookable`, `OpenRequestExists`, `UpcomingAppointmentExists` or
    `SlotTaken`; nothing is written then.
    """
    try:
        with ctx.sessions.begin() as session:
            return hold_in(session, ctx, profile_id, slot_id, intake, patient_language)
    except IntegrityError as error:
        # Only a race gets here (PostgreSQL; SQLite serialises writers): the same
        # phone's other request was inserted meanwhile, past `_open_request_code`.
        if capacity.constraint_name(error) != OPEN_PER_PHONE:
            raise
    with ctx.sessions() as session:
        raise OpenRequestExists(_open_request_code(session, profile_id, intake.phone) or "")


def hold_in(
    session: Session,
    ctx: BookingContext,
    profile_id: uuid.UUID,
    slot_id: uuid.UUID,
    intake: PatientIntake,
    patient_language: str | None,
) -> Hold:
    """`hold_slot` inside the caller's transaction (a waitlist offer accepted with it)."""
    now = ctx.clock()
    practice = session.get_one(Practice, profile_id)
    slot, service = bookable_slot(session, practice, slot_id, now)
    consequence = attendance.consequence_for(session, practice, intake.phone, now)
    if consequence == attendance.Consequence.CHAT_CLOSED:
        raise ChatBookingClosed()
    # A patient past the practice's no-show limit waits for the doctor, as everyone
    # does at a practice that approves each booking, or is asked to reconfirm.
    needs_doctor = (
        practice.appointment_approval_required or consequence == attendance.Consequence.APPROVAL
    )
    if not needs_doctor:
        _one_upcoming_appointment(session, profile_id, intake.phone, now)
    open_code = _open_request_code(session, profile_id, intake.phone)
    if open_code:
        raise OpenRequestExists(open_code)
    # The place first: `take` locks the doctor's overlapping slots in id order, and
    # inserting the request before would lock its slot (the foreign key's check)
    # out of that order.
    capacity.take(session, slot)
    request = insert_with_fresh_code(
        session, new_request_values(practice, slot, intake, now, ctx.hold_minutes)
    )
    about = notification_context_for(
        session, practice, service, slot, intake.phone, patient_language
    )
    if needs_doctor:
        capacity.refresh_status(session, [slot.id])
        run_after_commit(session, "expire_request", request.id, at=request.expires_at)
        notification = about.to_doctor(
            "doctor_new_request", f"request:{request.id}:new", about.facts(request)
        )
        reservation_id, calendar_token = None, None
    else:
        reservation = confirm(session, request, about, now)
        notification = about.to_doctor(
            "doctor_new_booking", f"request:{request.id}:booked", about.facts(request)
        )
        reservation_id, calendar_token = reservation.id, reservation.calendar_token
    queue_notifications(session, [notification], ctx.render, now)
    metrics.hold_event(session, "created")
    if reservation_id is not None:
        metrics.hold_event(session, "confirmed")
    reconfirm = consequence == attendance.Consequence.RECONFIRM
    return Hold(
        request.id, request.code, request.expires_at, reservation_id, reconfirm, calendar_token
    )


def approve_request(ctx: BookingContext, *, profile_id: uuid.UUID, code: str) -> Reservation:
    """The doctor approves: the request becomes a confirmed reservation; the patient is told.

    An answer after the deadline expires the hold (if the sweep has not yet) and
    raises `RequestExpired`.
    """
    now = ctx.clock()
    with ctx.sessions.begin() as session:
        replaced = _lock_replaced(session, profile_id, code)
        request = lock_request(session, profile_id, code)
        if not _overdue(request, now):
            check_transition("request", request.code, request.status, RequestStatus.APPROVED)
            if replaced is not None:
                # The slots of both times, in id order, before either is written.
                capacity.lock_starts(session, [replaced.slot_id, request.slot_id])
                old_start = session.get_one(TimeSlot, replaced.slot_id).start_time
                give_up(session, replaced, now, also_release=[])
            about = _locked_notification_context(session, request)
            reservation = confirm(session, request, about, now)
            # The edge that knows the public address makes the token a link (its render).
            purpose, extra = "patient_approved", {"calendar_token": reservation.calendar_token}
            if replaced is not None:
                purpose, extra = "patient_move_approved", {"old_start": old_start.isoformat()}
            notification = about.to_patient(
                purpose,
                request.patient_phone,
                f"request:{request.id}:approved",
                about.facts(reservation, **extra),
            )
            queue_notifications(session, [notification], ctx.render, now)
            metrics.hold_event(session, "approved")
            return reservation
        expire_locked(session, [request], now, ctx.render, ctx.offer_other_times)
    raise RequestExpired(request.code, request.expires_at)


def reject_request(
    ctx: BookingContext, *, profile_id: uuid.UUID, code: str, reason: str | None = None
) -> ReservationRequest:
    """The doctor declines: the slot's place is given back and the patient is told why.

    A booking's patient is offered the free times nearest the one declined; a move's
    keeps their appointment, and nothing is offered.
    """
    now = ctx.clock()
    with ctx.sessions.begin() as session:
        request = lock_request(session, profile_id, code)
        if not _overdue(request, now):
            check_transition("request", request.code, request.status, RequestStatus.REJECTED)
            about = _locked_notification_context(session, request)
            _close(session, request, RequestStatus.REJECTED, now, rejection_reason=reason)
            moved = request.replaces_reservation_id is not None
            facts = about.facts(request, rejection_reason=reason)
            if not moved:
                start = about.slot.start_time
                times = other_times(session, about.practice, request, start, now, declined=True)
                facts |= offered(session, request, times, now, ctx.offer_other_times)
            notification = about.to_patient(
                "patient_move_rejected" if moved else "patient_rejected",
                request.patient_phone,
                f"request:{request.id}:rejected",
                facts,
            )
            queue_notifications(session, [notification], ctx.render, now)
            metrics.hold_event(session, "rejected")
            return request
        expire_locked(session, [request], now, ctx.render, ctx.offer_other_times)
    raise RequestExpired(request.code, request.expires_at)


def withdraw_request(
    ctx: BookingContext, *, profile_id: uuid.UUID, phone: str, code: str | None = None
) -> ReservationRequest:
    """The patient takes back their open request (or, by its code, a move's) before the answer."""
    now = ctx.clock()
    with ctx.sessions.begin() as session:
        code = code or _open_request_code(session, profile_id, phone)
        if code is None:
            raise NotFound("")
        request = lock_request(session, profile_id, code)
        if request.patient_phone != phone:
            raise NotFound(code)
        check_transition("request", request.code, request.status, RequestStatus.CANCELLED)
        about = _locked_notification_context(session, request)
        _close(session, request, RequestStatus.CANCELLED, now)
        notification = about.to_doctor(
            "doctor_request_withdrawn", f"request:{request.id}:withdrawn", about.facts(request)
        )
        queue_notifications(session, [notification], ctx.render, now)
        metrics.hold_event(session, "cancelled")
        return request


def confirm(
    session: Session, request: ReservationRequest, about: NotificationContext, now: datetime
) -> Reservation:
    """Turn a pending request into a confirmed reservation (same code, copied patient)."""
    request.status = RequestStatus.APPROVED
    request.approved_by = about.practice.id
    request.approved_at = now
    request.updated_at = now
    reminders = due_reminders(about.slot.start_time, now, about.practice.attendance_ask_hours)
    reservation = Reservation(
        profile_id=request.profile_id,
        slot_id=request.slot_id,
        service_id=request.service_id,
        request_id=request.id,
        code=request.code,
        calendar_token=secrets.token_urlsafe(CALENDAR_TOKEN_BYTES),
        patient_name=request.patient_name,
        patient_phone=request.patient_phone,
        patient_email=request.patient_email,
        source=BOT_SOURCE,
        price_at_booking=about.service.price,
        reminder_24h_scheduled="24h" in reminders,
        reminder_2h_scheduled="2h" in reminders,
        created_at=now,
        updated_at=now,
    )
    session.add(reservation)
    session.flush()
    capacity.refresh_status(session, [request.slot_id])
    schedule_reminders(session, reservation, about.slot.start_time, reminders)
    return reservation


def lock_request(session: Session, profile_id: uuid.UUID, code: str) -> ReservationRequest:
    """The practice's request with `code`, locked; another practice's code is `NotFound`."""
    request = session.scalar(
        select(ReservationRequest)
        .where(ReservationRequest.profile_id == profile_id, ReservationRequest.code == code)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if request is None:
        raise NotFound(code)
    return request


def _close(
    session: Session,
    request: ReservationRequest,
    status: RequestStatus,
    now: datetime,
    rejection_reason: str | None = None,
) -> None:
    request.status = status
    request.rejection_reason = rejection_reason
    request.updated_at = now
    session.flush()
    capacity.release(session, [request.slot_id])
    capacity.refresh_status(session, [request.slot_id])


def _overdue(request: ReservationRequest, now: datetime) -> bool:
    return request.status == RequestStatus.PENDING and request.expires_at <= now


def _locked_notification_context(
    session: Session, request: ReservationRequest
) -> NotificationContext:
    # Lock order everywhere: request first, then its slot.
    session.get_one(TimeSlot, request.slot_id, with_for_update=True, populate_existing=True)
    return load_notification_context(session, request.slot_id, request.patient_phone)


def _one_upcoming_appointment(
    session: Session, profile_id: uuid.UUID, phone: str, now: datetime
) -> None:
    """Refuse a second upcoming appointment booked through the bot for `phone`.

    With no doctor to approve, this is what keeps one number from taking every slot.
    The patient's contact row is locked first (created if the number never wrote,
    as when a script books): two bookings of one number queue on it, and the second
    sees the first's appointment. The inbox already holds that lock for a message
    being answered; every other writer takes it before any slot, so no deadlock.
    """
    contact = dialect_insert(session)(Contact).values(
        id=uuid.uuid4(), profile_id=profile_id, phone=phone, created_at=now, updated_at=now
    )
    # DO UPDATE (a no-op) rather than DO NOTHING: it locks the row it meets.
    session.execute(
        contact.on_conflict_do_update(
            index_elements=[Contact.profile_id, Contact.phone],
            set_={"phone": contact.excluded.phone},
        )
    )
    upcoming = session.scalar(
        select(Reservation.code)
        .join(TimeSlot, TimeSlot.id == Reservation.slot_id)
        .where(
            Reservation.profile_id == profile_id,
            Reservation.patient_phone == phone,
            Reservation.status == ReservationStatus.CONFIRMED,
            Reservation.source == BOT_SOURCE,
            TimeSlot.start_time > now,
        )
        .order_by(TimeSlot.start_time)
        .limit(1)
    )
    if upcoming is not None:
        raise UpcomingAppointmentExists(upcoming)


def _open_request_code(session: Session, profile_id: uuid.UUID, phone: str) -> str | None:
    """The phone's open request for a new booking (a move of an appointment is not one)."""
    return session.scalar(
        select(ReservationRequest.code).where(
            ReservationRequest.profile_id == profile_id,
            ReservationRequest.patient_phone == phone,
            ReservationRequest.status == RequestStatus.PENDING,
            ReservationRequest.replaces_reservation_id.is_(None),
        )
    )


def _lock_replaced(session: Session, profile_id: uuid.UUID, code: str) -> Reservation | None:
    """The confirmed appointment the request `code` would replace, locked; None for a booking.

    Locked before the request, the order every writer of both keeps (a cancellation
    locks the appointment, then its move). Which appointment a request replaces never
    changes, so reading it unlocked first is safe. An appointment cancelled meanwhile
    has closed its move too: the request's own status then refuses the approval.
    """
    replaced_id = session.scalar(
        select(ReservationRequest.replaces_reservation_id).where(
            ReservationRequest.profile_id == profile_id, ReservationRequest.code == code
        )
    )
    if replaced_id is None:
        return None
    return session.scalar(
        select(Reservation)
        .where(Reservation.id == replaced_id, Reservation.status == ReservationStatus.CONFIRMED)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def new_request_values(
    practice: Practice, slot: TimeSlot, intake: PatientIntake, now: datetime, hold_minutes: int
) -> dict[str, Any]:
    """The columns of a new request, all but its code."""
    return {
        "id": uuid.uuid4(),
        "profile_id": practice.id,
        "slot_id": slot.id,
        "service_id": slot.service_id,
        "patient_name": intake.name,
        "patient_phone": intake.phone,
        "patient_email": intake.email,
        "patient_age": intake.age,
        "patient_gender": intake.gender,
        "chief_complaint": intake.chief_complaint,
        "symptoms": intake.symptoms,
        "medical_history": intake.medical_history,
        "current_medications": intake.current_medications,
        "allergies": intake.allergies,
        "urgency_level": intake.urgency,
        "preferred_contact_method": intake.contact_method,
        "status": RequestStatus.PENDING,
        "requested_time": slot.start_time,
        # A hold never outlives the appointment it holds.
        "expires_at": min(hold_deadline(now, hold_minutes), slot.start_time),
        "created_at": now,
        "updated_at": now,
    }


def insert_with_fresh_code(session: Session, values: dict[str, Any]) -> ReservationRequest:
    """Insert the request under a code no other request of the practice has had.

    A code already taken inserts nothing (ON CONFLICT on the practice's codes) and
    another is drawn: one statement per try, no savepoint.
    """
    for _ in range(CODE_ATTEMPTS):
        statement = (
            dialect_insert(session)(ReservationRequest)
            .values(values | {"code": new_code()})
            .on_conflict_do_nothing(index_elements=["profile_id", "code"])
            .returning(ReservationRequest)
        )
        request = session.scalars(statement).first()
        if request is not None:
            return request
    raise BookingError("could not find a free request code")
