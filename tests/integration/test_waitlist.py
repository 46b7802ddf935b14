"""The waitlist engine on PostgreSQL: who is offered a freed place, the first acceptance wins,
lapsed offers move on, and races never hold a place twice.

The clock is frozen at 2026-12-01 15:00 UTC (Tuesday 09:00 in Mexico City); the
practice's places are on Thursday 3 December 2026, at 10:00 and 16:00 local.
"""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.background.after_commit import OwedJob, dispatch_after_commit
from app.booking import waitlist
from app.booking.appointments import cancel_reservation
from app.booking.context import BookingContext
from app.booking.errors import SlotTaken
from app.booking.requests import hold_slot
from app.db import make_sessionmaker
from app.models import (
    MessageLog,
    OfferStatus,
    Practice,
    Reservation,
    ReservationRequest,
    TimeSlot,
    WaitlistEntry,
    WaitlistOffer,
)
from tests.conftest import FrozenClock
from tests.factories import context, intake, make_practice, make_service, make_slot

THURSDAY = date(2026, 12, 3)
MEXICO = timezone(timedelta(hours=-6))
MORNING = datetime(2026, 12, 3, 10, 0, tzinfo=MEXICO)
AFTERNOON = datetime(2026, 12, 3, 16, 0, tzinfo=MEXICO)


@dataclass
class Setup:
    profile: Practice
    service_id: uuid.UUID
    morning: TimeSlot
    afternoon: TimeSlot
    ctx: BookingContext

    def join(self, phone: str, part: str = "any", first: date = THURSDAY) -> uuid.UUID:
        return waitlist.join(
            self.ctx,
            profile_id=self.profile.id,
            phone=phone,
            service_id=self.service_id,
            first_day=first,
            last_day=first + timedelta(days=2),
            day_part=part,
        )


@pytest.fixture
def practice(sessions: sessionmaker[Session], clock: FrozenClock) -> Setup:
    with sessions.begin() as session:
        profile = make_practice(session, appointment_approval_required=False)
        service = make_service(session, profile)
        morning = make_slot(session, service, MORNING)
        afternoon = make_slot(session, service, AFTERNOON)
    return Setup(profile, service.id, morning, afternoon, context(sessions, clock))


def phone(n: int) -> str:
    return f"+52559999{n:04d}"


def offers(sessions: sessionmaker[Session], status: str = OfferStatus.OPEN) -> list[str]:
    """The phones holding an offer in `status`, in order of joining."""
    with sessions() as session:
        return list(
            session.scalars(
                select(WaitlistEntry.phone)
                .join(WaitlistOffer, WaitlistOffer.entry_id == WaitlistEntry.id)
                .where(WaitlistOffer.status == status)
                .order_by(WaitlistEntry.created_at)
            )
        )


def open_offer(sessions: sessionmaker[Session], who: str) -> uuid.UUID:
    with sessions() as session:
        return session.scalars(
            select(WaitlistOffer.id)
            .join(WaitlistEntry, WaitlistEntry.id == WaitlistOffer.entry_id)
            .where(WaitlistEntry.phone == who, WaitlistOffer.status == OfferStatus.OPEN)
        ).one()


