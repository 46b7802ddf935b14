"""The practice's own figures for a period: what `RESUMEN` tells the doctor and `flask report`
prints. Both call `practice_figures`, so they can never disagree.

`summarise` is the arithmetic, a plain function of the rows; `practice_figures` reads
the rows of one practice and one period. A request counts in the period it was made,
an appointment in the period it was for, a message in the period it was written, and a
place refilled from the waitlist in the period its offer was accepted.

A place is refilled from the waitlist when a patient accepts its offer. Its time to
refill runs from when the place was freed to the acceptance. The freeing itself is not
recorded, so it is taken to be the first offer of the place in that round: the
earliest offer of the slot made after the slot's previous acceptance (if any) and not
after this one. Offers go out right after the commit that frees a place, so the two
are seconds apart.
"""

from __future__ import annotations

import statistics
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from app.booking.policies import is_late_cancellation
from app.db import SessionSource
from app.models import (
    MessageLog,
    OfferStatus,
    Practice,
    RequestStatus,
    Reservation,
    ReservationRequest,
    ReservationStatus,
    TimeSlot,
    WaitlistEntry,
    WaitlistOffer,
)

ANSWERED = frozenset({RequestStatus.APPROVED, RequestStatus.REJECTED})  # by the doctor


@dataclass(frozen=True)
class RequestRow:
    status: str
    created_at: datetime
    answered_at: datetime | None  # when the doctor approved or declined it


@dataclass(frozen=True)
class AppointmentRow:
    status: str
    start: datetime
    attendance_confirmed_at: datetime | None
    cancelled_by: str | None
    cancelled_at: datetime | None


@dataclass(frozen=True)
class OfferRow:
    slot_id: uuid.UUID
    status: str
    created_at: datetime
    updated_at: datetime  # when it was answered, lapsed or found gone


@dataclass(frozen=True)
class RefillRow:
    freed_at: datetime  # the first offer of the place's round (see the module's docstring)
    refilled_at: datetime  # the acceptance


@dataclass(frozen=True)
class Figures:
    """One practice's figures over [since, until). Rates are fractions; None: nothing to divide."""

    since: datetime
    until: datetime
    requests: int  # new bookings asked for (moves of an appointment left out)
    approved: int
    rejected: int
    expired: int  # holds nobody answered in time
    withdrawn: int  # taken back by the patient before the answer
    approval_rate: float | None  # approved / (approved + rejected)
    median_minutes_to_answer: float | None
    appointments: int  # for the period, not cancelled
    confirmed_attendance: int  # of those, the patient said they would come
    completed: int
    no_shows: int
    no_show_rate: float | None  # no-shows / (completed + no-shows)
    cancellations: int  # of appointments in the period, by anyone
    late_cancellations: int  # by the patient, inside the practice's window
    messages: int  # with patients, both ways
    messages_per_booking: float | None  # messages / requests
    refilled_from_waitlist: int  # places whose waitlist offer was accepted
    median_minutes_to_refill: float | None  # from the place's first offer to the acceptance

    def as_row(self) -> dict[str, object]:
        """Flat values for CSV and JSON: instants in ISO 8601, rates rounded to 3 places."""
        row: dict[str, object] = asdict(self)
        for name, value in row.items():
            if isinstance(value, datetime):
                row[name] = value.isoformat()
            elif isinstance(value, float):
                row[name] = round(value, 3)
        return row


def summarise(
    since: datetime,
    until: datetime,
    requests: Iterable[RequestRow],
    appointments: Iterable[AppointmentRow],
    messages: int,
    cancellation_window_hours: int,
    refills: Iterable[RefillRow] = (),
) -> Figures:
    """The figures of rows already limited to the period (see the module's docstring)."""
    requests, appointments, refills = list(requests), list(appointments), list(refills)
    by_status = Counter(row.status for row in requests)
    approved, rejected = by_status[RequestStatus.APPROVED], by_status[RequestStatus.REJECTED]
    waits = [
        (row.answered_at - row.created_at).total_seconds() / 60
        for row in requests
        if row.answered_at is not None and row.status in ANSWERED
    ]
    kept = [row for row in appointments if row.status != ReservationStatus.CANCELLED]
    cancelled = [row for row in appointments if row.status == ReservationStatus.CANCELLED]
    closed = Counter(row.status for row in kept)
    completed, no_shows = closed[ReservationStatus.COMPLETED], closed[ReservationStatus.NO_SHOW]
    refill_waits = [(row.refilled_at - row.freed_at).total_seconds() / 60 for row in refills]
    late = [
        row
        for row in cancelled
        if row.cancelled_by == "patient"
        and row.cancelled_at is not None
        and is_late_cancellation(row.start, row.cancelled_at, cancellation_window_hours)
    ]
    return Figures(
        since=since,
        until=until,
        requests=len(requests),
        approved=approved,
        rejected=rejected,
        expired=by_status[RequestStatus.EXPIRED],
        withdrawn=by_status[RequestStatus.CANCELLED],
        approval_rate=_rate(approved, approved + rejected),
        median_minutes_to_answer=statistics.median(waits) if waits else None,
        appointments=len(kept),
        confirmed_attendance=sum(row.attendance_confirmed_at is not None for row in kept),
        completed=completed,
        no_shows=no_shows,
        no_show_rate=_rate(no_shows, completed + no_shows),
        cancellations=len(cancelled),
        late_cancellations=len(late),
        messages=messages,
        messages_per_booking=_rate(messages, len(requests)),
        refilled_from_waitlist=len(refills),
        median_minutes_to_refill=statistics.median(refill_waits) if refill_waits else None,
    )


