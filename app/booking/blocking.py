"""The doctor closes a day or a time range: free slots are blocked, bookings are reported;
and opens it again: the places free then go to the waitlist."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.booking.capacity import offer_to_the_waitlist, refresh_status
from app.booking.context import BookingContext
from app.booking.errors import NotFound
from app.db import SessionSource
from app.models import (
    ClosedDate,
    MedicalService,
    Practice,
    RequestStatus,
    Reservation,
    ReservationRequest,
    ReservationStatus,
    SlotStatus,
    TimeSlot,
)


@dataclass(frozen=True)
class AffectedBooking:
    """A booking inside a blocked period: it stays, and the doctor decides what to do."""

    code: str
    start: datetime
    patient_name: str
    service: str
    status: str


@dataclass(frozen=True)
class Block:
    """A closed day (`start` and `end` None) or a range of one, local wall-clock time."""

    id: uuid.UUID
    day: date
    start: time | None
    end: time | None


@dataclass(frozen=True)
class BlockReport:
    blocked_slots: int
    affected: list[AffectedBooking]


def block_period(
    ctx: BookingContext,
    *,
    profile_id: uuid.UUID,
    day: date,
    start: time | None = None,
    end: time | None = None,
    reason: str | None = None,
) -> BlockReport:
    """Close `day` (or `start`-`end` of it, local time): nothing new can be booked there.

    Every slot in the period becomes `blocked`, booked ones too, so that a later
    cancellation does not reopen it; existing requests and appointments are kept
    and listed for the doctor, never silently dropped.
    """
    if (start is None) != (end is None) or (start and end and end <= start):
        raise ValueError("a blocked range needs a start before its end")
    now = ctx.clock()
    with ctx.sessions.begin() as session:
        practice = session.get_one(Practice, profile_id)
        since, until = _instants(day, start, end, ZoneInfo(practice.timezone))
        already = select(ClosedDate.id).where(
            ClosedDate.profile_id == profile_id,
            ClosedDate.day == day,
            ClosedDate.start_time.is_not_distinct_from(start),
            ClosedDate.end_time.is_not_distinct_from(end),
        )
        if session.scalar(already.limit(1)) is None:  # the same block twice is one block
            session.add(
                ClosedDate(
                    profile_id=profile_id,
                    day=day,
                    start_time=start,
                    end_time=end,
                    reason=reason,
                    source="doctor",
                    created_at=now,
                )
            )
        in_period = (
            TimeSlot.profile_id == profile_id,
            TimeSlot.start_time < until,
            TimeSlot.end_time > since,
        )
        # Locked in id order first, as `capacity.take` locks them: never a deadlock.
        session.execute(
            select(TimeSlot.id)
            .where(*in_period)
            .order_by(TimeSlot.id)
            .with_for_update(key_share=True)
        ).all()
        blocked = session.execute(
            update(TimeSlot)
            .where(*in_period, TimeSlot.status != SlotStatus.EXPIRED)
            .values(status=SlotStatus.BLOCKED)
            .returning(TimeSlot.id)
        ).all()
        return BlockReport(len(blocked), _affected(session, in_period))


def unblock_period(
    ctx: BookingContext,
    *,
    profile_id: uuid.UUID,
    day: date,
    start: time | None = None,
    end: time | None = None,
) -> int:
    """Open again what the doctor closed: `day`'s blocks, or the one of `start`-`end`.

    The future slots no block still covers tell their truth again (free, or as
    booked as they are), and the free ones are offered to the waitlist once this
    commits. Returns how many slots opened. A time range must be one blocked before:
    part of a blocked day stays closed with the rest of it.
    """
    if (start is None) != (end is None) or (start and end and end <= start):
        raise ValueError("a blocked range needs a start before its end")
    now = ctx.clock()
    with ctx.sessions.begin() as session:
        practice = session.get_one(Practice, profile_id)
        zone = ZoneInfo(practice.timezone)
        lifted = [ClosedDate.profile_id == profile_id, ClosedDate.day == day]
        if start is not None:
            lifted += [ClosedDate.start_time == start, ClosedDate.end_time == end]
        session.execute(delete(ClosedDate).where(*lifted))
        still = session.execute(
            select(ClosedDate.start_time, ClosedDate.end_time).where(
                ClosedDate.profile_id == profile_id, ClosedDate.day == day
            )
        ).all()
        since, until = _instants(day, start, end, zone)
        in_period = (
            TimeSlot.profile_id == profile_id,
            TimeSlot.start_time < until,
            TimeSlot.end_time > since,
            TimeSlot.start_time > now,
            TimeSlot.status == SlotStatus.BLOCKED,
        )
        session.execute(
            select(TimeSlot.id)
            .where(*in_period)
            .order_by(TimeSlot.id)
            .with_for_update(key_share=True)
        ).all()
        closed = [_instants(day, *block, zone) for block in still]
        opened = [
            slot_id
            for slot_id, slot_start, slot_end in session.execute(
                select(TimeSlot.id, TimeSlot.start_time, TimeSlot.end_time).where(*in_period)
            )
            if not any(slot_start < to and slot_end > since_ for since_, to in closed)
        ]
        if not opened:
            return 0
        session.execute(
            update(TimeSlot)
            .where(TimeSlot.id.in_(opened))
            .values(status=SlotStatus.AVAILABLE)
            .execution_options(synchronize_session=False)
        )
        refresh_status(session, opened)  # a full slot is reserved, or awaits the doctor
        free = session.scalars(
            select(TimeSlot.id).where(
                TimeSlot.id.in_(opened), TimeSlot.status == SlotStatus.AVAILABLE
            )
        ).all()
        if free:
            offer_to_the_waitlist(session, list(free))
        return len(opened)


def bookings_in_period(
    sessions: SessionSource,
    *,
    profile_id: uuid.UUID,
    day: date,
    start: time | None = None,
    end: time | None = None,
) -> list[AffectedBooking]:
    """What blocking `day` (or `start`-`end` of it) would leave standing; nothing is written.

    The desk shows it before the block is confirmed, as BLOQUEAR reports it after.
    """
    if (start is None) != (end is None) or (start and end and end <= start):
        raise ValueError("a blocked range needs a start before its end")
    with sessions() as session:
        practice = session.get_one(Practice, profile_id)
        since, until = _instants(day, start, end, ZoneInfo(practice.timezone))
        return _affected(
            session,
            (
                TimeSlot.profile_id == profile_id,
                TimeSlot.start_time < until,
                TimeSlot.end_time > since,
            ),
        )


def blocks_from(sessions: SessionSource, *, profile_id: uuid.UUID, first_day: date) -> list[Block]:
    """The practice's closed days and ranges from `first_day` on, in order."""
    with sessions() as session:
        rows = session.execute(
            select(ClosedDate.id, ClosedDate.day, ClosedDate.start_time, ClosedDate.end_time)
            .where(ClosedDate.profile_id == profile_id, ClosedDate.day >= first_day)
            .order_by(ClosedDate.day, ClosedDate.start_time.nulls_first(), ClosedDate.id)
        ).all()
    return [Block(*row) for row in rows]


