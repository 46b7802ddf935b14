"""The collaborators every booking use case needs, passed as one value."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

from app.booking.notifications import Render
from app.clock import Clock
from app.db import SessionSource
from app.models import Reservation, ReservationRequest
from app.scheduling.search import FreeSlot

OnReminded = Callable[[Session, Sequence[Reservation], datetime], None]


@dataclass(frozen=True)
class Offered:
    """A freed place just offered to a waiting patient, as their conversation needs it."""

    offer_id: uuid.UUID
    profile_id: uuid.UUID
    phone: str
    service: str
    start: datetime


OnOffered = Callable[[Session, Sequence[Offered], datetime], None]
# A request rejected or lapsed, the free times its patient is offered instead, now:
# True when the patient's next message picks one of them by its number.
OfferOtherTimes = Callable[
    [Session, ReservationRequest | Row[Any], Sequence[FreeSlot], datetime], bool
]


def nothing_more(session: Session, reminded: Sequence[Reservation], now: datetime) -> None:
    """A reminder with no conversation to move (benchmarks, tests of the rule alone)."""


def offered_only(session: Session, offered: Sequence[Offered], now: datetime) -> None:
    """Offers sent with no conversation to answer them in (benchmarks, tests of the rule)."""


def listed_only(
    session: Session,
    request: ReservationRequest | Row[Any],
    times: Sequence[FreeSlot],
    now: datetime,
) -> bool:
    """Other times listed in the notice, with no conversation to pick them in."""
    return False


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
    # What else a rejection's or expiry's transaction does with the times offered: the
    # conversation awaits the patient's pick (app.conversation.rebooking).
    offer_other_times: OfferOtherTimes = listed_only
    # What else an offer's transaction does: the conversation awaits the patient's
    # answer to the freed place (app.conversation.waitlist).
    on_offered: OnOffered = offered_only
