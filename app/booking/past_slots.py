"""Slots whose time went by unused become `expired`, so lists and counts stop showing them."""

from __future__ import annotations

from sqlalchemy import select, update

from app.booking.context import BookingContext
from app.models import SlotStatus, TimeSlot

SWEEP_BATCH = 5000


def expire_past_slots(ctx: BookingContext, batch_size: int = SWEEP_BATCH) -> int:
    """Mark ended, free, never-taken slots expired; returns how many.

    Rows are claimed with `FOR UPDATE SKIP LOCKED` a batch at a time, so concurrent
    ticks split the work instead of queueing behind (or deadlocking with) each other.
    Slots that were taken, blocked or are still running are left alone.
    """
    now = ctx.clock()
    total = 0
    while True:
        with ctx.sessions.begin() as session:
            ids = session.scalars(
                select(TimeSlot.id)
                .where(
                    TimeSlot.status == SlotStatus.AVAILABLE,
                    TimeSlot.current_reservations == 0,
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