def block_by_id(sessions: SessionSource, *, profile_id: uuid.UUID, block_id: uuid.UUID) -> Block:
    """One of the practice's closed days or ranges; `NotFound` for another practice's."""
    with sessions() as session:
        row = session.execute(
            select(ClosedDate.id, ClosedDate.day, ClosedDate.start_time, ClosedDate.end_time).where(
                ClosedDate.id == block_id, ClosedDate.profile_id == profile_id
            )
        ).first()
    if row is None:
        raise NotFound(str(block_id))
    return Block(*row)


def _affected(session: Session, in_period: tuple) -> list[AffectedBooking]:
    found = []
    for model, live in (
        (ReservationRequest, ReservationRequest.status == RequestStatus.PENDING),
        (Reservation, Reservation.status == ReservationStatus.CONFIRMED),
    ):
        rows = session.execute(
            select(model.code, TimeSlot.start_time, model.patient_name, MedicalService.name)
            .add_columns(model.status)
            .join(TimeSlot, TimeSlot.id == model.slot_id)
            .join(MedicalService, MedicalService.id == model.service_id)
            .where(*in_period, live)
        )
        found += [AffectedBooking(*row) for row in rows]
    return sorted(found, key=lambda booking: booking.start)


def _instants(
    day: date, start: time | None, end: time | None, zone: ZoneInfo
) -> tuple[datetime, datetime]:
    since = datetime.combine(day, start or time(0), tzinfo=zone)
    until = (
        datetime.combine(day, end, tzinfo=zone)
        if end
        else datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    )
    return since.astimezone(UTC), until.astimezone(UTC)
