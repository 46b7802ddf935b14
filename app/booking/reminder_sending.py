"""Sending the 24 h and 2 h reminders: once each, at their instant, never after a change.

`send_reminder` serves the job scheduled at a reminder's instant (`schedule_reminders`);
`send_due_reminders` is the sweep of `jobs tick`, the safety net for whatever a lost
job, a dead worker or a stopped Redis left behind. Both decide with the reservation
row locked (`remind_locked`), so a reminder is queued once whoever gets there first,
and never for an appointment that was cancelled or moved meanwhile. The sweep claims
rows with `FOR UPDATE SKIP LOCKED`: concurrent ticks share the work, never repeat it.

`reminder_24h_sent` / `reminder_2h_sent` mean *handed to the outbox*: set in the
transaction that writes the reminder's message_log row, which delivery then sends
with its retries. Whether WhatsApp took it is that row's `status` (its dedupe key
is ``reservation:<id>:reminder_<kind>:<start>``), never the flag.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, Select, and_, false, or_, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.booking.context import BookingContext
from app.booking.notifications import (
    Notification,
    NotificationContext,
    load_notification_contexts,
    queue_notifications,
)
from app.booking.policies import REMINDER_LEADS, reminder_lead
from app.models import Practice, Reservation, ReservationStatus, TimeSlot

# How late a reminder may still go out. Later than this it is skipped, not sent: a
# "your appointment is in 2 hours" read 50 minutes before it is wrong, and a day-ahead
# reminder more than 6 hours late is no longer a day ahead. Both stay well before the
# appointment itself.
REMINDER_GRACE = {"24h": timedelta(hours=6), "2h": timedelta(hours=1)}
SWEEP_BATCH = 500
log = logging.getLogger(__name__)


class ReminderOutcome(StrEnum):
    SENT = "sent"
    LATE = "late"  # long past its instant: skipped and no longer scheduled
    NOT_DUE = "not_due"
    STALE = "stale"  # cancelled, moved, already sent, or never scheduled


@dataclass(frozen=True)
class ReminderSweep:
    sent: int = 0
    late: int = 0
    failed_practices: tuple[uuid.UUID, ...] = ()  # left out of this sweep, logged


def send_reminder(
    ctx: BookingContext, reservation_id: uuid.UUID, kind: str, start: datetime
) -> ReminderOutcome:
    """Queue the `kind` reminder of an appointment starting at `start`, if still owed.

    `start` is the appointment's start when the reminder was scheduled: if the
    appointment has moved since, this reminder belongs to the old time and is stale.
    """
    now = ctx.clock()
    with ctx.sessions.begin() as session:
        # Waits for a sweep or a cancellation holding the row, then sees their outcome.
        reservation = session.get(
            Reservation, reservation_id, with_for_update=True, populate_existing=True
        )
        if reservation is None:
            return ReminderOutcome.STALE
        if session.get_one(TimeSlot, reservation.slot_id).start_time != start:
            return ReminderOutcome.STALE
        [outcome] = remind_locked(session, [reservation], kind, now, ctx)
        return outcome


def send_due_reminders(ctx: BookingContext, batch_size: int = SWEEP_BATCH) -> ReminderSweep:
    """Queue every reminder whose instant has come, a batch per transaction.

    A batch that fails (one practice's bad row: a broken time zone, a hand-edited
    value) is tried again practice by practice; a practice that fails on its own
    is logged by id and left out of the rest of this sweep, so every other
    practice's reminders still go out. A database that cannot be reached fails
    the whole sweep, as it would every practice.
    """
    now = ctx.clock()
    sent = late = 0
    failed: set[uuid.UUID] = set()
    for kind in REMINDER_LEADS:
        while True:
            try:
                outcomes = _remind_batch(ctx, kind, now, batch_size, failed)
            except OperationalError:
                raise
            except Exception as error:
                log.warning(
                    "a batch of %s reminders failed (%s); trying practice by practice",
                    kind, type(error).__name__,
                )  # fmt: skip
                outcomes = _remind_each_practice(ctx, kind, now, batch_size, failed)
            sent += outcomes.count(ReminderOutcome.SENT)
            late += outcomes.count(ReminderOutcome.LATE)
            # Rows changed since they were selected leave nothing to do: stop, not spin.
            if not {ReminderOutcome.SENT, ReminderOutcome.LATE} & set(outcomes):
                break
    return ReminderSweep(sent, late, tuple(sorted(failed)))


def _remind_batch(
    ctx: BookingContext,
    kind: str,
    now: datetime,
    limit: int,
    failed: set[uuid.UUID],
    profile_id: uuid.UUID | None = None,
) -> list[ReminderOutcome]:
    with ctx.sessions.begin() as session:
        reservations = _claim_due(session, kind, now, limit, failed, profile_id)
        return remind_locked(session, reservations, kind, now, ctx)


def _remind_each_practice(
    ctx: BookingContext, kind: str, now: datetime, limit: int, failed: set[uuid.UUID]
) -> list[ReminderOutcome]:
    """One batch per practice with `kind` reminders due, each in its own transaction."""
    with ctx.sessions() as session:
        practices = session.scalars(
            _due(session, kind, now, failed).with_only_columns(Reservation.profile_id).distinct()
        ).all()
    outcomes: list[ReminderOutcome] = []
    for profile_id in practices:
        try:
            outcomes += _remind_batch(ctx, kind, now, limit, failed, profile_id)
        except OperationalError:
            raise
        except Exception:
            log.exception("%s reminders of practice %s failed; skipped until the next sweep",
                          kind, profile_id)  # fmt: skip
            failed.add(profile_id)
    return outcomes


def remind_locked(
    session: Session,
    reservations: Sequence[Reservation],
    kind: str,
    now: datetime,
    ctx: BookingContext,
) -> list[ReminderOutcome]:
    """Decide and record the `kind` reminder of each (locked) reservation, in order."""
    if not reservations:
        return []
    contexts = load_notification_contexts(session, reservations)
    outcomes, notifications, reminded = [], [], []
    for reservation in reservations:
        about = contexts[reservation.id]
        lead = reminder_lead(kind, about.practice.attendance_ask_hours)
        outcome = _outcome(reservation, kind, about.slot.start_time - lead, now)
        if outcome == ReminderOutcome.LATE:
            setattr(reservation, f"reminder_{kind}_scheduled", False)
            reservation.updated_at = now
        elif outcome == ReminderOutcome.SENT:
            setattr(reservation, f"reminder_{kind}_sent", True)
            reservation.updated_at = now
            notifications.append(
                _reminder_notification(reservation, kind, contexts[reservation.id])
            )
            reminded.append(reservation)
        outcomes.append(outcome)
    queue_notifications(session, notifications, ctx.render, now)
    ctx.on_reminded(session, reminded, now)
    return outcomes


def _outcome(reservation: Reservation, kind: str, due: datetime, now: datetime) -> ReminderOutcome:
    owed = (
        reservation.status == ReservationStatus.CONFIRMED
        and getattr(reservation, f"reminder_{kind}_scheduled")
        and not getattr(reservation, f"reminder_{kind}_sent")
    )
    if not owed:
        return ReminderOutcome.STALE
    if now < due:
        return ReminderOutcome.NOT_DUE
    return ReminderOutcome.LATE if now > due + REMINDER_GRACE[kind] else ReminderOutcome.SENT


def _reminder_notification(
    reservation: Reservation, kind: str, about: NotificationContext
) -> Notification:
    start = about.slot.start_time.isoformat()
    return about.to_patient(
        f"reminder_{kind}",
        reservation.patient_phone,
        f"reservation:{reservation.id}:reminder_{kind}:{start}",
        about.facts(reservation),
    )


def _due(
    session: Session, kind: str, now: datetime, failed: set[uuid.UUID]
) -> Select[tuple[uuid.UUID]]:
    """Reservations whose `kind` reminder is owed and due, outside the practices that failed."""
    query = (
        select(Reservation.id)
        .join(TimeSlot, TimeSlot.id == Reservation.slot_id)
        .join(Practice, Practice.id == Reservation.profile_id)
        .where(
            Reservation.status == ReservationStatus.CONFIRMED,
            getattr(Reservation, f"reminder_{kind}_scheduled").is_(True),
            getattr(Reservation, f"reminder_{kind}_sent").is_(False),
            _lead_reached(session, kind, now),
        )
    )
    return query.where(Reservation.profile_id.not_in(failed)) if failed else query


def _lead_reached(session: Session, kind: str, now: datetime) -> ColumnElement[bool]:
    """The appointment is within the reminder's lead of `now`.

    The first reminder's lead is each practice's own: one range per lead in use (most
    practices keep 24 hours), so the comparison stays on the slot's start.
    """
    if kind != "24h":
        return TimeSlot.start_time <= now + REMINDER_LEADS[kind]
    in_use = session.scalars(select(Practice.attendance_ask_hours).distinct()).all()
    return or_(
        false(),
        *(
            and_(
                Practice.attendance_ask_hours == hours,
                TimeSlot.start_time <= now + reminder_lead(kind, hours),
            )
            for hours in in_use
        ),
    )


def _claim_due(
    session: Session,
    kind: str,
    now: datetime,
    limit: int,
    failed: set[uuid.UUID],
    profile_id: uuid.UUID | None = None,
) -> list[Reservation]:
    """Lock up to `limit` due reservations (of `profile_id`, if given), skipping locked ones."""
    query = _due(session, kind, now, failed)
    if profile_id is not None:
        query = query.where(Reservation.profile_id == profile_id)
    ids = session.scalars(
        query.order_by(TimeSlot.start_time)
        .limit(limit)
        .with_for_update(of=Reservation, skip_locked=True)
    ).all()
    if not ids:
        return []
    # Read again now that they are locked: a row may have changed since the snapshot.
    return list(
        session.scalars(
            select(Reservation)
            .where(Reservation.id.in_(ids))
            .execution_options(populate_existing=True)
        )
    )
