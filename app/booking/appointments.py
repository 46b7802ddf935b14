"""A confirmed appointment's life: cancel, reschedule, complete, no-show, and notes."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app import metrics
from app.booking import capacity
from app.booking.context import BookingContext
from app.booking.errors import (
    AlreadyStarted,
    IllegalTransition,
    NotFound,
    NotStarted,
    SlotNotBookable,
)
from app.booking.notifications import (
    load_notification_context,
    notification_context_for,
    queue_notifications,
)
from app.booking.policies import (
    REMINDER_LEADS,
    bookable_slot,
    due_reminders,
    is_late_cancellation,
)
from app.booking.reminders import schedule_reminders
from app.booking.transitions import check_transition
from app.models import (
    AppointmentNote,
    MedicalService,
    MessageLog,
    MessageStatus,
    Practice,
    RequestStatus,
    Reservation,
    ReservationRequest,
    ReservationStatus,
    TimeSlot,
)

NOTE_TYPES = ("diagnosis", "treatment", "follow_up", "prescription")
REMINDER_PURPOSES = tuple(f"reminder_{kind}" for kind in REMINDER_LEADS)
SUPERSEDED = "superseded"


def cancel_reservation(
    ctx: BookingContext,
    *,
    profile_id: uuid.UUID,
    code: str,
    patient_phone: str | None = None,
    reason: str | None = None,
) -> Reservation:
    """Cancel an appointment; the other side is told and the place comes back.

    With `patient_phone` the patient cancels (and only their own appointment is
    found); without it, the doctor does. The cancellation policy is shown to the
    patient by the conversation; it informs, it never blocks. Once the appointment
    has started it is `AlreadyStarted`: the doctor closes it as completed or missed.
    """
    now = ctx.clock()
    with ctx.sessions.begin() as session:
        reservation = lock_reservation(session, profile_id, code, patient_phone)
        check_transition("reservation", code, reservation.status, ReservationStatus.CANCELLED)
        if _lock_slot(session, reservation.slot_id).start_time <= now:
            raise AlreadyStarted(code)
        about = load_notification_context(session, reservation.slot_id, reservation.patient_phone)
        # A move the doctor has not answered goes with the appointment it would move.
        moves = close_open_moves(session, reservation, now)
        give_up(session, reservation, now, also_release=[move.slot_id for move in moves])
        reservation.cancelled_by = "doctor" if patient_phone is None else "patient"
        window = about.practice.cancellation_window_hours
        if patient_phone and is_late_cancellation(about.slot.start_time, now, window):
            metrics.attendance_event(session, "late_cancellation")
        key = f"reservation:{reservation.id}:cancelled"
        facts = about.facts(reservation, rejection_reason=reason)
        if patient_phone is None:
            notification = about.to_patient(
                "patient_cancelled_by_doctor", reservation.patient_phone, key, facts
            )
        else:
            notification = about.to_doctor("doctor_cancelled_by_patient", key, facts)
        queue_notifications(session, [notification], ctx.render, now)
        return reservation


def reschedule_reservation(
    ctx: BookingContext,
    *,
    profile_id: uuid.UUID,
    code: str,
    patient_phone: str,
    new_slot_id: uuid.UUID,
) -> Reservation:
    """Move the patient's appointment to another slot of the same service.

    Taking the new slot and giving back the old one happen in one transaction, so
    the patient never loses the old time when the new one cannot be had. The old
    place is given back first so that a move to an overlapping time (09:00 ->
    09:30 for an hour-long visit) does not collide with itself. An appointment that
    has started cannot move (`AlreadyStarted`).
    """
    now = ctx.clock()
    with ctx.sessions.begin() as session:
        reservation, old_slot, new_slot, practice, service = movable(
            session, profile_id, code, patient_phone, new_slot_id, now
        )
        old_start = old_slot.start_time
        # One take locks both slots (and the doctor's overlapping ones) in id order:
        # crossing moves and concurrent holds cannot deadlock with it.
        capacity.take(session, new_slot, giving_back=old_slot.id)
        reminders = due_reminders(new_slot.start_time, now, practice.attendance_ask_hours)
        reservation.slot_id = new_slot.id
        reservation.reminder_24h_scheduled = "24h" in reminders
        reservation.reminder_2h_scheduled = "2h" in reminders
        reservation.reminder_24h_sent = False
        reservation.reminder_2h_sent = False
        reservation.updated_at = now
        session.flush()
        _supersede_queued_reminders(session, reservation, now)
        schedule_reminders(session, reservation, new_slot.start_time, reminders)
        capacity.refresh_status(session, [old_slot.id, new_slot.id])
        about = notification_context_for(session, practice, service, new_slot, patient_phone)
        notification = about.to_doctor(
            "doctor_rescheduled",
            f"reservation:{reservation.id}:moved:{uuid.uuid4()}",
            about.facts(reservation, old_start=old_start.isoformat()),
        )
        queue_notifications(session, [notification], ctx.render, now)
        return reservation


def movable(
    session: Session,
    profile_id: uuid.UUID,
    code: str,
    patient_phone: str,
    new_slot_id: uuid.UUID,
    now: datetime,
) -> tuple[Reservation, TimeSlot, TimeSlot, Practice, MedicalService]:
    """The patient's appointment `code`, locked, if it may move to `new_slot_id`, else raises.

    Only a confirmed appointment that has not started moves, and only to a bookable
    slot of its own service other than its own; whether that slot has room is left
    to `capacity.take`.
    """
    reservation = lock_reservation(session, profile_id, code, patient_phone)
    if reservation.status != ReservationStatus.CONFIRMED:
        raise IllegalTransition("reservation", code, reservation.status, "rescheduled")
    old_slot = session.get_one(TimeSlot, reservation.slot_id)
    if old_slot.start_time <= now:
        raise AlreadyStarted(code)
    practice = session.get_one(Practice, profile_id)
    new_slot, service = bookable_slot(session, practice, new_slot_id, now)
    if new_slot.id == reservation.slot_id or new_slot.service_id != reservation.service_id:
        same = new_slot.id == reservation.slot_id
        raise SlotNotBookable("same_slot" if same else "other_service")
    return reservation, old_slot, new_slot, practice, service


def give_up(
    session: Session, reservation: Reservation, now: datetime, also_release: list[uuid.UUID]
) -> None:
    """Cancel the locked `reservation`: its place comes back and its reminders are withdrawn.

    `also_release`: other places given back in the same statement (slots locked in id order).
    """
    reservation.status = ReservationStatus.CANCELLED
    reservation.cancelled_at = now
    reservation.updated_at = now
    # Due reminders check the status; these flags say none is pending any more.
    reservation.reminder_24h_scheduled = False
    reservation.reminder_2h_scheduled = False
    session.flush()
    _supersede_queued_reminders(session, reservation, now)
    slot_ids = [reservation.slot_id, *also_release]
    capacity.release(session, slot_ids)
    capacity.refresh_status(session, slot_ids)


def close_open_moves(
    session: Session, reservation: Reservation, now: datetime
) -> list[ReservationRequest]:
    """Withdraw the pending move of `reservation`, if any (locked after the reservation)."""
    moves = list(
        session.scalars(
            select(ReservationRequest)
            .where(
                ReservationRequest.replaces_reservation_id == reservation.id,
                ReservationRequest.status == RequestStatus.PENDING,
            )
            .with_for_update()
        )
    )
    for move in moves:
        move.status = RequestStatus.CANCELLED
        move.updated_at = now
    return moves


def complete_reservation(ctx: BookingContext, *, profile_id: uuid.UUID, code: str) -> Reservation:
    """The doctor saw the patient."""
    return _finish(ctx, profile_id, code, ReservationStatus.COMPLETED)


def mark_no_show(ctx: BookingContext, *, profile_id: uuid.UUID, code: str) -> Reservation:
    """The patient did not come."""
    return _finish(ctx, profile_id, code, ReservationStatus.NO_SHOW)


def add_note(
    ctx: BookingContext,
    *,
    profile_id: uuid.UUID,
    code: str,
    note_type: str,
    content: str,
    private: bool = False,
) -> AppointmentNote:
    """Keep the doctor's note on an appointment of their own practice."""
    if note_type not in NOTE_TYPES:
        raise ValueError(f"note type must be one of {NOTE_TYPES}")
    now = ctx.clock()
    with ctx.sessions.begin() as session:
        reservation = lock_reservation(session, profile_id, code)
        note = AppointmentNote(
            reservation_id=reservation.id,
            profile_id=profile_id,
            note_type=note_type,
            content=content,
            is_private=private,
            created_at=now,
            updated_at=now,
        )
        session.add(note)
        return note


