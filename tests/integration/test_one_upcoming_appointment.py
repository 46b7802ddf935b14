"""A practice that confirms bookings at once keeps one upcoming appointment per phone number.

Without the doctor's approval, nothing else would stop one number from booking every
slot; with approval, the doctor is the check and one open request at a time the rule.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.booking.appointments import cancel_reservation
from app.booking.context import BookingContext
from app.booking.errors import BookingError, UpcomingAppointmentExists
from app.booking.requests import Hold, approve_request, hold_slot
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

PHONE = "+525599990001"
RACE_ROUNDS = 10
RACERS = 4
BARRIER_TIMEOUT = 60  # seconds; only reached if a racer never starts


@dataclass
class PracticeSetup:
    profile: Practice
    service: MedicalService
    slots: list[TimeSlot]
    ctx: BookingContext

    def book(self, slot: TimeSlot, phone: str = PHONE) -> Hold:
        profile_id = self.profile.id
        return hold_slot(self.ctx, profile_id=profile_id, slot_id=slot.id, intake=intake(phone))


def open_practice(
    sessions: sessionmaker[Session], clock: FrozenClock, *, approval: bool = False, slots: int = 4
) -> PracticeSetup:
    """A practice with one slot a day from the day after tomorrow."""
    with sessions.begin() as session:
        profile = make_practice(session, appointment_approval_required=approval)
        service = make_service(session, profile)
        first = clock.now.replace(minute=0) + timedelta(days=2)
        made = [make_slot(session, service, first + timedelta(days=n)) for n in range(slots)]
    return PracticeSetup(profile, service, made, context(sessions, clock))


@pytest.fixture
def practice(sessions: sessionmaker[Session], clock: FrozenClock) -> PracticeSetup:
    return open_practice(sessions, clock)


def counts(sessions: sessionmaker[Session]) -> tuple[int, int, int]:
    """Requests, reservations and outbound messages, all practices together."""
    with sessions() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(model))
            for model in (ReservationRequest, Reservation, MessageLog)
        )


def taken(sessions: sessionmaker[Session], practice: PracticeSetup) -> list[int]:
    with sessions() as session:
        return [session.get_one(TimeSlot, s.id).current_reservations for s in practice.slots]


def test_a_second_upcoming_booking_is_refused_and_names_the_first(
    practice: PracticeSetup, sessions: sessionmaker[Session]
) -> None:
    first = practice.book(practice.slots[0])
    before = counts(sessions)
    with pytest.raises(UpcomingAppointmentExists) as refused:
        practice.book(practice.slots[1])
    assert refused.value.code == first.code
    assert counts(sessions) == before
    assert taken(sessions, practice) == [1, 0, 0, 0]
    # Another number may still book, and the same number at another practice too.
    practice.book(practice.slots[1], phone="+525599990002")
    elsewhere = open_practice(sessions, FrozenClock(practice.ctx.clock()))
    elsewhere.book(elsewhere.slots[0])


def test_once_the_appointment_has_begun_or_is_cancelled_the_number_may_book_again(
    practice: PracticeSetup, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    first = practice.book(practice.slots[0])
    clock.now = practice.slots[0].start_time  # it has begun: no longer upcoming
    second = practice.book(practice.slots[1])
    cancel_reservation(
        practice.ctx, profile_id=practice.profile.id, code=second.code, patient_phone=PHONE
    )
    practice.book(practice.slots[2])
    with pytest.raises(UpcomingAppointmentExists) as refused:
        practice.book(practice.slots[3])
    assert refused.value.code != first.code
    assert taken(sessions, practice) == [1, 0, 1, 0]


def test_an_appointment_the_practice_booked_itself_does_not_count(
    practice: PracticeSetup, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        slot = session.get_one(TimeSlot, practice.slots[0].id)
        slot.current_reservations, slot.status = 1, "reserved"
        session.add(
            Reservation(
                profile_id=practice.profile.id,
                slot_id=slot.id,
                service_id=slot.service_id,
                code="PHONE1",
                patient_name="María Pérez",
                patient_phone=PHONE,
                source="phone",
            )
        )
    practice.book(practice.slots[1])


def test_with_approval_the_doctor_is_the_check(
    sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    practice = open_practice(sessions, clock, approval=True)
    first = practice.book(practice.slots[0])
    approve_request(practice.ctx, profile_id=practice.profile.id, code=first.code)
    practice.book(practice.slots[1])
    with sessions() as session:
        # The rule takes no lock there: the number never wrote, and no contact was made.
        assert session.scalar(select(func.count()).select_from(Contact)) == 0


def test_a_booking_for_a_number_that_never_wrote_creates_only_its_contact(
    practice: PracticeSetup, sessions: sessionmaker[Session]
) -> None:
    practice.book(practice.slots[0])
    with sessions() as session:
        [contact] = session.scalars(select(Contact)).all()
    assert (contact.profile_id, contact.phone, contact.patient_name) == (
        practice.profile.id,
        PHONE,
        None,
    )


def race_for_every_slot(practice: PracticeSetup, phone: str) -> Counter[str]:
    """One racer per slot, all booking for `phone`, released together; how each ended."""
    barrier = threading.Barrier(len(practice.slots), timeout=BARRIER_TIMEOUT)

    def race(slot: TimeSlot) -> str:
        barrier.wait()
        try:
            practice.book(slot, phone)
        except BookingError as refusal:
            return type(refusal).__name__
        return "booked"

    with ThreadPoolExecutor(len(practice.slots)) as pool:
        return Counter(pool.map(race, practice.slots))


def test_one_number_booking_several_slots_at_once_gets_exactly_one(
    sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    for round_ in range(RACE_ROUNDS):
        practice = open_practice(sessions, clock, slots=RACERS)
        phone = f"+52559998{round_:04d}"
        if round_ % 2:  # half the rounds the number has written before: its contact exists
            with sessions.begin() as session:
                session.add(Contact(profile_id=practice.profile.id, phone=phone))
        outcomes = race_for_every_slot(practice, phone)
        assert outcomes == {"booked": 1, "UpcomingAppointmentExists": RACERS - 1}, round_
        with sessions() as session:
            reservations = session.scalar(
                select(func.count())
                .select_from(Reservation)
                .where(Reservation.profile_id == practice.profile.id)
            )
        assert reservations == 1
        assert sorted(taken(sessions, practice)) == [0] * (RACERS - 1) + [1]
