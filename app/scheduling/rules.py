"""Weekly availability rules -> bookable slots: plain values and one generator, no I/O.

Rules are wall-clock times in the practice's IANA time zone; slots are UTC instants.
How daylight-saving changes are handled (see `wallclock`):

- Starts are wall-clock times `window start + k * (slot_duration + buffer_time)`.
  A start skipped by a spring-forward change is dropped; one repeated by a
  fall-back change is offered once, at its first occurrence.
- A slot lasts the service's duration in absolute minutes: `end = start + duration`.
- A window (and a closed time range) ends at the first instant the local clock
  shows its end time or later: in a gap, the moment the clock jumps; in a fold,
  the first occurrence. A slot must end by then.

Slots of different services (or of one long service on a short grid) may overlap
as rows: they are offers, not bookings. The booking engine never lets two
overlapping slots of one doctor be taken; on PostgreSQL the exclusion constraint
`ex_time_slot_no_overlap` guarantees it (see app/models/slots.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from app.scheduling.wallclock import existing_instant, first_instant_at

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class WeeklyWindow:
    """An opening window on one weekday, in local wall-clock time.

    `day_of_week` uses the seed's numbering, 0 = Sunday ... 6 = Saturday. The
    effective dates are inclusive; None means unbounded.
    """

    day_of_week: int
    start: time
    end: time
    slot_duration: int
    buffer_time: int = 0
    capacity: int = 1
    effective_from: date | None = None
    effective_to: date | None = None

    def __post_init__(self) -> None:
        # A zero step would never leave the window; the database checks the same.
        if not 0 <= self.day_of_week <= 6 or self.end <= self.start:
            raise ValueError(f"not a weekly window: {self!r}")
        if self.slot_duration <= 0 or self.buffer_time < 0 or self.capacity <= 0:
            raise ValueError(f"window sizes must be positive: {self!r}")

    def is_open_on(self, day: date) -> bool:
        """Whether the window applies to `day` (weekday and effective dates)."""
        return (
            day.isoweekday() % 7 == self.day_of_week
            and (self.effective_from is None or self.effective_from <= day)
            and (self.effective_to is None or day <= self.effective_to)
        )

    def wall_starts(self, day: date) -> Iterator[time]:
        """The wall-clock start times on the window's grid, before its end."""
        step = timedelta(minutes=self.slot_duration + self.buffer_time)
        start, end = datetime.combine(day, self.start), datetime.combine(day, self.end)
        while start < end:
            yield start.time()
            start += step


@dataclass(frozen=True, slots=True)
class Service:
    """A bookable service: each of its slots lasts `duration` minutes."""

    id: uuid.UUID
    duration: int

    def __post_init__(self) -> None:
        if self.duration <= 0:
            raise ValueError(f"a service lasts a positive number of minutes: {self!r}")


@dataclass(frozen=True, slots=True)
class Closure:
    """A closed day (`start` and `end` None) or a closed local time range on `day`."""

    day: date
    start: time | None = None
    end: time | None = None

    def __post_init__(self) -> None:
        whole_day = self.start is None and self.end is None
        if not whole_day and (self.start is None or self.end is None or self.end <= self.start):
            raise ValueError(f"a closed range needs start < end: {self!r}")


@dataclass(frozen=True, slots=True)
class Schedule:
    """Everything that decides a practice's slots: zone, active windows, services, closures."""

    zone: ZoneInfo
    windows: tuple[WeeklyWindow, ...]
    services: tuple[Service, ...]
    closures: tuple[Closure, ...] = ()


class SlotSpec(NamedTuple):
    """A slot to offer. A tuple, because millions are made and streamed to COPY."""

    service_id: uuid.UUID
    start: datetime
    end: datetime
    capacity: int


def desired_slots(
    schedule: Schedule, *, first_day: date, last_day: date, now: datetime
) -> Iterator[SlotSpec]:
    """Yield the slots of local days `first_day`..`last_day` that start after `now`.

    Ordered by day, then start, then service id; one day is held in memory at a
    time. Where windows of one day overlap, a (service, start) is offered once,
    with the larger capacity.
    """
    services = [
        (service.id, timedelta(minutes=service.duration))
        for service in sorted(schedule.services, key=lambda service: service.id)
    ]
    closures = _closures_by_day(schedule.closures)
    day = first_day
    while day <= last_day:
        closed = _closed_ranges(closures.get(day, []), schedule.zone)
        if closed is not None:
            yield from _slots_of_day(schedule, services, day, closed, now)
        day += ONE_DAY


def _slots_of_day(
    schedule: Schedule,
    services: list[tuple[uuid.UUID, timedelta]],
    day: date,
    closed: list[tuple[datetime, datetime]],
    now: datetime,
) -> list[SlotSpec]:
    # Keyed by the service's position in id order rather than its UUID: this loop
    # runs millions of times and UUIDs hash slowly.
    offers: dict[tuple[datetime, int], SlotSpec] = {}
    for window in schedule.windows:
        if not window.is_open_on(day):
            continue
        window_end = first_instant_at(day, window.end, schedule.zone)
        for start in _instants(day, window.wall_starts(day), schedule.zone):
            if start <= now:
                continue
            for position, (service_id, length) in enumerate(services):
                end = start + length
                if end > window_end or (closed and _overlaps_any(start, end, closed)):
                    continue
                previous = offers.get((start, position))
                if previous is None or previous.capacity < window.capacity:
                    offers[start, position] = SlotSpec(service_id, start, end, window.capacity)
    return [offers[key] for key in sorted(offers)]


def _instants(day: date, wall_times: Iterable[time], zone: ZoneInfo) -> Iterator[datetime]:
    for wall_time in wall_times:
        instant = existing_instant(day, wall_time, zone)
        if instant is not None:
            yield instant


def _closures_by_day(closures: Iterable[Closure]) -> dict[date, list[Closure]]:
    by_day: dict[date, list[Closure]] = {}
    for closure in closures:
        by_day.setdefault(closure.day, []).append(closure)
    return by_day


def _closed_ranges(
    closures: list[Closure], zone: ZoneInfo
) -> list[tuple[datetime, datetime]] | None:
    """The day's closed ranges as instants; None when the whole day is closed."""
    ranges = []
    for closure in closures:
        if closure.start is None or closure.end is None:
            return None
        start = first_instant_at(closure.day, closure.start, zone)
        ranges.append((start, first_instant_at(closure.day, closure.end, zone)))
    return ranges


def _overlaps_any(start: datetime, end: datetime, ranges: list[tuple[datetime, datetime]]) -> bool:
    return any(start < range_end and range_start < end for range_start, range_end in ranges)
