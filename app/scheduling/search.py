"""Finding free times to offer a patient.

A slot is free when it has room, is bookable now (minimum notice, horizon), its
service is still offered, and no overlapping slot of the same doctor is taken — a
30-minute slot at 10:30 is not free while a 60-minute visit at 10:00 holds the doctor.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, bindparam, exists, select
from sqlalchemy.orm import Session, aliased

from app.db import UTCDateTime
from app.models import MedicalService, SlotStatus, TimeSlot
from app.scheduling.window import BookingTerms, BookingWindow

DAYS_PAGE_ROWS = 200  # free slots read at a time while looking for free days


@dataclass(frozen=True)
class FreeSlot:
    slot_id: uuid.UUID
    start: datetime


def free_slots(
    session: Session,
    practice: BookingTerms,
    service_id: uuid.UUID,
    now: datetime,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = None,
) -> Iterator[FreeSlot]:
    """Free slots of a service between `since` and `until`, inside the booking window.

    At most `limit` of them, the soonest, when a limit is given.
    """
    window = BookingWindow.of(practice)
    earliest = max(now + window.min_notice, since or now)
    latest = min(now + window.horizon, until or now + window.horizon)
    params = {
        "profile_id": practice.id,
        "service_id": service_id,
        "earliest": earliest,
        "latest": latest,
    }
    query = _free_slots_query(limited=limit is not None)
    rows = session.execute(query, params | ({"rows": limit} if limit is not None else {}))
    for slot_id, start in rows:
        yield FreeSlot(slot_id, start)


@cache
def _free_slots_query(*, limited: bool) -> Select[tuple[uuid.UUID, datetime]]:
    """The free slots' query, built once: building it costs more than running it."""
    other = aliased(TimeSlot)
    doctor_busy = exists().where(
        and_(
            other.profile_id == TimeSlot.profile_id,
            other.id != TimeSlot.id,
            other.current_reservations > 0,
            other.start_time < TimeSlot.end_time,
            other.end_time > TimeSlot.start_time,
        )
    )
    query = (
        select(TimeSlot.id, TimeSlot.start_time)
        .join(MedicalService, MedicalService.id == TimeSlot.service_id)
        .where(
            MedicalService.is_active,
            TimeSlot.profile_id == bindparam("profile_id"),
            TimeSlot.service_id == bindparam("service_id"),
            TimeSlot.status == SlotStatus.AVAILABLE,
            TimeSlot.current_reservations < TimeSlot.max_reservations,
            TimeSlot.start_time >= bindparam("earliest", type_=UTCDateTime()),
            TimeSlot.start_time <= bindparam("latest", type_=UTCDateTime()),
            ~doctor_busy,
        )
        .order_by(TimeSlot.start_time)
    )
    return query.limit(bindparam("rows")) if limited else query


def free_days(
    session: Session, practice: BookingTerms, service_id: uuid.UUID, now: datetime, limit: int
) -> list[date]:
    """The first `limit` local dates with a free slot, soonest first.

    Read a page of slots at a time, each page starting at the local midnight after
    the last day seen, so a long horizon is not read whole for a week of dates.
    """
    zone = ZoneInfo(practice.timezone)
    days: list[date] = []
    since: datetime | None = None
    while len(days) < limit:
        page = list(free_slots(session, practice, service_id, now, since, limit=DAYS_PAGE_ROWS))
        for slot in page:
            day = slot.start.astimezone(zone).date()
            if not days or days[-1] != day:
                days.append(day)
        if len(page) < DAYS_PAGE_ROWS:
            break
        since = datetime.combine(days[-1] + timedelta(days=1), time.min, tzinfo=zone)
    return days[:limit]


def free_times(
    session: Session, practice: BookingTerms, service_id: uuid.UUID, day: date, now: datetime
) -> list[FreeSlot]:
    """Free slots on the practice's local `day`, in time order."""
    zone = ZoneInfo(practice.timezone)
    since = datetime.combine(day, datetime.min.time(), tzinfo=zone)
    until = since + timedelta(days=1)
    return [
        slot
        for slot in free_slots(session, practice, service_id, now, since, until)
        if slot.start.astimezone(zone).date() == day
    ]


def nearest_free(
    session: Session,
    practice: BookingTerms,
    service_id: uuid.UUID,
    around: datetime,
    now: datetime,
    limit: int,
) -> list[FreeSlot]:
    """The `limit` free slots closest in time to `around` (within three days of it)."""
    reach = timedelta(days=3)
    nearby = free_slots(session, practice, service_id, now, around - reach, around + reach)
    return sorted(nearby, key=lambda slot: (abs(slot.start - around), slot.start))[:limit]
