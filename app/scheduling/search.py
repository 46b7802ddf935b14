"""Finding free times to offer a patient.

A slot is free when it has room, is bookable now (minimum notice, horizon), its
service is still offered, and no overlapping slot of the same doctor is taken — a
30-minute slot at 10:30 is not free while a 60-minute visit at 10:00 holds the doctor.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session, aliased

from app.booking.policies import BookingWindow
from app.models import MedicalService, Profile, SlotStatus, TimeSlot


@dataclass(frozen=True)
class FreeSlot:
    slot_id: uuid.UUID
    start: datetime


def free_slots(
    session: Session,
    profile: Profile,
    service_id: uuid.UUID,
    now: datetime,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Iterator[FreeSlot]:
    """Free slots of a service between `since` and `until`, inside the booking window."""
    window = BookingWindow.of(profile)
    earliest = max(now + window.min_notice, since or now)
    latest = min(now + window.horizon, until or now + window.horizon)
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
    rows = session.execute(
        select(TimeSlot.id, TimeSlot.start_time)
        .join(MedicalService, MedicalService.id == TimeSlot.service_id)
        .where(
            MedicalService.is_active,
            TimeSlot.profile_id == profile.id,
            TimeSlot.service_id == service_id,
            TimeSlot.status == SlotStatus.AVAILABLE,
            TimeSlot.current_reservations < TimeSlot.max_reservations,
            TimeSlot.start_time >= earliest,
            TimeSlot.start_time <= latest,
            ~doctor_busy,
        )
        .order_by(TimeSlot.start_time)
    )
    for slot_id, start in rows:
        yield FreeSlot(slot_id, start)


def free_days(
    session: Session, profile: Profile, service_id: uuid.UUID, now: datetime, limit: int
) -> list[date]:
    """The first `limit` local dates with a free slot, soonest first."""
    zone = ZoneInfo(profile.timezone)
    days: list[date] = []
    for slot in free_slots(session, profile, service_id, now):
        day = slot.start.astimezone(zone).date()
        if not days or days[-1] != day:
            days.append(day)
            if len(days) > limit:
                return days[:limit]
    return days


def free_times(
    session: Session, profile: Profile, service_id: uuid.UUID, day: date, now: datetime
) -> list[FreeSlot]:
    """Free slots on the practice's local `day`, in time order."""
    zone = ZoneInfo(profile.timezone)
    since = datetime.combine(day, datetime.min.time(), tzinfo=zone)
    until = since + timedelta(days=1)
    return [
        slot
        for slot in free_slots(session, profile, service_id, now, since, until)
        if slot.start.astimezone(zone).date() == day
    ]


def nearest_free(
    session: Session,
    profile: Profile,
    service_id: uuid.UUID,
    around: datetime,
    now: datetime,
    limit: int,
) -> list[FreeSlot]:
    """The `limit` free slots closest in time to `around` (within three days of it)."""
    reach = timedelta(days=3)
    nearby = free_slots(session, profile, service_id, now, around - reach, around + reach)
    return sorted(nearby, key=lambda slot: (abs(slot.start - around), slot.start))[:limit]
