"""Slots whose time went by with room left become `expired`: no longer `available`.

A slot with one of its three places booked still says `available` until its time
passes; after that it is `expired` (its bookings stay, and can still be completed
or marked missed). A full slot stays `reserved`: every place of it was used.
"""

from __future__ import annotations

from sqlalchemy import select, update

from app.booking.context import BookingContext
from app.models import SlotStatus, TimeSlot

SWEEP_BATCH = 5000


def expire_past_slots(ctx: BookingContext, batch_size: int = SWEEP_BATCH) -> int:
    """Mark ended slots that still say `available` expired; returns how many.

    Rows are claimed with `FOR UPDATE SKIP LOCKED` a batch at a time, so concurrent
    ticks split the work instead of queueing behind (or deadlocking with) each other.
    Full, pending, blocked and still running slots are left alone.
    """
    now = ctx.clock()
    total = 0
    while True:
        with ctx.sessions.begin() as session:
            ids = session.scalars(
                select(TimeSlot.id)
                .where(
                    TimeSlot.status == SlotStatus.AVAILABLE,
                    TimeSlot.end_time <= now,
                )
                .limit(batch_size)
                .with_for_update(skip_locked=True)
            ).all()
            if not ids:
                return total
            session.execute(
                update(TimeSlot)
                .where(TimeSlot.id.in_(ids))
                .values(status=SlotStatus.EXPIRED)
                .execution_options(synchronize_session=False)
            )
        total += len(ids)