def refills_of(offers: Iterable[OfferRow]) -> list[RefillRow]:
    """Each accepted offer as a refill, freed at the first offer of its round.

    A slot may be refilled more than once (the patient cancels, the place is offered
    again): each acceptance closes a round, and the next round's offers come after it.
    """
    by_slot: defaultdict[uuid.UUID, list[OfferRow]] = defaultdict(list)
    for offer in offers:
        by_slot[offer.slot_id].append(offer)
    refills = []
    for slot_offers in by_slot.values():
        taken = sorted(
            (offer for offer in slot_offers if offer.status == OfferStatus.ACCEPTED),
            key=lambda offer: offer.updated_at,
        )
        previous: datetime | None = None  # the slot's previous acceptance
        for accepted in taken:
            freed = min(
                (
                    offer.created_at
                    for offer in slot_offers
                    if (previous is None or offer.created_at > previous)
                    and offer.created_at <= accepted.updated_at
                ),
                default=accepted.created_at,
            )
            refills.append(RefillRow(freed, accepted.updated_at))
            previous = accepted.updated_at
    return refills


def local_period(first: date, last: date, timezone: str) -> tuple[datetime, datetime]:
    """The instants from the start of `first` to the end of `last`, in the practice's zone."""
    zone = ZoneInfo(timezone)
    since = datetime.combine(first, time(0), tzinfo=zone).astimezone(UTC)
    until = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return since, until


def practice_figures(
    sessions: SessionSource, *, profile_id: uuid.UUID, since: datetime, until: datetime
) -> Figures:
    """The figures of one practice over [since, until); RESUMEN reads them in its message's
    transaction, so no transaction of its own."""
    r, a = ReservationRequest, Reservation
    with sessions() as session:
        practice = session.get_one(Practice, profile_id)
        answered = func.coalesce(r.approved_at, r.updated_at)
        requests = [
            RequestRow(status, created, answered_at if status in ANSWERED else None)
            for status, created, answered_at in session.execute(
                select(r.status, r.created_at, answered).where(
                    r.profile_id == profile_id,
                    r.replaces_reservation_id.is_(None),
                    r.created_at >= since,
                    r.created_at < until,
                )
            )
        ]
        appointments = [
            AppointmentRow(*row)
            for row in session.execute(
                select(
                    a.status,
                    TimeSlot.start_time,
                    a.attendance_confirmed_at,
                    a.cancelled_by,
                    a.cancelled_at,
                )
                .join(TimeSlot, TimeSlot.id == a.slot_id)
                .where(
                    a.profile_id == profile_id,
                    TimeSlot.start_time >= since,
                    TimeSlot.start_time < until,
                )
            )
        ]
        messages = session.scalar(
            select(func.count())
            .select_from(MessageLog)
            .where(
                MessageLog.profile_id == profile_id,
                MessageLog.phone != func.coalesce(practice.doctor_phone, ""),
                MessageLog.created_at >= since,
                MessageLog.created_at < until,
            )
        )
        accepted = aliased(WaitlistOffer)  # not correlated with the outer query's offers
        refilled = (
            select(accepted.slot_id)
            .join(WaitlistEntry, WaitlistEntry.id == accepted.entry_id)
            .where(
                WaitlistEntry.profile_id == profile_id,
                accepted.status == OfferStatus.ACCEPTED,
                accepted.updated_at >= since,
                accepted.updated_at < until,
            )
        )
        # Every offer of those places up to the period's end: a round may start before it.
        offers = [
            OfferRow(*row)
            for row in session.execute(
                select(
                    WaitlistOffer.slot_id,
                    WaitlistOffer.status,
                    WaitlistOffer.created_at,
                    WaitlistOffer.updated_at,
                ).where(WaitlistOffer.slot_id.in_(refilled), WaitlistOffer.created_at < until)
            )
        ]
        refills = [row for row in refills_of(offers) if since <= row.refilled_at < until]
        return summarise(
            since,
            until,
            requests,
            appointments,
            messages or 0,
            practice.cancellation_window_hours,
            refills,
        )


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None
