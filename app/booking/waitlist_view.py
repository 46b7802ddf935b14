"""The practice's waitlist as its staff read it: who waits for what, and the open offers.

Read-only. Only what running the list needs: the patient's first name, the last
digits of their phone, the service, days and part of the day. The entry's stored
intake holds health data; only its `name` is read, in the query itself.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, select

from app.db import SessionSource
from app.models import (
    Contact,
    EntryStatus,
    MedicalService,
    OfferStatus,
    TimeSlot,
    WaitlistEntry,
    WaitlistOffer,
)

PHONE_END = 4  # digits of the phone shown


@dataclass(frozen=True)
class OpenOffer:
    start: datetime  # the place offered
    expires_at: datetime


@dataclass(frozen=True)
class Waiting:
    """An active entry of the list, in order of joining."""

    id: uuid.UUID
    first_name: str | None
    phone_end: str  # the phone's last digits
    service: str
    first_day: date
    last_day: date
    day_part: str  # "any", "morning", "afternoon"
    status: str  # "waiting" or "offered"
    joined_at: datetime
    offers: tuple[OpenOffer, ...] = ()


def waiting_list(sessions: SessionSource, *, profile_id: uuid.UUID) -> list[Waiting]:
    """The practice's entries still on the list (waiting or offered), first joined first."""
    with sessions() as session:
        rows = session.execute(
            select(
                WaitlistEntry.id,
                Contact.patient_name,
                # Sealed (app.sealed): the name in it is read here, not in SQL.
                WaitlistEntry.intake,
                WaitlistEntry.phone,
                MedicalService.name,
                WaitlistEntry.first_day,
                WaitlistEntry.last_day,
                WaitlistEntry.day_part,
                WaitlistEntry.status,
                WaitlistEntry.created_at,
            )
            .join(MedicalService, MedicalService.id == WaitlistEntry.service_id)
            .outerjoin(
                Contact,
                and_(
                    Contact.profile_id == WaitlistEntry.profile_id,
                    Contact.phone == WaitlistEntry.phone,
                ),
            )
            .where(
                WaitlistEntry.profile_id == profile_id,
                WaitlistEntry.status.in_((EntryStatus.WAITING, EntryStatus.OFFERED)),
            )
            .order_by(WaitlistEntry.created_at, WaitlistEntry.id)
        ).all()
        offers: dict[uuid.UUID, list[OpenOffer]] = {}
        if rows:
            for entry_id, start, expires_at in session.execute(
                select(WaitlistOffer.entry_id, TimeSlot.start_time, WaitlistOffer.expires_at)
                .join(TimeSlot, TimeSlot.id == WaitlistOffer.slot_id)
                .where(
                    WaitlistOffer.entry_id.in_([row[0] for row in rows]),
                    WaitlistOffer.status == OfferStatus.OPEN,
                )
                .order_by(WaitlistOffer.expires_at)
            ):
                offers.setdefault(entry_id, []).append(OpenOffer(start, expires_at))
    return [
        Waiting(
            entry_id,
            _first_name(name or (intake or {}).get("name")),
            phone[-PHONE_END:],
            service,
            first_day,
            last_day,
            day_part,
            status,
            joined_at,
            tuple(offers.get(entry_id, ())),
        )
        for (
            entry_id,
            name,
            intake,
            phone,
            service,
            first_day,
            last_day,
            day_part,
            status,
            joined_at,
        ) in rows
    ]


def _first_name(name: str | None) -> str | None:
    words = (name or "").split()
    return words[0] if words else None
