"""Moving an appointment: at once, or, where the doctor approves bookings, as a request.

A move the doctor approves is a request like any other (same hold, same code rules,
the old appointment's intake copied, never asked again) that names the appointment
it replaces. The old appointment stands meanwhile: approving swaps the two in one
transaction (`requests.approve_request`); a rejection or the hold's expiry leaves it
as it was. Lock order, as for every writer of both: the appointment, its move's
request, then slots.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import metrics
from app.background.after_commit import run_after_commit
from app.booking import capacity
from app.booking.appointments import movable, reschedule_reservation
from app.booking.context import BookingContext
from app.booking.errors import MovePending
from app.booking.intake import ContactMethod, PatientIntake, Urgency
from app.booking.notifications import notification_context_for, queue_notifications
from app.booking.requests import Hold, insert_with_fresh_code, new_request_values
from app.models import Practice, RequestStatus, Reservation, ReservationRequest


def move_appointment(
    ctx: BookingContext,
    *,
    profile_id: uuid.UUID,
    code: str,
    patient_phone: str,
    new_slot_id: uuid.UUID,
) -> Hold | None:
    """Move the patient's appointment now (None), or ask the doctor where they approve bookings."""
    with ctx.sessions() as session:
        approval = session.scalar(
            select(Practice.appointment_approval_required).where(Practice.id == profile_id)
        )
    where = {"profile_id": profile_id, "code": code, "patient_phone": patient_phone}
    if not approval:
        reschedule_reservation(ctx, **where, new_slot_id=new_slot_id)
        return None
    return request_move(ctx, **where, new_slot_id=new_slot_id)


def request_move(
    ctx: BookingContext,
    *,
    profile_id: uuid.UUID,
    code: str,
    patient_phone: str,
    new_slot_id: uuid.UUID,
) -> Hold:
    """Hold `new_slot_id` as a request to move appointment `code`; the doctor is asked.

    Refused as a move is (`movable`), with `MovePending` while an earlier move of the
    same appointment waits, or `SlotTaken`; nothing is written then. The old time
    stays taken, so a move to a time overlapping it is refused as taken.
    """
    now = ctx.clock()
    with ctx.sessions.begin() as session:
        reservation, old_slot, new_slot, practice, service = movable(
            session, profile_id, code, patient_phone, new_slot_id, now
        )
        # The appointment is locked: a second move of it waits here, then sees this one.
        waiting = _open_move_code(session, reservation)
        if waiting is not None:
            raise MovePending(waiting)
        capacity.take(session, new_slot)
        values = new_request_values(
            practice, new_slot, _intake_of(session, reservation), now, ctx.hold_minutes
        )
        request = insert_with_fresh_code(
            session, values | {"replaces_reservation_id": reservation.id}
        )
        capacity.refresh_status(session, [new_slot.id])
        run_after_commit(session, "expire_request", request.id, at=request.expires_at)
        about = notification_context_for(session, practice, service, new_slot, patient_phone)
        facts = about.facts(request, old_code=code, old_start=old_slot.start_time.isoformat())
        notification = about.to_doctor("doctor_move_request", f"request:{request.id}:new", facts)
        queue_notifications(session, [notification], ctx.render, now)
        metrics.hold_event(session, "created")
        return Hold(request.id, request.code, request.expires_at)


def _open_move_code(session: Session, reservation: Reservation) -> str | None:
    return session.scalar(
        select(ReservationRequest.code).where(
            ReservationRequest.replaces_reservation_id == reservation.id,
            ReservationRequest.status == RequestStatus.PENDING,
        )
    )


def _intake_of(session: Session, reservation: Reservation) -> PatientIntake:
    """What the patient told us for `reservation`: its request's intake, or only their details."""
    asked = (
        session.get(ReservationRequest, reservation.request_id) if reservation.request_id else None
    )
    if asked is None:
        return PatientIntake(
            phone=reservation.patient_phone,
            name=reservation.patient_name,
            email=reservation.patient_email,
        )
    return PatientIntake(
        phone=reservation.patient_phone,
        name=asked.patient_name,
        age=asked.patient_age,
        gender=asked.patient_gender,
        email=asked.patient_email,
        chief_complaint=asked.chief_complaint,
        symptoms=asked.symptoms,
        medical_history=asked.medical_history,
        current_medications=asked.current_medications,
        allergies=asked.allergies,
        urgency=Urgency(asked.urgency_level or Urgency.NORMAL),
        contact_method=ContactMethod(asked.preferred_contact_method or ContactMethod.WHATSAPP),
    )
