"""Booking policies: pure functions of `now`, plus the one check that reads a slot."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.booking.errors import SlotNotBookable
from app.models import MedicalService, SlotStatus, TimeSlot

REMINDER_LEADS = {"24h": timedelta(hours=24), "2h": timedelta(hours=2)}


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


def hold_deadline(now: datetime, hold_minutes: int) -> datetime:
    """When an unanswered hold expires."""
    return now + timedelta(minutes=hold_minutes)


def due_reminders(start: datetime, now: datetime) -> dict[str, datetime]:
    """The reminders still worth scheduling, by kind, as absolute UTC instants.

    Computed on instants, never wall-clock times, so a daylight-saving change can
    neither double nor skip one. Those already past at confirmation are left out.
    """
    return {kind: start - lead for kind, lead in REMINDER_LEADS.items() if start - lead > now}


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
