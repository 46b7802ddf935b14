"""Read a practice's schedule (zone, active rules and services, closures) from the database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AvailabilityRule, ClosedDate, MedicalService, Practice
from app.scheduling.rules import Closure, Schedule, Service, WeeklyWindow


class UnknownTimeZone(LookupError):
    """A practice's time zone is not one this process knows: its slots cannot be placed."""

    def __init__(self, profile_name: str, zone: str) -> None:
        super().__init__(f"unknown time zone {zone!r}")
        self.profile_name = profile_name


@dataclass(frozen=True)
class PracticeSchedule:
    """A practice's schedule for the local days `first_day`..`last_day`, and its name."""

    name: str
    schedule: Schedule
    first_day: date
    last_day: date


def load_schedule(
    session: Session, profile_id: uuid.UUID, after: datetime, until: datetime
) -> PracticeSchedule | None:
    """The practice's schedule for the local days that (`after`, `until`] touches.

    None if there is no such practice; `UnknownTimeZone` if its zone is not known
    (the clinic import checks it, but the column can be edited by hand).
    """
    practice = session.execute(
        select(Practice.name, Practice.timezone).where(Practice.id == profile_id)
    ).first()
    if practice is None:
        return None
    try:
        zone = ZoneInfo(practice.timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:  # ValueError: not a key at all
        raise UnknownTimeZone(practice.name, practice.timezone) from error
    first_day, last_day = after.astimezone(zone).date(), until.astimezone(zone).date()
    schedule = Schedule(
        zone=zone,
        windows=_active_windows(session, profile_id),
        services=_active_services(session, profile_id),
        closures=_closures(session, profile_id, first_day, last_day),
    )
    return PracticeSchedule(practice.name, schedule, first_day, last_day)


def _active_windows(session: Session, profile_id: uuid.UUID) -> tuple[WeeklyWindow, ...]:
    rules = session.scalars(
        select(AvailabilityRule)
        .where(AvailabilityRule.profile_id == profile_id, AvailabilityRule.is_active)
        .order_by(AvailabilityRule.day_of_week, AvailabilityRule.start_time, AvailabilityRule.id)
    )
    return tuple(
        WeeklyWindow(
            day_of_week=rule.day_of_week,
            start=rule.start_time,
            end=rule.end_time,
            slot_duration=rule.slot_duration,
            buffer_time=rule.buffer_time,
            capacity=rule.max_appointments_per_slot,
            effective_from=rule.effective_from,
            effective_to=rule.effective_to,
        )
        for rule in rules
    )


def _active_services(session: Session, profile_id: uuid.UUID) -> tuple[Service, ...]:
    rows = session.execute(
        select(MedicalService.id, MedicalService.duration).where(
            MedicalService.profile_id == profile_id, MedicalService.is_active
        )
    )
    return tuple(Service(id=row.id, duration=row.duration) for row in rows)


def _closures(
    session: Session, profile_id: uuid.UUID, first_day: date, last_day: date
) -> tuple[Closure, ...]:
    rows = session.execute(
        select(ClosedDate.day, ClosedDate.start_time, ClosedDate.end_time).where(
            ClosedDate.profile_id == profile_id, ClosedDate.day.between(first_day, last_day)
        )
    )
    return tuple(Closure(day=row.day, start=row.start_time, end=row.end_time) for row in rows)
