"""Moving an appointment on PostgreSQL: at once without approval, else a request the doctor answers.

The clock stands at 09:00 on Tuesday 1 December 2026 in Mexico City (the `clock`
fixture); the practice's slots are on Thursday 3 December from 09:00, every 30 minutes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.booking.appointments import cancel_reservation
from app.booking.context import BookingContext
from app.booking.errors import MovePending, OpenRequestExists, SlotTaken
from app.booking.expiry import expire_overdue_holds
from app.booking.intake import Urgency
from app.booking.moves import move_appointment
from app.booking.queries import patient_bookings, pending_requests
from app.booking.requests import approve_request, hold_slot, reject_request
from app.models import (
    MessageLog,
    MessageStatus,
    Practice,
    Reservation,
    ReservationRequest,
    TimeSlot,
)
from tests.conftest import FrozenClock
from tests.factories import context, intake, make_practice, make_service, make_slot

PHONE = "+525599990001"


@dataclass
class Setup:
    practice: Practice
    slots: list[TimeSlot]
    ctx: BookingContext
    sessions: sessionmaker[Session]

    def book(self, slot: int, phone: str = PHONE, **fields: object) -> str:
        """A confirmed appointment of `phone` in slot number `slot` (approved if need be)."""
        told = intake(phone, **fields)
        hold = hold_slot(
            self.ctx, profile_id=self.practice.id, slot_id=self.slots[slot].id, intake=told
        )
        if not hold.confirmed:
            approve_request(self.ctx, profile_id=self.practice.id, code=hold.code)
        return hold.code

    def move(self, code: str, to: int) -> str | None:
        """Move appointment `code` to slot number `to`; the move's request code, if one."""
        asked = move_appointment(
            self.ctx,
            profile_id=self.practice.id,
            code=code,
            patient_phone=PHONE,
            new_slot_id=self.slots[to].id,
        )
        return asked.code if asked else None

    def slot(self, n: int) -> tuple[str, int]:
        with self.sessions() as session:
            fresh = session.get_one(TimeSlot, self.slots[n].id)
            return fresh.status, fresh.current_reservations

    def reservation(self, code: str) -> Reservation:
        with self.sessions() as session:
            return session.scalars(
                select(Reservation).where(
                    Reservation.profile_id == self.practice.id, Reservation.code == code
                )
            ).one()

    def request(self, code: str) -> ReservationRequest:
        with self.sessions() as session:
            return session.scalars(
                select(ReservationRequest).where(
                    ReservationRequest.profile_id == self.practice.id,
                    ReservationRequest.code == code,
                )
            ).one()

    def outbox(self) -> list[tuple[str, str, str]]:
        with self.sessions() as session:
            rows = session.execute(
                select(MessageLog.purpose, MessageLog.phone, MessageLog.body)
                .where(MessageLog.profile_id == self.practice.id)
                .order_by(MessageLog.created_at, MessageLog.id)
            )
            return [tuple(row) for row in rows]

    def purposes(self) -> list[str]:
        return [purpose for purpose, _, _ in self.outbox()]

    def told(self, purpose: str) -> tuple[str, str]:
        """The one message queued for `purpose`: to whom, and its body."""
        [found] = [(phone, body) for sent, phone, body in self.outbox() if sent == purpose]
        return found


def setup(sessions: sessionmaker[Session], clock: FrozenClock, approval: bool = True) -> Setup:
    with sessions.begin() as session:
        practice = make_practice(session, appointment_approval_required=approval)
        service = make_service(session, practice)
        first = clock.now + timedelta(days=2)
        slots = [make_slot(session, service, first + timedelta(minutes=30 * i)) for i in range(4)]
    return Setup(practice, slots, context(sessions, clock), sessions)


@pytest.fixture
def approving(sessions: sessionmaker[Session], clock: FrozenClock) -> Setup:
    return setup(sessions, clock)


