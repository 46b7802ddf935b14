"""The collaborators every booking use case needs, passed as one value."""

from __future__ import annotations

from dataclasses import dataclass

from app.booking.notifications import Render
from app.clock import Clock
from app.db import SessionSource


@dataclass(frozen=True)
class BookingContext:
    """Sessions to open transactions with, the clock, the notification writer, the hold length."""

    sessions: SessionSource
    clock: Clock
    render: Render
    hold_minutes: int = 30
