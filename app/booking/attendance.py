"""Attendance: the patient's "I'll be there", the no-show ledger, and the practice's policy.

Where the practice opts in (`release_unconfirmed_hours`), an appointment the patient
has not confirmed is freed that many hours before it, after a warning (`release_unconfirmed`,
the tick's duty); the place goes back like any other, so to the waitlist. A practice
whose no-show policy says `reconfirm` does the same for the patients past its limit.

The ledger is not a table of its own: a no-show is a reservation the doctor closed
with NOASISTIO, a late cancellation one the patient cancelled inside the practice's
cancellation window. Both are counted per phone and practice from the reservations,
so they can never disagree with the agenda. The doctor's PERDONAR moves the start of
the count (`contact.no_shows_forgiven_at`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from app import metrics
from app.booking.appointments import close_open_moves, give_up, lock_reservation
from app.booking.context import BookingContext
from app.booking.errors import NotFound
from app.booking.notifications import (
    Notification,
    load_notification_contexts,
    queue_notifications,
)
from app.booking.policies import RELEASE_NOTICE, RELEASE_WARNING_HOURS
from app.models import Contact, Practice, Reservation, ReservationStatus, TimeSlot

DAYS_PER_MONTH = 30  # "2 no-shows in 6 months": 180 days back, whatever the calendar


class Consequence(StrEnum):
    """What the practice's policy asks of a patient who reached its no-show limit."""

    APPROVAL = "approval"  # the doctor approves each booking, even where others book at once
    CHAT_CLOSED = "chat_closed"  # the chat takes no booking: the patient calls the practice
    RECONFIRM = "reconfirm"  # an appointment not confirmed when asked is freed, as below


@dataclass(frozen=True)
class NoShowPolicy:
    """After `limit` no-shows within `months` (None: never), `action` applies."""

    limit: int | None
    months: int
    action: Consequence

    @classmethod
    def of(cls, practice: Practice) -> NoShowPolicy:
        return cls(
            practice.no_show_limit, practice.no_show_months, Consequence(practice.no_show_action)
        )

    def counting_since(self, now: datetime, forgiven_at: datetime | None) -> datetime:
        """The oldest no-show that still counts: within the months, and after any pardon."""
        start = now - timedelta(days=DAYS_PER_MONTH * self.months)
        return max(start, forgiven_at) if forgiven_at is not None else start

    def consequence(self, no_shows: int) -> Consequence | None:
        if self.limit is None or no_shows < self.limit:
            return None
        return self.action


def confirm_attendance(
    ctx: BookingContext, *, profile_id: uuid.UUID, code: str, patient_phone: str
) -> Reservation:
    """The patient says they will come: noted once, with the time they first said it.

    Only their own confirmed appointment that has not started, as their list of
    appointments shows them; any other code is `NotFound`, and nothing is written.
    """
    now = ctx.clock()
    with ctx.sessions.begin() as session:
        reservation = lock_reservation(session, profile_id, code, patient_phone)
        upcoming = session.get_one(TimeSlot, reservation.slot_id).start_time > now
        if reservation.status != ReservationStatus.CONFIRMED or not upcoming:
            raise NotFound(code)
        if reservation.attendance_confirmed_at is None:
            reservation.attendance_confirmed_at = now
            reservation.updated_at = now
            metrics.attendance_event(session, "confirmed")
        return reservation


def consequence_for(
    session: Session, practice: Practice, phone: str, now: datetime
) -> Consequence | None:
    """What the policy asks of `phone` now; no query at a practice without a policy, and
    one (the count, after any pardon) at a practice with one."""
    policy = NoShowPolicy.of(practice)
    if policy.limit is None:
        return None
    forgiven_at = (
        select(Contact.no_shows_forgiven_at)
        .where(Contact.profile_id == practice.id, Contact.phone == phone)
        .scalar_subquery()
    )
    counted = (
        _no_shows(practice.id, phone)
        .where(TimeSlot.start_time > policy.counting_since(now, None))
        .where(or_(forgiven_at.is_(None), TimeSlot.start_time > forgiven_at))
    )
    return policy.consequence(session.scalar(counted) or 0)


def count_no_shows(
    session: Session, profile_id: uuid.UUID, phone: str, since: datetime | None
) -> int:
    """The phone's missed appointments at this practice that started after `since`."""
    query = _no_shows(profile_id, phone)
    if since is not None:
        query = query.where(TimeSlot.start_time > since)
    return session.scalar(query) or 0


def _no_shows(profile_id: uuid.UUID, phone: str) -> Select[tuple[int]]:
    return (
        select(func.count())
        .select_from(Reservation)
        .join(TimeSlot, TimeSlot.id == Reservation.slot_id)
        .where(
            Reservation.profile_id == profile_id,
            Reservation.patient_phone == phone,
            Reservation.status == ReservationStatus.NO_SHOW,
        )
    )


def forgive(ctx: BookingContext, *, profile_id: uuid.UUID, phone: str) -> int:
    """The doctor's PERDONAR: the phone's no-shows so far stop counting. Returns how many.

    A phone the practice has no contact for yet gets one, so the pardon is kept.
    """
    now = ctx.clock()
    with ctx.sessions.begin() as session:
        contact = session.scalar(
            select(Contact)
            .where(Contact.profile_id == profile_id, Contact.phone == phone)
            .with_for_update()
        )
        if contact is None:
            contact = Contact(profile_id=profile_id, phone=phone)
            session.add(contact)
        forgiven = count_no_shows(session, profile_id, phone, contact.no_shows_forgiven_at)
        contact.no_shows_forgiven_at = now
        contact.updated_at = now
        metrics.attendance_event(session, "forgiven", forgiven)
        return forgiven


