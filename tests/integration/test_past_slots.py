"""Slots whose time has passed stop saying `available`, and their bookings can still be closed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from app.booking.appointments import complete_reservation, mark_no_show
from app.booking.context import BookingContext
from app.booking.expiry import expire_overdue_holds
from app.booking.past_slots import expire_past_slots
from app.booking.requests import approve_request, hold_slot
from app.models import Practice, TimeSlot
from tests.conftest import FrozenClock
from tests.factories import context, intake, make_practice, make_service, make_slot

pytestmark = pytest.mark.postgres


def state(sessions: sessionmaker[Session], slot: TimeSlot) -> tuple[str, int]:
    with sessions() as session:
        fresh = session.get_one(TimeSlot, slot.id)
        return fresh.status, fresh.current_reservations


def confirmed(ctx: BookingContext, profile: Practice, slot: TimeSlot) -> str:
    hold = hold_slot(ctx, profile_id=profile.id, slot_id=slot.id, intake=intake())
    approve_request(ctx, profile_id=profile.id, code=hold.code)
    return hold.code


def test_an_ended_slot_with_room_left_expires_and_its_appointments_can_still_be_closed(
    sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    with sessions.begin() as session:
        profile = make_practice(session)
        service = make_service(session, profile)
        start = clock.now + timedelta(days=1)
        group = make_slot(session, service, start, capacity=3)
        full = make_slot(session, service, start + timedelta(minutes=30))
        free = make_slot(session, service, start + timedelta(minutes=60))
        later = make_slot(session, service, start + timedelta(hours=3))
    ctx = context(sessions, clock)
    seen, missed = confirmed(ctx, profile, group), confirmed(ctx, profile, group)
    confirmed(ctx, profile, full)

    clock.now = free.end_time  # the first three have ended; `later` has not begun
    assert expire_past_slots(ctx) == 2
    assert state(sessions, group) == ("expired", 2)
    assert state(sessions, full) == ("reserved", 1)  # every place was used
    assert state(sessions, free) == ("expired", 0)
    assert state(sessions, later) == ("available", 0)
    assert expire_past_slots(ctx) == 0

    complete_reservation(ctx, profile_id=profile.id, code=seen)
    mark_no_show(ctx, profile_id=profile.id, code=missed)
    assert state(sessions, group) == ("expired", 2)


def test_a_slot_still_running_keeps_saying_available(
    sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    with sessions.begin() as session:
        profile = make_practice(session)
        slot = make_slot(session, make_service(session, profile), clock.now + timedelta(days=1))
    ctx = context(sessions, clock)
    clock.now = slot.end_time - timedelta(minutes=1)
    assert expire_past_slots(ctx) == 0
    assert state(sessions, slot) == ("available", 0)


def test_a_hold_given_back_after_its_slot_expired_leaves_it_expired(
    sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    """Every job was lost: the slot sweep ran before the hold's expiry caught up."""
    with sessions.begin() as session:
        profile = make_practice(session, min_notice_minutes=0)
        slot = make_slot(
            session, make_service(session, profile), clock.now + timedelta(minutes=10), capacity=2
        )
    ctx = context(sessions, clock)
    hold_slot(ctx, profile_id=profile.id, slot_id=slot.id, intake=intake())
    assert state(sessions, slot) == ("available", 1)
    clock.now = slot.end_time
    assert expire_past_slots(ctx) == 1
    assert expire_overdue_holds(ctx) == 1
    assert state(sessions, slot) == ("expired", 0)
