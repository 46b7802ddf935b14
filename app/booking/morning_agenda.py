"""The doctor's morning agenda: the day's appointments and requests, once a local day.

From the practice's `agenda_hour` (7 unless the clinic file says otherwise, in its
time zone) the tick queues the doctor the day's agenda as AGENDA shows it, so who
said they will come is marked. Only on a day with an appointment or a request still
to come: a tick that runs late (after an outage) still sends it, but once the day's
last one has started the list would tell the doctor nothing. The outbox keeps one
message per key `morning_agenda:<practice>:<local date>`, so two workers ticking at
once, or a tick run twice, send it once.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.booking.context import BookingContext
from app.booking.notifications import Notification, queue_notifications
from app.booking.queries import Booking, agenda_of
from app.db import among
from app.models import (
    MessageLog,
    Practice,
    RequestStatus,
    Reservation,
    ReservationRequest,
    ReservationStatus,
    TimeSlot,
)
from app.scheduling.wallclock import first_instant_at

PURPOSE = "doctor_morning_agenda"
STILL_OPEN = frozenset({RequestStatus.PENDING, ReservationStatus.CONFIRMED})
log = logging.getLogger(__name__)


def agenda_time(day: date, hour: int, timezone: str) -> datetime:
    """When the agenda of the local `day` is due: `hour` o'clock where the practice is
    (an hour skipped by a spring-forward change: the moment of the jump)."""
    return first_instant_at(day, time(hour), ZoneInfo(timezone))


def agenda_owed(now: datetime, due: datetime, starts: Iterable[datetime]) -> bool:
    """Whether the agenda is worth sending now: its hour has come and something is still to
    come (`starts`: the day's open appointments and requests)."""
    return now >= due and any(start > now for start in starts)


def agenda_key(profile_id: uuid.UUID, day: date) -> str:
    """The outbox key of a practice's agenda of `day`: one message per practice and day."""
    return f"morning_agenda:{profile_id}:{day.isoformat()}"


class AgendaFailed(RuntimeError):
    """Some practices' agendas failed (the others went); names them, nothing more."""


def send_morning_agendas(ctx: BookingContext) -> int:
    """Queue today's agenda to every doctor owed it now; how many were queued.

    A practice that fails (a broken time zone, a hand-edited row) is logged and the
    others' agendas still go; the sweep then raises `AgendaFailed`, so the tick reports
    it, and the next tick tries again. A database that cannot be reached fails at once.
    """
    now = ctx.clock()
    failed: list[uuid.UUID] = []
    with ctx.sessions() as session:
        owed = _owed_now(session, now, failed)
    queued = 0
    for profile_id, day in owed.items():
        try:
            queued += send_morning_agenda(ctx, profile_id, day)
        except OperationalError:
            raise
        except Exception:
            log.exception("the morning agenda of practice %s failed; the next tick tries again",
                          profile_id)  # fmt: skip
            failed.append(profile_id)
    if failed:
        raise AgendaFailed(f"morning agenda failed for practices {', '.join(map(str, failed))}")
    return queued


def send_morning_agenda(ctx: BookingContext, profile_id: uuid.UUID, day: date) -> bool:
    """Queue the doctor the agenda of the local `day` if it is owed now; True if this call did.

    Safe to run twice or at once: the second finds the first's message by its key.
    """
    now = ctx.clock()
    with ctx.sessions.begin() as session:
        practice = session.get_one(Practice, profile_id)
        if practice.doctor_phone is None:
            return False
        bookings = agenda_of(session, profile_id, day)
        due = agenda_time(day, practice.agenda_hour, practice.timezone)
        if not agenda_owed(now, due, [b.start for b in bookings if b.status in STILL_OPEN]):
            return False
        notification = Notification(
            profile_id,
            PURPOSE,
            practice.doctor_phone,
            practice.language,
            agenda_key(profile_id, day),
            _facts(practice, day, bookings),
        )
        return bool(queue_notifications(session, [notification], ctx.render, now))


def _facts(practice: Practice, day: date, bookings: Iterable[Booking]) -> dict[str, Any]:
    """The day and its bookings in time order, each with its status as AGENDA shows it."""
    return {
        "day": day.isoformat(),
        "timezone": practice.timezone,
        "bookings": [
            {
                "start": booking.start.isoformat(),
                "code": booking.code,
                "patient_name": booking.patient_name,
                "service": booking.service,
                "status": _shown_status(booking),
                "urgency": booking.urgency,
            }
            for booking in bookings
        ],
    }


def _shown_status(booking: Booking) -> str:
    """A confirmed appointment whose patient said they will come is "attending"."""
    confirmed = booking.status == ReservationStatus.CONFIRMED
    return "attending" if confirmed and booking.attendance_confirmed_at else str(booking.status)


def _owed_now(session: Session, now: datetime, failed: list[uuid.UUID]) -> dict[uuid.UUID, date]:
    """The practices (and their local date) whose agenda hour has come today, whose agenda
    has not gone yet, and that have something still to come today.

    A few queries whatever the number of practices: a tick runs every 30 seconds, and most
    of the day most practices owe nothing.
    """
    practices = session.execute(
        select(Practice.id, Practice.timezone, Practice.agenda_hour).where(
            Practice.doctor_phone.is_not(None)
        )
    ).all()
    past_hour: dict[uuid.UUID, tuple[date, str]] = {}
    for profile_id, timezone, hour in practices:
        try:
            today = now.astimezone(ZoneInfo(timezone)).date()
            if now >= agenda_time(today, hour, timezone):
                past_hour[profile_id] = (today, timezone)
        except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError
            log.exception("practice %s has a broken time zone %r", profile_id, timezone)
            failed.append(profile_id)
    if not past_hour:
        return {}
    keys = {agenda_key(profile_id, day): profile_id for profile_id, (day, _) in past_hour.items()}
    sent = session.scalars(
        select(MessageLog.dedupe_key).where(among(session, MessageLog.dedupe_key, keys))
    )
    waiting = {profile_id: past_hour[profile_id] for profile_id in keys.values()}
    for key in sent:
        waiting.pop(keys[key or ""], None)
    if not waiting:
        return {}
    busy = _with_something_to_come(session, now, waiting)
    return {profile_id: day for profile_id, (day, _) in waiting.items() if profile_id in busy}


def _with_something_to_come(
    session: Session, now: datetime, practices: Mapping[uuid.UUID, tuple[date, str]]
) -> set[uuid.UUID]:
    """Those of `practices` with an open appointment or request later today, where each is."""
    # Practices in one time zone share today's end: one range per zone in use.
    ends = {
        timezone: first_instant_at(day + timedelta(days=1), time(0), ZoneInfo(timezone))
        for day, timezone in practices.values()
    }
    still_today: ColumnElement[bool] = or_(
        false(),
        *(and_(Practice.timezone == zone, TimeSlot.start_time < end) for zone, end in ends.items()),
    )
    reservations = (
        select(Reservation.profile_id)
        .join(TimeSlot, TimeSlot.id == Reservation.slot_id)
        .join(Practice, Practice.id == Reservation.profile_id)
        .where(
            among(session, Reservation.profile_id, practices),
            Reservation.status == ReservationStatus.CONFIRMED,
            TimeSlot.start_time > now,
            still_today,
        )
    )
    requests = (
        select(ReservationRequest.profile_id)
        .join(TimeSlot, TimeSlot.id == ReservationRequest.slot_id)
        .join(Practice, Practice.id == ReservationRequest.profile_id)
        .where(
            among(session, ReservationRequest.profile_id, practices),
            ReservationRequest.status == RequestStatus.PENDING,
            TimeSlot.start_time > now,
            still_today,
        )
    )
    return set(session.scalars(reservations.union(requests)))
