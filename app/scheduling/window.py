"""How soon and how far ahead a practice takes bookings: a pure rule of `now`.

Search offers only what booking would accept, so both read the window here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol


class BookingTerms(Protocol):
    """What booking and search read of a practice: a `Practice`, or a plain copy of one."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def timezone(self) -> str: ...
    @property
    def min_notice_minutes(self) -> int: ...
    @property
    def booking_horizon_days(self) -> int: ...


@dataclass(frozen=True)
class BookingWindow:
    """How soon and how far ahead a practice takes bookings."""

    min_notice: timedelta
    horizon: timedelta

    @classmethod
    def of(cls, practice: BookingTerms) -> BookingWindow:
        return cls(
            min_notice=timedelta(minutes=practice.min_notice_minutes),
            horizon=timedelta(days=practice.booking_horizon_days),
        )

    def refusal(self, start: datetime, now: datetime) -> str | None:
        """Why a slot starting at `start` cannot be booked at `now`, or None if it can."""
        if start <= now:
            return "past"
        if start < now + self.min_notice:
            return "too_soon"
        if start > now + self.horizon:
            return "too_far"
        return None