def test_a_place_goes_to_the_first_three_it_suits_in_order_of_joining(
    practice: Setup, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    practice.join(phone(1), "afternoon")  # the morning place does not suit them
    for n in range(2, 7):
        clock.advance(seconds=1)
        practice.join(phone(n))
    practice.join(phone(7), first=THURSDAY + timedelta(days=1))  # from Friday on
    assert waitlist.offer_places(practice.ctx, [practice.morning.id]) == 3
    assert offers(sessions) == [phone(2), phone(3), phone(4)]
    # Offered again (a second run of the job): nothing more, nobody twice.
    assert waitlist.offer_places(practice.ctx, [practice.morning.id]) == 0
    with sessions() as session:
        told = session.scalars(
            select(MessageLog.phone).where(MessageLog.purpose == "patient_waitlist_offer")
        ).all()
        body = session.scalars(select(MessageLog.body).where(MessageLog.phone == phone(2))).one()
    assert sorted(told) == [phone(2), phone(3), phone(4)]
    assert "10:00" in body and "15 minutos" in body


def test_a_patient_is_offered_one_place_at_a_time(
    practice: Setup, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    for n in (1, 2, 3, 4):
        practice.join(phone(n))
        clock.advance(seconds=1)
    both = [practice.morning.id, practice.afternoon.id]
    assert waitlist.offer_places(practice.ctx, both) == 4  # three, then the one left
    assert sorted(offers(sessions)) == [phone(1), phone(2), phone(3), phone(4)]


def test_the_first_acceptance_holds_the_place_and_the_others_hear_it_is_gone(
    practice: Setup, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    for n in (1, 2, 3):
        practice.join(phone(n))
        clock.advance(seconds=1)
    waitlist.offer_places(practice.ctx, [practice.morning.id])
    second, first = open_offer(sessions, phone(2)), open_offer(sessions, phone(1))
    held = waitlist.accept(practice.ctx, offer_id=second, phone=phone(2), intake=intake(phone(2)))
    assert held.confirmed  # the practice books at once: the normal path
    with pytest.raises(waitlist.OfferGone):
        waitlist.accept(practice.ctx, offer_id=first, phone=phone(1), intake=intake(phone(1)))
    assert offers(sessions, OfferStatus.ACCEPTED) == [phone(2)]
    assert offers(sessions, OfferStatus.GONE) == [phone(1), phone(3)]
    with sessions() as session:
        told = session.scalars(
            select(MessageLog.phone).where(MessageLog.purpose == "patient_waitlist_gone")
        ).all()
        statuses = dict(session.execute(select(WaitlistEntry.phone, WaitlistEntry.status)).all())
    assert sorted(told) == [phone(1), phone(3)]
    assert statuses == {phone(1): "waiting", phone(2): "booked", phone(3): "waiting"}


def test_an_unanswered_offer_lapses_and_the_place_moves_on(
    practice: Setup, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    for n in (1, 2):
        practice.join(phone(n))
        clock.advance(seconds=1)
    waitlist.offer_places(practice.ctx, [practice.morning.id], fan_out=1)
    assert offers(sessions) == [phone(1)]
    clock.advance(minutes=14)
    assert waitlist.sweep(practice.ctx) == (0, 0)
    clock.advance(minutes=2)
    assert waitlist.sweep(practice.ctx) == (1, 0)
    assert offers(sessions) == [phone(2)] and offers(sessions, OfferStatus.EXPIRED) == [phone(1)]
    with pytest.raises(waitlist.OfferGone):
        waitlist.accept(
            practice.ctx,
            offer_id=_offer_of(sessions, phone(1)),
            phone=phone(1),
            intake=intake(phone(1)),
        )


def _offer_of(sessions: sessionmaker[Session], who: str) -> uuid.UUID:
    with sessions() as session:
        return session.scalars(
            select(WaitlistOffer.id)
            .join(WaitlistEntry, WaitlistEntry.id == WaitlistOffer.entry_id)
            .where(WaitlistEntry.phone == who)
        ).one()


def test_leaving_and_the_end_of_the_range_take_a_patient_off(
    practice: Setup, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    practice.join(phone(1))
    # Until 29 November: over (the sweep closes a range a day after it ends, wherever the
    # practice is; an ended range is never offered anything meanwhile).
    practice.join(phone(2), first=date(2026, 11, 27))
    assert waitlist.leave(practice.ctx, profile_id=practice.profile.id, phone=phone(1)) == 1
    assert waitlist.sweep(practice.ctx) == (0, 1)
    assert waitlist.offer_places(practice.ctx, [practice.morning.id]) == 0


def test_a_place_given_back_is_offered_after_the_commit(
    practice: Setup, engine: Engine, clock: FrozenClock
) -> None:
    recorded: list[OwedJob] = []

    class Recorder:
        def dispatch(self, jobs: list[OwedJob]) -> None:
            recorded.extend(jobs)

    factory = make_sessionmaker(engine)
    dispatch_after_commit(factory, Recorder())
    ctx = context(factory, clock)
    code = hold_slot(
        ctx, profile_id=practice.profile.id, slot_id=practice.morning.id, intake=intake(phone(9))
    ).code
    cancel_reservation(ctx, profile_id=practice.profile.id, code=code, patient_phone=phone(9))
    assert not [job for job in recorded if job.job == "offer_places"]  # nobody waits
    practice.join(phone(1))
    code = hold_slot(
        ctx, profile_id=practice.profile.id, slot_id=practice.morning.id, intake=intake(phone(8))
    ).code
    cancel_reservation(ctx, profile_id=practice.profile.id, code=code, patient_phone=phone(8))
    assert OwedJob("offer_places", (str(practice.morning.id),)) in recorded


RACERS = 20


def test_twenty_patients_accepting_the_same_place_at_once_make_exactly_one_hold(
    practice: Setup, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    for n in range(RACERS):
        practice.join(phone(n))
        clock.advance(seconds=1)
    waitlist.offer_places(practice.ctx, [practice.morning.id], fan_out=RACERS)
    ids = {n: open_offer(sessions, phone(n)) for n in range(RACERS)}
    start = threading.Barrier(RACERS, timeout=60)

    def race(n: int) -> str:
        start.wait()
        try:
            waitlist.accept(practice.ctx, offer_id=ids[n], phone=phone(n), intake=intake(phone(n)))
        except waitlist.OfferGone:
            return "gone"
        return "held"

    with ThreadPoolExecutor(RACERS) as pool:
        outcomes = list(pool.map(race, range(RACERS)))
    assert outcomes.count("held") == 1 and outcomes.count("gone") == RACERS - 1
    with sessions() as session:
        slot = session.get_one(TimeSlot, practice.morning.id)
        requests = session.scalar(select(func.count()).select_from(ReservationRequest))
    assert (slot.current_reservations, requests) == (1, 1)


def test_a_freed_place_and_a_direct_booking_at_once_never_both(
    practice: Setup, sessions: sessionmaker[Session]
) -> None:
    for _ in range(5):
        practice.join(phone(1))
        waitlist.offer_places(practice.ctx, [practice.morning.id], fan_out=1)
        results = _offer_against_booking(practice, open_offer(sessions, phone(1)))
        assert results in (["gone", "held"], ["held", "taken"])
        with sessions() as session:
            assert session.get_one(TimeSlot, practice.morning.id).current_reservations == 1
        _free_again(sessions, practice)


def _offer_against_booking(practice: Setup, offer: uuid.UUID) -> list[str]:
    """Accept `offer` and book its place directly at the same moment; both outcomes, sorted."""
    start = threading.Barrier(2, timeout=60)

    def by_offer() -> str:
        start.wait()
        try:
            waitlist.accept(practice.ctx, offer_id=offer, phone=phone(1), intake=intake(phone(1)))
        except waitlist.OfferGone:
            return "gone"
        return "held"

    def direct() -> str:
        start.wait()
        try:
            hold_slot(
                practice.ctx,
                profile_id=practice.profile.id,
                slot_id=practice.morning.id,
                intake=intake(phone(2)),
            )
        except SlotTaken:
            return "taken"
        return "held"

    with ThreadPoolExecutor(2) as pool:
        outcomes = [pool.submit(by_offer), pool.submit(direct)]
        return sorted(f.result() for f in outcomes)


def _free_again(sessions: sessionmaker[Session], practice: Setup) -> None:
    """Start the next round from a free place and nobody waiting."""
    with sessions.begin() as session:
        session.execute(WaitlistOffer.__table__.delete())
        session.execute(WaitlistEntry.__table__.delete())
        session.execute(MessageLog.__table__.delete())
        session.execute(
            Reservation.__table__.delete().where(Reservation.slot_id == practice.morning.id)
        )
        session.execute(
            ReservationRequest.__table__.delete().where(
                ReservationRequest.slot_id == practice.morning.id
            )
        )
        slot = session.get_one(TimeSlot, practice.morning.id)
        slot.current_reservations, slot.status = 0, "available"
