"""The collaborators every booking use case needs, passed as one value."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from app.booking.notifications import Render
from app.clock import Clock
from app.db import SessionSource
from app.models import Reservation

OnReminded = Callable[[Session, Sequence[Reservation], datetime], None]


def nothing_more(session: Session, reminded: Sequence[Reservation], now: datetime) -> None:
    """A reminder with no conversation to move (benchmarks, tests of the rule alone)."""


@dataclass(frozen=True)
class BookingContext:
    """Sessions to open transactions with, the clock, the notification writer, the hold length."""

    sessions: SessionSource
    clock: Clock
    render: Render
    hold_minutes: int = 30
    # What else a reminder's transaction does: the conversation awaits the answer
    # (app.conversation.reminders), wired where the app is assembled.
    on_reminded: OnReminded = nothing_more
