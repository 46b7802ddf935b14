"""Local wall-clock times -> UTC instants, with daylight-saving changes made explicit.

`datetime` with a `ZoneInfo` silently invents an instant for a wall time that does
not exist and silently picks one for a wall time that happens twice; availability
rules need both cases to be decisions, so they are spelled out here.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo


def existing_instant(day: date, at: time, zone: ZoneInfo) -> datetime | None:
    """The instant the clock in `zone` shows `at` on `day`, or None if it never does.

    A wall time repeated by a fall-back change resolves to its first occurrence;
    one skipped by a spring-forward change does not exist.
    """
    wall = datetime.combine(day, at)
    # fold=0 is the earlier of the two instants of a repeated wall time.
    instant = wall.replace(tzinfo=zone).astimezone(UTC)
    return instant if _wall_time(instant, zone) == wall else None


def first_instant_at(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The first instant at which the clock in `zone` shows `at` on `day`, or later.

    For an existing wall time that is `existing_instant`; for one skipped by a
    spring-forward change it is the moment the clock jumps over it.
    """
    instant = existing_instant(day, at, zone)
    if instant is not None:
        return instant
    wall = datetime.combine(day, at)
    # In a gap, fold=1 applies the offset from after the jump (landing before it)
    # and fold=0 the one from before (landing after it): the jump lies in between.
    before = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    after = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    return _offset_change_between(before, after, zone)


def _offset_change_between(before: datetime, after: datetime, zone: ZoneInfo) -> datetime:
    # Offsets change on whole seconds, so a bisection over POSIX seconds is exact.
    new_offset = after.astimezone(zone).utcoffset()
    low, high = math.floor(before.timestamp()), math.ceil(after.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, zone).utcoffset() == new_offset:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def _wall_time(instant: datetime, zone: ZoneInfo) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None)
