"""DESBLOQUEAR on PostgreSQL: what the doctor closed opens again, and goes to the waitlist.

The clock is frozen at 2026-12-01 15:00 UTC; the practice (Mexico City) has three
half-hour times on Thursday 3 December 2026 from 10:00 local (16:00 UTC).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.background.after_commit import OwedJob, dispatch_after_commit
from app.booking import waitlist
from app.booking.blocking import block_period, unblock_period
from app.booking.context import BookingContext
from app.booking.requests import hold_slot
from app.db import make_sessionmaker
from app.models import ClosedDate, TimeSlot, WaitlistOffer
from tests.conftest import FrozenClock
from tests.factories import context, intake, make_practice, make_service, make_slot

THURSDAY = date(2026, 12, 3)
FIRST = datetime(2026, 12, 3, 16, 0, tzinfo=UTC)


class Recorder:
    """Stands in for the queue: the jobs owed after each commit."""

    def __init__(self) -> None:
        self.owed: list[OwedJob] = []

    def dispatch(self, jobs: list[OwedJob]) -> None:
        self.owed.extend(jobs)


def setup(
    engine: Engine, clock: FrozenClock
) -> tuple[BookingContext, Recorder, object, list[TimeSlot]]:
    recorder = Recorder()
    factory = make_sessionmaker(engine)
    dispatch_after_commit(factory, recorder)
    ctx = context(factory, clock)
    with factory.begin() as session:
        profile = make_practice(session, appointment_approval_required=False)
        service = make_service(session, profile)
        slots = [make_slot(session, service, FIRST + timedelta(minutes=30 * n)) for n in range(3)]
        session.expunge_all()
    return ctx, recorder, (profile, service), slots


def statuses(sessions: sessionmaker[Session], slots: list[TimeSlot]) -> list[str]:
    with sessions() as session:
        return [session.get_one(TimeSlot, slot.id).status for slot in slots]


def test_a_lifted_day_opens_its_times_and_offers_the_free_ones_to_the_waitlist(
    engine: Engine, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    ctx, recorder, (profile, service), slots = setup(engine, clock)
    booked = hold_slot(ctx, profile_id=profile.id, slot_id=slots[0].id, intake=intake())
    assert booked.confirmed
    block_period(ctx, profile_id=profile.id, day=THURSDAY)
    assert statuses(sessions, slots) == ["blocked"] * 3
    waitlist.join(
        ctx, profile_id=profile.id, phone="+525599994001", service_id=service.id,
        first_day=THURSDAY, last_day=THURSDAY, intake=intake("+525599994001"),
    )  # fmt: skip

    assert unblock_period(ctx, profile_id=profile.id, day=THURSDAY) == 3
    assert statuses(sessions, slots) == ["reserved", "available", "available"]
    with sessions() as session:
        assert session.scalar(select(ClosedDate.id)) is None
    [job] = [job for job in recorder.owed if job.job == "offer_places"]
    assert sorted(job.args) == sorted(str(slot.id) for slot in slots[1:])
    assert waitlist.offer_places(ctx, [slots[1].id, slots[2].id]) == 1  # one offer per patient
    with sessions() as session:
        [offer] = session.scalars(select(WaitlistOffer)).all()
    assert offer.slot_id == slots[1].id


def test_lifting_one_range_keeps_the_rest_of_the_day_closed(
    engine: Engine, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    ctx, recorder, (profile, _), slots = setup(engine, clock)
    block_period(ctx, profile_id=profile.id, day=THURSDAY, start=time(10), end=time(10, 30))
    block_period(ctx, profile_id=profile.id, day=THURSDAY, start=time(10), end=time(12))
    lifted = unblock_period(
        ctx, profile_id=profile.id, day=THURSDAY, start=time(10), end=time(10, 30)
    )
    assert lifted == 0  # the wider block still covers 10:00
    assert statuses(sessions, slots) == ["blocked"] * 3
    assert unblock_period(ctx, profile_id=profile.id, day=THURSDAY, start=time(10), end=time(12))
    assert statuses(sessions, slots) == ["available"] * 3
    assert not recorder.owed  # nobody waits: nothing to offer, nothing scheduled


def test_a_time_already_past_stays_closed(
    engine: Engine, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    ctx, _, (profile, _), slots = setup(engine, clock)
    block_period(ctx, profile_id=profile.id, day=THURSDAY)
    clock.now = FIRST + timedelta(minutes=10)
    assert unblock_period(ctx, profile_id=profile.id, day=THURSDAY) == 2
    assert statuses(sessions, slots) == ["blocked", "available", "available"]


def test_a_range_that_ends_before_it_starts_is_refused(engine: Engine, clock: FrozenClock) -> None:
    ctx, _, (profile, _), _ = setup(engine, clock)
    with pytest.raises(ValueError):
        unblock_period(ctx, profile_id=profile.id, day=THURSDAY, start=time(12), end=time(10))
