"""Taking and giving back a slot's capacity: the only code that writes those counters.

Race-free by construction: capacity is taken with one conditional UPDATE (the row
lock serialises competitors, and the WHERE clause re-checks room after the wait);
the doctor's overlapping slots are checked in the same transaction and, on
PostgreSQL, guarded by the exclusion constraint `ex_time_slot_no_overlap`, which
catches the race two overlapping holds could otherwise win together.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import case, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.booking.errors import SlotTaken
from app.models import RequestStatus, ReservationRequest, SlotStatus, TimeSlot

OVERLAP_CONSTRAINT = "ex_time_slot_no_overlap"


def take(session: Session, slot: TimeSlot) -> None:
    """Take one place in `slot`, or raise `SlotTaken`."""
    busy = session.scalar(
        select(TimeSlot.id)
        .where(
            TimeSlot.profile_id == slot.profile_id,
            TimeSlot.id != slot.id,
            TimeSlot.current_reservations > 0,
            TimeSlot.start_time < slot.end_time,
            TimeSlot.end_time > slot.start_time,
        )
        .limit(1)
    )
    if busy is not None:
        raise SlotTaken("the doctor is busy at an overlapping time")
    try:
        taken = session.execute(
            update(TimeSlot)
            .where(
                TimeSlot.id == slot.id,
                TimeSlot.status == SlotStatus.AVAILABLE,
                TimeSlot.current_reservations < TimeSlot.max_reservations,
            )
            .values(current_reservations=TimeSlot.current_reservations + 1)
            .returning(TimeSlot.id)
        ).first()
    except IntegrityError as error:
        if constraint_name(error) == OVERLAP_CONSTRAINT:
            raise SlotTaken("an overlapping slot was taken meanwhile") from None
        raise
    if taken is None:
        raise SlotTaken("the slot is full")


def release(session: Session, slot_ids: Collection[uuid.UUID]) -> None:
    """Give back one place per id in `slot_ids` (an id may appear several times)."""
    counts: dict[uuid.UUID, int] = {}
    for slot_id in slot_ids:
        counts[slot_id] = counts.get(slot_id, 0) + 1
    if not counts:
        return
    # One statement per distinct count (almost always just "1"), set-based.
    for n in sorted(set(counts.values())):
        ids = [slot_id for slot_id, count in counts.items() if count == n]
        session.execute(
            update(TimeSlot)
            .where(TimeSlot.id.in_(ids))
            .values(current_reservations=TimeSlot.current_reservations - n)
            .execution_options(synchronize_session=False)
        )


def refresh_status(session: Session, slot_ids: Collection[uuid.UUID]) -> None:
    """Make each slot's status and `expires_at` tell the truth about its capacity and requests.

    Blocked and expired slots stay so; otherwise a slot with room is available, a
    full one is `pending_approval` while any of its requests waits for the doctor
    (until the latest such deadline), else `reserved`.
    """
    if not slot_ids:
        return
    pending = (
        ReservationRequest.slot_id == TimeSlot.id,
        ReservationRequest.status == (RequestStatus.PENDING),
    )
    session.execute(
        update(TimeSlot)
        .where(TimeSlot.id.in_(set(slot_ids)))
        .values(
            status=case(
                (TimeSlot.status.in_([SlotStatus.BLOCKED, SlotStatus.EXPIRED]), TimeSlot.status),
                (TimeSlot.current_reservations < TimeSlot.max_reservations, SlotStatus.AVAILABLE),
                (exists().where(*pending), SlotStatus.PENDING_APPROVAL),
                else_=SlotStatus.RESERVED,
            ),
            expires_at=select(func.max(ReservationRequest.expires_at))
            .where(*pending)
            .scalar_subquery(),
        )
        .execution_options(synchronize_session=False)
    )


def constraint_name(error: IntegrityError) -> str | None:
    """The name of the constraint PostgreSQL says was violated (None on SQLite)."""
    diag = getattr(error.orig, "diag", None)
    return getattr(diag, "constraint_name", None)
