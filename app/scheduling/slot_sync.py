"""Make a practice's stored slots in a time range match the desired ones, set-based.

The desired slots are staged in a temporary table (PostgreSQL: COPY; SQLite: batched
INSERT), then four statements compare it with `time_slot`: lock, delete, update,
insert. Only free slots are ever deleted or updated: status 'available', nothing
taken, and no request or reservation pointing at them (their foreign keys cascade,
so deleting such a slot would destroy history). Blocked, expired and taken slots
are left alone and reported as kept when they no longer match the rules.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Uuid,
    and_,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.db import UTCDateTime
from app.models import Reservation, ReservationRequest, SlotStatus, TimeSlot
from app.scheduling.rules import SlotSpec

SQLITE_BATCH = 1_000

desired = Table(
    "desired_slot",
    MetaData(),
    Column("service_id", Uuid(), nullable=False),
    Column("start_time", UTCDateTime(), nullable=False),
    Column("end_time", UTCDateTime(), nullable=False),
    Column("max_reservations", Integer(), nullable=False),
    # The key lets the comparisons below probe instead of scan, whatever the statistics.
    PrimaryKeyConstraint("service_id", "start_time"),
    prefixes=["TEMPORARY"],
)
slot = TimeSlot.__table__


@dataclass(frozen=True)
class SlotChanges:
    """What one regeneration did to a practice's slots."""

    created: int
    updated: int
    removed: int
    kept: int  # no longer match the rules, left alone: taken, blocked or expired


def last_stored_start(session: Session, profile_id: uuid.UUID, after: datetime) -> datetime | None:
    """When the practice's last stored slot starting after `after` starts, if any.

    An earlier, longer run may have left free slots beyond this run's horizon;
    reconciling up to here reaches them too. Any status, not only free ones: as a
    plain max() this is one backward step on ix_time_slot_profile_start, whereas a
    filter on the status makes PostgreSQL read and sort all the practice's slots.
    """
    return session.scalar(
        select(func.max(slot.c.start_time)).where(
            slot.c.profile_id == profile_id, slot.c.start_time > after
        )
    )


def reconcile_slots(
    session: Session,
    profile_id: uuid.UUID,
    slots: Iterable[SlotSpec],
    *,
    after: datetime,
    until: datetime,
    create_until: datetime,
) -> SlotChanges:
    """Store `slots` as the practice's slots starting in (`after`, `until`].

    Free slots in that range are removed or updated to match; missing ones are
    created only if they start by `create_until`, so that a range reaching further
    than this run's horizon (see `last_stored_start`) cleans up without growing.
    """
    connection = session.connection()
    desired.create(connection)
    _stage(session, slots)
    in_range = (slot.c.profile_id == profile_id, slot.c.start_time > after)
    in_range += (slot.c.start_time <= until,)
    _lock_changing_slots(session, in_range)
    removed = session.execute(delete(slot).where(*in_range, *_free(), ~_wanted())).rowcount
    updated = session.execute(_update_changed(in_range)).rowcount
    created = session.execute(_insert_missing(session, profile_id, create_until)).rowcount
    kept = session.scalar(select(func.count()).select_from(slot).where(*in_range, ~_matching()))
    desired.drop(connection)
    return SlotChanges(created=created, updated=updated, removed=removed, kept=kept or 0)


def _stage(session: Session, slots: Iterable[SlotSpec]) -> None:
    if session.get_bind().dialect.name == "postgresql":
        _stage_by_copy(session, slots)
    else:
        for batch in _batches(slots, SQLITE_BATCH):
            session.execute(insert(desired), [_as_row(spec) for spec in batch])


def _stage_by_copy(session: Session, slots: Iterable[SlotSpec]) -> None:
    driver_connection: Any = session.connection().connection.driver_connection
    columns = "service_id, start_time, end_time, max_reservations"
    with (
        driver_connection.cursor() as cursor,
        cursor.copy(f"COPY desired_slot ({columns}) FROM STDIN (FORMAT BINARY)") as copy,
    ):
        copy.set_types(["uuid", "timestamptz", "timestamptz", "int4"])
        for spec in slots:
            copy.write_row(spec)


def _lock_changing_slots(session: Session, in_range: tuple[ColumnElement[bool], ...]) -> None:
    # A booking may be committing a request for one of these slots right now. Locking
    # them first makes it finish (or wait for us); the statements after this one then
    # see its request under a fresh snapshot. Ordered by id so that two concurrent
    # regenerations lock in the same order and cannot deadlock. SQLite ignores
    # FOR UPDATE: its BEGIN IMMEDIATE already serialises writers.
    session.execute(
        select(slot.c.id)
        .where(
            *in_range,
            _is_available(),
            slot.c.current_reservations == 0,
            ~_matching(),
        )
        .order_by(slot.c.id)
        .with_for_update(of=slot)
    ).all()


def _update_changed(in_range: tuple[ColumnElement[bool], ...]) -> Any:
    return (
        update(slot)
        .where(
            *in_range,
            *_free(),
            _same_key(),
            or_(
                slot.c.end_time != desired.c.end_time,
                slot.c.max_reservations != desired.c.max_reservations,
            ),
        )
        .values(end_time=desired.c.end_time, max_reservations=desired.c.max_reservations)
    )


def _insert_missing(session: Session, profile_id: uuid.UUID, create_until: datetime) -> Any:
    dialect_insert = (
        postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )
    columns = ["profile_id", "service_id", "start_time", "end_time", "max_reservations"]
    rows = select(
        literal(profile_id, Uuid()),
        desired.c.service_id,
        desired.c.start_time,
        desired.c.end_time,
        desired.c.max_reservations,
    ).where(desired.c.start_time <= create_until)  # a WHERE also lets SQLite parse ON CONFLICT
    return (
        dialect_insert(slot)
        .from_select(columns, rows, include_defaults=False)
        .on_conflict_do_nothing(index_elements=["profile_id", "service_id", "start_time"])
        # SQLAlchemy only keeps an INSERT's row count when asked to.
        .execution_options(preserve_rowcount=True)
    )


def _free() -> tuple[ColumnElement[bool], ...]:
    return (
        _is_available(),
        slot.c.current_reservations == 0,
        ~exists().where(ReservationRequest.slot_id == slot.c.id),
        ~exists().where(Reservation.slot_id == slot.c.id),
    )


def _is_available() -> ColumnElement[bool]:
    # Through coalesce() so that PostgreSQL cannot use the status index. Without
    # statistics (autovacuum off, or just after a big first run) it takes
    # 'available' for a rare value and would scan every free slot of every
    # practice for each one regenerated: quadratic. Practice and start narrow best.
    return func.coalesce(slot.c.status, "") == SlotStatus.AVAILABLE


def _same_key() -> ColumnElement[bool]:
    return and_(
        desired.c.service_id == slot.c.service_id, desired.c.start_time == slot.c.start_time
    )


def _wanted() -> ColumnElement[bool]:
    return exists().where(_same_key())


def _matching() -> ColumnElement[bool]:
    return exists().where(
        _same_key(),
        desired.c.end_time == slot.c.end_time,
        desired.c.max_reservations == slot.c.max_reservations,
    )


def _as_row(spec: SlotSpec) -> dict[str, object]:
    return {
        "service_id": spec.service_id,
        "start_time": spec.start,
        "end_time": spec.end,
        "max_reservations": spec.capacity,
    }


def _batches(items: Iterable[SlotSpec], size: int) -> Iterator[list[SlotSpec]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