MAX_RELEASE_HOURS = 48  # the clinic file's limit: how far ahead the release sweep looks
# Where the policy asks a patient to reconfirm and the practice frees no one else's.
RECONFIRM_RELEASE_HOURS = 12
RELEASE_BATCH = 200


class ReleaseStep(StrEnum):
    WARN = "warn"
    RELEASE = "release"


def release_step(
    start: datetime, now: datetime, release_hours: int, ask_hours: int, warned_at: datetime | None
) -> ReleaseStep | None:
    """What an unconfirmed appointment is owed now at a practice that frees them.

    The warning goes `RELEASE_WARNING_HOURS` before the release, never before the
    question itself; the place is freed once its time has come and the warning went
    at least `RELEASE_NOTICE` before (a warning sent late still leaves time to answer).
    """
    warn_at = start - timedelta(hours=min(release_hours + RELEASE_WARNING_HOURS, ask_hours))
    if warned_at is None:
        return ReleaseStep.WARN if now >= warn_at else None
    due = now >= start - timedelta(hours=release_hours) and now - warned_at >= RELEASE_NOTICE
    return ReleaseStep.RELEASE if due else None


@dataclass(frozen=True)
class ReleaseSweep:
    warned: int = 0
    released: int = 0


def release_unconfirmed(ctx: BookingContext) -> ReleaseSweep:
    """Warn, then free, the unconfirmed appointments owed it, a batch per transaction."""
    warned = released = 0
    while True:
        batch = _release_batch(ctx)
        warned, released = warned + batch.warned, released + batch.released
        if not (batch.warned or batch.released):
            return ReleaseSweep(warned, released)


def _release_batch(ctx: BookingContext) -> ReleaseSweep:
    now = ctx.clock()
    with ctx.sessions.begin() as session:
        rows = session.execute(
            select(Reservation, TimeSlot.start_time, Practice)
            .join(TimeSlot, TimeSlot.id == Reservation.slot_id)
            .join(Practice, Practice.id == Reservation.profile_id)
            .where(
                or_(
                    Practice.release_unconfirmed_hours.is_not(None),
                    and_(
                        Practice.no_show_limit.is_not(None),
                        Practice.no_show_action == Consequence.RECONFIRM,
                    ),
                ),
                Reservation.status == ReservationStatus.CONFIRMED,
                Reservation.attendance_confirmed_at.is_(None),
                TimeSlot.start_time > now,
                TimeSlot.start_time
                <= now + timedelta(hours=MAX_RELEASE_HOURS + RELEASE_WARNING_HOURS),
            )
            .order_by(TimeSlot.start_time, Reservation.id)
            .limit(RELEASE_BATCH)
            .with_for_update(of=Reservation, skip_locked=True)
        ).all()
        owed = [
            (reservation, step)
            for reservation, start, practice in rows
            if (
                step := release_step(
                    start,
                    now,
                    release_hours(practice),
                    practice.attendance_ask_hours,
                    reservation.release_warned_at,
                )
            )
            and _owes_confirmation(session, practice, reservation.patient_phone, now)
        ]
        if not owed:
            return ReleaseSweep()
        contexts = load_notification_contexts(session, [reservation for reservation, _ in owed])
        notices: list[Notification | None] = []
        warned: list[Reservation] = []
        for reservation, step in owed:
            about = contexts[reservation.id]
            key = f"reservation:{reservation.id}:{step}:{about.slot.start_time.isoformat()}"
            if step == ReleaseStep.WARN:
                reservation.release_warned_at = reservation.updated_at = now
                release_at = about.slot.start_time - timedelta(hours=release_hours(about.practice))
                facts = about.facts(
                    reservation, deadline=max(release_at, now + RELEASE_NOTICE).isoformat()
                )
                notices.append(
                    about.to_patient(
                        "patient_release_warning", reservation.patient_phone, key, facts
                    )
                )
                warned.append(reservation)
                continue
            moves = close_open_moves(session, reservation, now)
            give_up(session, reservation, now, also_release=[move.slot_id for move in moves])
            reservation.cancelled_by = "release"
            facts = about.facts(reservation)
            notices.append(
                about.to_patient("patient_released", reservation.patient_phone, key, facts)
            )
            notices.append(about.to_doctor("doctor_released", f"{key}:doctor", facts))
            metrics.attendance_event(session, "released")
        queue_notifications(session, notices, ctx.render, now)
        # The warning is answered like the reminder: "1" confirms.
        ctx.on_reminded(session, warned, now)
        return ReleaseSweep(len(warned), len(owed) - len(warned))


def release_hours(practice: Practice) -> int:
    """How long before an unconfirmed appointment the practice frees it."""
    if practice.release_unconfirmed_hours is not None:
        return practice.release_unconfirmed_hours
    return RECONFIRM_RELEASE_HOURS


def _owes_confirmation(session: Session, practice: Practice, phone: str, now: datetime) -> bool:
    """Whether the appointment is freed unconfirmed: everyone's where the practice opts in,
    else only a patient the no-show policy asks to reconfirm (counted when owed, so a
    pardon in between spares them)."""
    if practice.release_unconfirmed_hours is not None:
        return True
    return consequence_for(session, practice, phone, now) == Consequence.RECONFIRM