def test_without_approval_the_move_happens_at_once(
    sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    practice = setup(sessions, clock, approval=False)
    code = practice.book(0)
    assert practice.move(code, 2) is None
    assert practice.reservation(code).slot_id == practice.slots[2].id
    assert (practice.slot(0), practice.slot(2)) == (("available", 0), ("reserved", 1))
    assert "doctor_rescheduled" in practice.purposes()


def test_a_move_is_a_request_the_old_appointment_stands_and_the_doctor_is_asked(
    approving: Setup,
) -> None:
    code = approving.book(0, age=61, chief_complaint="Tos seca", urgency=Urgency.HIGH)
    asked = approving.move(code, 2)
    assert asked is not None and asked != code
    assert approving.reservation(code).status == "confirmed"
    assert approving.slot(0) == ("reserved", 1)
    assert approving.slot(2) == ("pending_approval", 1)
    request = approving.request(asked)
    assert request.replaces_reservation_id == approving.reservation(code).id
    # The intake is the old appointment's, copied: nothing is asked again.
    assert (request.patient_age, request.chief_complaint, request.urgency_level) == (
        61,
        "Tos seca",
        "high",
    )
    phone, body = approving.told("doctor_move_request")
    assert phone == approving.practice.doctor_phone
    assert f"pide cambiar su cita {code} del jueves 3 de diciembre, 09:00 al jueves" in body
    assert f"APROBAR {asked}" in body and f"RECHAZAR {asked}" in body
    [pending] = pending_requests(approving.sessions, profile_id=approving.practice.id)
    assert (pending.code, pending.moving_from) == (asked, approving.slots[0].start_time)
    bookings = patient_bookings(
        approving.sessions, profile_id=approving.practice.id, phone=PHONE, now=approving.ctx.clock()
    )
    assert [(b.code, b.kind, b.replaces) for b in bookings] == [
        (code, "reservation", None),
        (asked, "request", code),
    ]


def test_approval_swaps_both_in_one_transaction(approving: Setup) -> None:
    code = approving.book(0)
    old_id = approving.reservation(code).id
    asked = approving.move(code, 2)
    assert asked is not None
    new = approve_request(approving.ctx, profile_id=approving.practice.id, code=asked)
    old = approving.reservation(code)
    assert (old.id, old.status, old.reminder_24h_scheduled) == (old_id, "cancelled", False)
    assert (new.code, new.status, new.slot_id) == (asked, "confirmed", approving.slots[2].id)
    assert (approving.slot(0), approving.slot(2)) == (("available", 0), ("reserved", 1))
    phone, body = approving.told("patient_move_approved")
    assert phone == PHONE
    assert "ahora es el jueves 3 de diciembre, 10:00" in body and asked in body


def test_a_queued_reminder_of_the_old_time_is_withdrawn_on_approval(
    approving: Setup, clock: FrozenClock
) -> None:
    code = approving.book(0)
    old_id = approving.reservation(code).id
    with approving.sessions.begin() as session:
        session.add(
            MessageLog(
                id=uuid.uuid4(),
                profile_id=approving.practice.id,
                direction="out",
                phone=PHONE,
                body="Recordatorio",
                status=MessageStatus.QUEUED,
                purpose="reminder_24h",
                dedupe_key=f"reservation:{old_id}:reminder_24h",
                created_at=clock.now,
                updated_at=clock.now,
            )
        )
    asked = approving.move(code, 2)
    assert asked is not None
    approve_request(approving.ctx, profile_id=approving.practice.id, code=asked)
    with approving.sessions() as session:
        status, error = session.execute(
            select(MessageLog.status, MessageLog.error_code).where(
                MessageLog.purpose == "reminder_24h"
            )
        ).one()
    assert (status, error) == ("failed", "superseded")


def test_a_rejection_keeps_the_old_appointment_and_frees_the_new_time(approving: Setup) -> None:
    code = approving.book(0)
    asked = approving.move(code, 2)
    assert asked is not None
    reject_request(
        approving.ctx, profile_id=approving.practice.id, code=asked, reason="Ese día opero"
    )
    assert approving.reservation(code).status == "confirmed"
    assert (approving.slot(0), approving.slot(2)) == (("reserved", 1), ("available", 0))
    phone, body = approving.told("patient_move_rejected")
    assert phone == PHONE
    assert "Tu cita sigue como estaba" in body and "Ese día opero" in body


def test_an_unanswered_move_expires_and_the_old_appointment_stays(
    approving: Setup, clock: FrozenClock
) -> None:
    code = approving.book(0)
    asked = approving.move(code, 2)
    assert asked is not None
    clock.advance(minutes=31)
    assert expire_overdue_holds(approving.ctx) == 1
    assert approving.request(asked).status == "expired"
    assert approving.reservation(code).status == "confirmed"
    assert (approving.slot(0), approving.slot(2)) == (("reserved", 1), ("available", 0))
    phone, body = approving.told("patient_move_expired")
    assert phone == PHONE
    assert "tu cita sigue como estaba" in body


def test_one_move_at_a_time_and_a_move_is_no_second_open_request(approving: Setup) -> None:
    code = approving.book(0)
    asked = approving.move(code, 2)
    with pytest.raises(MovePending) as refused:
        approving.move(code, 3)
    assert refused.value.code == asked
    assert approving.slot(3) == ("available", 0)
    # A new booking of the same phone is still one open request, the move aside ...
    other = hold_slot(
        approving.ctx,
        profile_id=approving.practice.id,
        slot_id=approving.slots[1].id,
        intake=intake(PHONE),
    )
    # ... and a second one is refused as before.
    with pytest.raises(OpenRequestExists) as second:
        hold_slot(
            approving.ctx,
            profile_id=approving.practice.id,
            slot_id=approving.slots[3].id,
            intake=intake(PHONE),
        )
    assert second.value.code == other.code


def test_a_move_to_a_taken_time_writes_nothing(approving: Setup) -> None:
    code = approving.book(0)
    approving.book(2, phone="+525599990002")
    before = approving.outbox()
    with pytest.raises(SlotTaken):
        approving.move(code, 2)
    assert approving.outbox() == before
    with approving.sessions() as session:
        moves = session.scalars(
            select(ReservationRequest).where(
                ReservationRequest.replaces_reservation_id.is_not(None)
            )
        ).all()
    assert moves == []


def test_cancelling_the_appointment_withdraws_its_waiting_move(approving: Setup) -> None:
    code = approving.book(0)
    asked = approving.move(code, 2)
    assert asked is not None
    cancel_reservation(
        approving.ctx, profile_id=approving.practice.id, code=code, patient_phone=PHONE
    )
    assert approving.request(asked).status == "cancelled"
    assert (approving.slot(0), approving.slot(2)) == (("available", 0), ("available", 0))
    assert pending_requests(approving.sessions, profile_id=approving.practice.id) == []
