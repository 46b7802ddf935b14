"""Taking and giving back a slot's capacity: the only code that writes those counters.

Race-free by construction: capacity is taken with one conditional UPDATE (the row
lock serialises competitors, and the WHERE clause re-checks room after the wait).
Before it, every slot of the doctor that overlaps the one taken is locked, in id
order: two takes that could collide (overlapping slots of two services) meet on
those locks, the later one waits for the earlier to finish and then sees its place
taken. Without them both would update their own row and then wait for each other
inside the check of the exclusion constraint `ex_time_slot_no_overlap`, a
deadlock PostgreSQL breaks by aborting one of them. The constraint stays as the
last line. Whatever here writes the counters of several slots locks them in id
order, so no two of these writers can deadlock. SQLite serialises writers anyway
and ignores the locks.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, case, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.background.after_commit import run_after_commit
from app.booking.errors import SlotTaken
from app.db import among
from app.models import (
    EntryStatus,
    RequestStatus,
    ReservationRequest,
    SlotStatus,
    TimeSlot,
    WaitlistEntry,
)

OVERLAP_CONSTRAINT = "ex_time_slot_no_overlap"


def take(session: Session, slot: TimeSlot, *, giving_back: uuid.UUID | None = None) -> None:
    """Take one place in `slot`, or raise `SlotTaken`.

    With `giving_back`, one place in that slot of the same doctor is given back
    first (a move), so that a move to an overlapping time does not collide with
    itself; both happen under the same locks.
    """
    near = _overlapping(slot)
    if giving_back is not None:
        near = or_(near, TimeSlot.id == giving_back)
    locked = session.execute(
        select(TimeSlot.id, TimeSlot.current_reservations, _overlapping(slot).label("overlaps"))
        .where(TimeSlot.profile_id == slot.profile_id, near)
        .order_by(TimeSlot.id)
        .with_for_update(key_share=True)
    ).all()
    if giving_back is not None:
        release(session, [giving_back])
    # Read under their locks, the counters are the latest: a place taken meanwhile shows.
    places = {row.id: row.current_reservations for row in locked if row.overlaps}
    if giving_back in places:
        places[giving_back] -= 1
    if any(n > 0 for slot_id, n in places.items() if slot_id != slot.id):
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
        # Only a writer that bypasses `take` can get here now; still a clear refusal.
        if constraint_name(error) == OVERLAP_CONSTRAINT:
            raise SlotTaken("an overlapping slot was taken meanwhile") from None
        raise
    if taken is None:
        raise SlotTaken("the slot is full")


def lock_starts(session: Session, slot_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Row[Any]]:
    """Lock the slots `slot_ids` in id order; return each one's id and start, by id.

    For a caller that releases many slots (`release(..., locked=True)`) and tells
    their patients when: the lock and the read are one statement.
    """
    rows = session.execute(
        select(TimeSlot.id, TimeSlot.start_time)
        .where(among(session, TimeSlot.id, set(slot_ids)))
        .order_by(TimeSlot.id)
        .with_for_update(key_share=True)
    )
    return {row.id: row for row in rows}


def release(
    session: Session,
    slot_ids: Collection[uuid.UUID],
    *,
    refresh: bool = False,
    locked: bool = False,
) -> None:
    """Give back one place per id in `slot_ids` (an id may appear several times).

    With `refresh`, the statement also does what `refresh_status` does: each row is
    written once, not twice (a sweep gives back thousands of places at a time).
    With `locked`, the caller already holds the rows' locks, taken in id order.
    """
    counts: dict[uuid.UUID, int] = {}
    for slot_id in slot_ids:
        counts[slot_id] = counts.get(slot_id, 0) + 1
    if not counts:
        return
    if len(counts) > 1 and not locked:
        _lock_in_order(session, select(TimeSlot.id).where(among(session, TimeSlot.id, counts)))
    # One statement per distinct count (almost always just "1"), set-based.
    for n in sorted(set(counts.values())):
        ids = [slot_id for slot_id, count in counts.items() if count == n]
        remaining = TimeSlot.current_reservations - n
        session.execute(
            update(TimeSlot)
            .where(among(session, TimeSlot.id, ids))
            .values(current_reservations=remaining, **(_truth(remaining) if refresh else {}))
            .execution_options(synchronize_session=False)
        )
    offer_to_the_waitlist(session, list(counts))


def offer_to_the_waitlist(session: Session, slot_ids: list[uuid.UUID]) -> None:
    """Places given back go to the practice's waitlist once this transaction commits.

    Asked only where someone waits (one EXISTS), so a practice without a waitlist
    pays one cheap read and schedules nothing.
    """
    practices = select(TimeSlot.profile_id).where(among(session, TimeSlot.id, slot_ids))
    waiting = exists().where(
        WaitlistEntry.profile_id.in_(practices), WaitlistEntry.status == EntryStatus.WAITING
    )
    if session.scalar(select(waiting)):
        run_after_commit(session, "offer_places", *slot_ids)


def refresh_status(session: Session, slot_ids: Collection[uuid.UUID]) -> None:
    """Make each slot's status and `expires_at` tell the truth about its capacity and requests.

    Blocked and expired slots stay so; otherwise a slot with room is available, a
    full one is `pending_approval` while any of its requests waits for the doctor
    (until the latest such deadline), else `reserved`.
    """
    if not slot_ids:
        return
    session.execute(
        update(TimeSlot)
        .where(among(session, TimeSlot.id, set(slot_ids)))
        .values(_truth(TimeSlot.current_reservations))
        .execution_options(synchronize_session=False)
    )


def _truth(taken: ColumnElement[int]) -> dict[str, ColumnElement[Any]]:
    """The status and `expires_at` of a slot with `taken` places taken (`refresh_status`)."""
    pending = (
        ReservationRequest.slot_id == TimeSlot.id,
        ReservationRequest.status == (RequestStatus.PENDING),
    )
    return {
        "status": case(
            (TimeSlot.status.in_([SlotStatus.BLOCKED, SlotStatus.EXPIRED]), TimeSlot.status),
            (taken < TimeSlot.max_reservations, SlotStatus.AVAILABLE),
            (exists().where(*pending), SlotStatus.PENDING_APPROVAL),
            else_=SlotStatus.RESERVED,
        ),
        # With no place taken no request can be pending: the lookup is skipped (a
        # sweep frees thousands of slots at once).
        "expires_at": case(
            (
                taken > 0,
                select(func.max(ReservationRequest.expires_at)).where(*pending).scalar_subquery(),
            ),
            else_=None,
        ),
    }


def _overlapping(slot: TimeSlot) -> ColumnElement[bool]:
    """Slots whose time overlaps `slot`'s (`slot` itself included)."""
    return and_(TimeSlot.start_time < slot.end_time, TimeSlot.end_time > slot.start_time)


def _lock_in_order(session: Session, slots: Select[tuple[uuid.UUID]]) -> None:
    """Lock the rows of `slots` in id order, as every writer of several slots does.

    `FOR NO KEY UPDATE` is what the counter's UPDATE takes anyway; unlike `FOR
    UPDATE` it does not wait for (or block) rows being inserted that refer to the slot.
    """
    session.execute(slots.order_by(TimeSlot.id).with_for_update(key_share=True)).all()


def constraint_name(error: IntegrityError) -> str | None:
    """The name of the constraint PostgreSQL says was violated (None on SQLite)."""
    diag = getattr(error.orig, "diag", None)
    return getattr(diag, "constraint_name", None)