def lock_reservation(
    session: Session, profile_id: uuid.UUID, code: str, patient_phone: str | None = None
) -> Reservation:
    """The practice's reservation `code` (the patient's own, if a phone is given), locked."""
    query = select(Reservation).where(
        Reservation.profile_id == profile_id, Reservation.code == code
    )
    if patient_phone is not None:
        query = query.where(Reservation.patient_phone == patient_phone)
    reservation = session.scalar(query.with_for_update().execution_options(populate_existing=True))
    if reservation is None:
        raise NotFound(code)
    return reservation


def _finish(
    ctx: BookingContext, profile_id: uuid.UUID, code: str, status: ReservationStatus
) -> Reservation:
    now = ctx.clock()
    with ctx.sessions.begin() as session:
        reservation = lock_reservation(session, profile_id, code)
        check_transition("reservation", code, reservation.status, status)
        slot = session.get_one(TimeSlot, reservation.slot_id)
        if slot.start_time > now:
            raise NotStarted(code)
        reservation.status = status
        reservation.updated_at = now
        if status == ReservationStatus.COMPLETED:
            reservation.completed_at = now
        else:
            reservation.no_show = True
            metrics.attendance_event(session, "no_show")
        return reservation


def _lock_slot(session: Session, slot_id: uuid.UUID) -> TimeSlot:
    return session.get_one(TimeSlot, slot_id, with_for_update=True, populate_existing=True)


def _supersede_queued_reminders(session: Session, reservation: Reservation, now: datetime) -> None:
    """Fail the reservation's reminders still waiting in the outbox: their time no longer holds.

    Found by the key `reminder_sending` gives them (``reservation:<id>:reminder_...``),
    among the patient's messages (the index on profile and phone keeps this cheap).
    A reminder already `sending` is in the provider's hands and is left alone.
    """
    session.execute(
        update(MessageLog)
        .where(
            MessageLog.profile_id == reservation.profile_id,
            MessageLog.phone == reservation.patient_phone,
            MessageLog.direction == "out",
            MessageLog.status == MessageStatus.QUEUED,
            MessageLog.purpose.in_(REMINDER_PURPOSES),
            MessageLog.dedupe_key.startswith(
                f"reservation:{reservation.id}:reminder_", autoescape=True
            ),
        )
        .values(
            status=MessageStatus.FAILED, error_code=SUPERSEDED, next_attempt_at=None, updated_at=now
        )
        .execution_options(synchronize_session=False)
    )
