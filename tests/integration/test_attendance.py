"""Attendance on PostgreSQL: the patient's confirmation, who cancelled, the no-show policy.

The clock is frozen at 2026-12-01 15:00 UTC (the `clock` fixture) and moved by hand;
the practice has one slot a day from two days later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.booking.appointments import cancel_reservation, mark_no_show
from app.booking.attendance import confirm_attendance, forgive
from app.booking.context import BookingContext
from app.booking.errors import ChatBookingClosed, NotFound
from app.booking.queries import doctor_agenda
from app.booking.reminder_sending import send_due_reminders
from app.booking.requests import Hold, hold_slot, withdraw_request
from app.models import (
    Contact,
    MedicalService,
    MessageLog,
    Practice,
    Reservation,
    ReservationRequest,
    TimeSlot,
)
from tests.conftest import FrozenClock
from tests.factories import context, intake, make_practice, make_service, make_slot

PHONE = "+525599991001"


@dataclass
class Setup:
    profile: Practice
    slots: list[TimeSlot]
    ctx: BookingContext

    def book(self, slot: int, phone: str = PHONE) -> Hold:
        return hold_slot(
            self.ctx, profile_id=self.profile.id, slot_id=self.slots[slot].id, intake=intake(phone)
        )


def open_practice(sessions: sessionmaker[Session], clock: FrozenClock, **fields: object) -> Setup:
    with sessions.begin() as session:
        profile = make_practice(session, **({"appointment_approval_required": False} | fields))
        service = make_service(session, profile)
        first = clock.now.replace(minute=0) + timedelta(days=2)
        slots = [make_slot(session, service, first + timedelta(days=n)) for n in range(5)]
    return Setup(profile, slots, context(sessions, clock))


def reservation(sessions: sessionmaker[Session], code: str) -> Reservation:
    with sessions() as session:
        return session.scalars(select(Reservation).where(Reservation.code == code)).one()


def test_the_patient_confirms_once_and_the_agenda_shows_when(
    sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    practice = open_practice(sessions, clock)
    code = practice.book(0).code
    said_at = clock.advance(hours=1)
    confirm_attendance(practice.ctx, profile_id=practice.profile.id, code=code, patient_phone=PHONE)
    clock.advance(hours=1)  # saying it again keeps the first time
    confirm_attendance(practice.ctx, profile_id=practice.profile.id, code=code, patient_phone=PHONE)
    assert reservation(sessions, code).attendance_confirmed_at == said_at
    day = (practice.slots[0].start_time - timedelta(hours=6)).date()  # Mexico City's date
    [booking] = doctor_agenda(sessions, profile_id=practice.profile.id, day=day)
    assert booking.code == code and booking.attendance_confirmed_at == said_at


def test_only_the_patients_own_upcoming_appointment_can_be_confirmed(
    sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    practice = open_practice(sessions, clock)
    code = practice.book(0).code
    with pytest.raises(NotFound):
        confirm_attendance(
            practice.ctx, profile_id=practice.profile.id, code=code, patient_phone="+525599991999"
        )
    cancel_reservation(practice.ctx, profile_id=practice.profile.id, code=code, patient_phone=PHONE)
    with pytest.raises(NotFound):
        confirm_attendance(
            practice.ctx, profile_id=practice.profile.id, code=code, patient_phone=PHONE
        )
    assert reservation(sessions, code).attendance_confirmed_at is None


def test_a_cancellation_records_who_made_it(
    sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    practice = open_practice(sessions, clock)
    mine = practice.book(0).code
    cancel_reservation(practice.ctx, profile_id=practice.profile.id, code=mine, patient_phone=PHONE)
    theirs = practice.book(1).code
    cancel_reservation(practice.ctx, profile_id=practice.profile.id, code=theirs)
    assert reservation(sessions, mine).cancelled_by == "patient"
    assert reservation(sessions, theirs).cancelled_by == "doctor"


def miss(practice: Setup, slot: int, clock: FrozenClock) -> None:
    """Book `slot`, let it start, and have the doctor mark it missed."""
    code = practice.book(slot).code
    clock.now = practice.slots[slot].start_time + timedelta(hours=1)
    mark_no_show(practice.ctx, profile_id=practice.profile.id, code=code)


def test_two_no_shows_make_the_next_booking_wait_for_the_doctor_until_forgiven(
    sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    practice = open_practice(sessions, clock, no_show_limit=2, no_show_months=6)
    miss(practice, 0, clock)
    assert practice.book(1).confirmed  # one no-show: still booked at once
    clock.now = practice.slots[1].start_time + timedelta(hours=1)
    mark_no_show(practice.ctx, profile_id=practice.profile.id, code=reservation_code(sessions, 1))

    held = practice.book(2)
    assert not held.confirmed  # a request: the doctor decides
    with sessions() as session:
        assert session.get_one(ReservationRequest, held.request_id).status == "pending"
        purposes = session.scalars(
            select(MessageLog.purpose).where(
                MessageLog.dedupe_key == f"request:{held.request_id}:new"
            )
        ).all()
    assert purposes == ["doctor_new_request"]

    withdraw_request(practice.ctx, profile_id=practice.profile.id, phone=PHONE)
    assert forgive(practice.ctx, profile_id=practice.profile.id, phone=PHONE) == 2
    assert practice.book(3).confirmed
    # Another phone was never affected.
    assert practice.book(4, phone="+525599991002").confirmed


def reservation_code(sessions: sessionmaker[Session], slot_index: int) -> str:
    with sessions() as session:
        codes = session.scalars(
            select(Reservation.code).join(TimeSlot).order_by(TimeSlot.start_time)
        ).all()
    return codes[slot_index] or ""


def test_no_shows_older_than_the_months_no_longer_count(
    sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    practice = open_practice(sessions, clock, no_show_limit=1, no_show_months=1)
    miss(practice, 0, clock)
    assert not practice.book(1).confirmed
    withdraw_request(practice.ctx, profile_id=practice.profile.id, phone=PHONE)
    clock.now = practice.slots[0].start_time + timedelta(days=31)  # past the month
    with sessions.begin() as session:
        service = session.get_one(TimeSlot, practice.slots[0].id).service_id
        later = make_slot(
            session, session.get_one(MedicalService, service), clock.now + timedelta(days=2)
        )
    held = hold_slot(
        practice.ctx, profile_id=practice.profile.id, slot_id=later.id, intake=intake(PHONE)
    )
    assert held.confirmed


def test_a_practice_that_closes_the_chat_refuses_the_booking_and_writes_nothing(
    sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    practice = open_practice(
        sessions,
        clock,
        no_show_limit=1,
        no_show_action="chat_closed",
        appointment_approval_required=True,
    )
    with sessions.begin() as session:  # last week's appointment, which the patient missed
        service = session.get_one(MedicalService, practice.slots[0].service_id)
        past = make_slot(session, service, clock.now - timedelta(days=7))
        session.add(
            Reservation(
                profile_id=practice.profile.id,
                slot_id=past.id,
                service_id=service.id,
                code="MISSED1",
                patient_name="María Pérez",
                patient_phone=PHONE,
                status="no_show",
                no_show=True,
            )
        )
    with pytest.raises(ChatBookingClosed):
        practice.book(1)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(ReservationRequest)) == 0
        assert session.get_one(TimeSlot, practice.slots[1].id).current_reservations == 0
    assert forgive(practice.ctx, profile_id=practice.profile.id, phone=PHONE) == 1
    assert not practice.book(1).confirmed  # an ordinary request, as at any approving practice
    with sessions() as session:
        contact = session.scalars(select(Contact).where(Contact.phone == PHONE)).one()
    assert contact.no_shows_forgiven_at == clock.now


def test_the_attendance_question_goes_at_the_practices_own_lead(
    sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    early = open_practice(sessions, clock, attendance_ask_hours=48)
    usual = open_practice(sessions, clock)
    early.book(2)  # four days ahead: asked two days before
    usual.book(2)  # asked one day before
    clock.now = early.slots[2].start_time - timedelta(hours=48, minutes=1)
    assert send_due_reminders(early.ctx).sent == 0
    clock.advance(minutes=2)
    assert send_due_reminders(early.ctx).sent == 1  # the 48-hour practice only
    clock.now = usual.slots[2].start_time - timedelta(hours=24, minutes=-1)
    assert send_due_reminders(usual.ctx).sent == 1
    with sessions() as session:
        asked = session.scalars(
            select(Reservation.profile_id).where(Reservation.reminder_24h_sent.is_(True))
        ).all()
    assert sorted(asked) == sorted([early.profile.id, usual.profile.id])
