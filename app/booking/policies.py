"""Booking policies: pure functions of `now`, plus the one check that reads a slot."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.booking.errors import SlotNotBookable
from app.models import MedicalService, SlotStatus, TimeSlot
from app.scheduling.window import BookingTerms, BookingWindow

# The two reminders by kind, named as the seed's columns. The first asks the patient to
# confirm they will come: its lead is the practice's `attendance_ask_hours` (24 unless
# the clinic file says otherwise); the second's is always two hours.
REMINDER_LEADS = {"24h": timedelta(hours=24), "2h": timedelta(hours=2)}


# Where a practice frees unconfirmed appointments, the patient is warned this long before.
RELEASE_WARNING_HOURS = 3
# And the place is freed only if the warning went at least this long before.
RELEASE_NOTICE = timedelta(hours=1)


def reminder_lead(kind: str, ask_hours: int) -> timedelta:
    """How long before the appointment the `kind` reminder goes at a practice."""
    return timedelta(hours=ask_hours) if kind == "24h" else REMINDER_LEADS[kind]


def hold_deadline(now: datetime, hold_minutes: int) -> datetime:
    """When an unanswered hold expires."""
    return now + timedelta(minutes=hold_minutes)


def due_reminders(start: datetime, now: datetime, ask_hours: int = 24) -> dict[str, datetime]:
    """The reminders still worth scheduling, by kind, as absolute UTC instants.

    Computed on instants, never wall-clock times, so a daylight-saving change can
    neither double nor skip one. Those already past at confirmation are left out.
    """
    instants = {kind: start - reminder_lead(kind, ask_hours) for kind in REMINDER_LEADS}
    return {kind: instant for kind, instant in instants.items() if instant > now}


def is_late_cancellation(start: datetime, cancelled_at: datetime, window_hours: int) -> bool:
    """A cancellation that leaves the practice less than its window to give the place away."""
    return start - cancelled_at < timedelta(hours=window_hours)


def bookable_slot(
    session: Session, practice: BookingTerms, slot_id: uuid.UUID, now: datetime
) -> tuple[TimeSlot, MedicalService]:
    """The practice's slot `slot_id` and its service if it may be booked now, else raises.

    Refusals are `SlotNotBookable`. Whether it still has room is decided later,
    atomically, by `capacity.take`.
    """
    found = session.execute(
        select(TimeSlot, MedicalService)
        .join(MedicalService, MedicalService.id == TimeSlot.service_id)
        .where(TimeSlot.id == slot_id)
    ).first()
    if found is None or found.TimeSlot.profile_id != practice.id:
        raise SlotNotBookable("not_found")
    slot, service = found
    if slot.status in (SlotStatus.BLOCKED, SlotStatus.EXPIRED):
        raise SlotNotBookable(slot.status)
    # A withdrawn service keeps its slots (and their bookings) but takes no new ones.
    if not service.is_active:
        raise SlotNotBookable("service_inactive")
    refusal = BookingWindow.of(practice).refusal(slot.start_time, now)
    if refusal:
        raise SlotNotBookable(refusal)
    return slot, service
