"""Attendance: the patient's "I'll be there", the no-show ledger, and the practice's policy.

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

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import metrics
from app.booking.appointments import lock_reservation
from app.booking.context import BookingContext
from app.booking.errors import NotFound
from app.models import Contact, Practice, Reservation, ReservationStatus, TimeSlot

DAYS_PER_MONTH = 30  # "2 no-shows in 6 months": 180 days back, whatever the calendar


class Consequence(StrEnum):
    """What the practice's policy asks of a patient who reached its no-show limit."""

    APPROVAL = "approval"  # the doctor approves each booking, even where others book at once
    CHAT_CLOSED = "chat_closed"  # the chat takes no booking: the patient calls the practice


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
    """What the policy asks of `phone` now; no query at a practice without a policy."""
    policy = NoShowPolicy.of(practice)
    if policy.limit is None:
        return None
    forgiven_at = session.scalar(
        select(Contact.no_shows_forgiven_at).where(
            Contact.profile_id == practice.id, Contact.phone == phone
        )
    )
    return policy.consequence(
        count_no_shows(session, practice.id, phone, policy.counting_since(now, forgiven_at))
    )


def count_no_shows(
    session: Session, profile_id: uuid.UUID, phone: str, since: datetime | None
) -> int:
    """The phone's missed appointments at this practice that started after `since`."""
    query = (
        select(func.count())
        .select_from(Reservation)
        .join(TimeSlot, TimeSlot.id == Reservation.slot_id)
        .where(
            Reservation.profile_id == profile_id,
            Reservation.patient_phone == phone,
            Reservation.status == ReservationStatus.NO_SHOW,
        )
    )
    if since is not None:
        query = query.where(TimeSlot.start_time > since)
    return session.scalar(query) or 0


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
