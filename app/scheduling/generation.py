"""Use case: materialise every practice's bookable slots for the coming days.

Each practice is regenerated in its own transaction, streaming its slots straight
into the database, so a thousand practices never sit in memory together and one
practice's failure leaves the others' work committed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import SessionSource
from app.models import Practice
from app.scheduling.rules import SlotSpec, desired_slots
from app.scheduling.schedules import UnknownTimeZone, load_schedule
from app.scheduling.slot_sync import SlotChanges, last_stored_start, reconcile_slots

DEFAULT_DAYS = 30
MAX_DAYS = 366
NO_CHANGES = SlotChanges(created=0, updated=0, removed=0, kept=0)


class PracticeNotFound(LookupError):
    """No practice has the id that was asked for."""


@dataclass(frozen=True)
class PracticeSlotReport:
    """What regeneration did to one practice's slots, or why it skipped them."""

    profile_id: uuid.UUID
    profile_name: str
    changes: SlotChanges
    problem: str | None = None


def generate_slots(
    sessions: SessionSource,
    *,
    now: datetime,
    days: int = DEFAULT_DAYS,
    profile_id: uuid.UUID | None = None,
) -> list[PracticeSlotReport]:
    """Make the stored slots after `now` match the availability rules.

    Idempotent: missing slots starting in (now, now + days] are created; free ones
    that no longer match are updated or removed wherever they lie, also beyond that
    horizon (left there by a run with more days); taken and blocked slots are never
    touched. Only the practice `profile_id` when given, else every practice. A
    practice whose schedule cannot be read is reported with its `problem` and left
    as it was; the others go ahead.
    """
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be between 1 and {MAX_DAYS}, not {days}")
    if now.tzinfo is None:
        raise ValueError("now must be an aware instant")
    until = now + timedelta(days=days)
    reports = []
    for each_id in _profile_ids(sessions, profile_id):
        with sessions.begin() as session:
            report = _regenerate_practice(session, each_id, now, until)
        if report is not None:
            reports.append(report)
    return reports


def _profile_ids(sessions: SessionSource, profile_id: uuid.UUID | None) -> list[uuid.UUID]:
    with sessions() as session:
        query = select(Practice.id).order_by(Practice.id)
        if profile_id is not None:
            query = query.where(Practice.id == profile_id)
        ids = list(session.scalars(query))
    if profile_id is not None and not ids:
        raise PracticeNotFound(f"no practice with id {profile_id}")
    return ids


def _regenerate_practice(
    session: Session, profile_id: uuid.UUID, now: datetime, until: datetime
) -> PracticeSlotReport | None:
    # Free slots an earlier, longer run made beyond `until` are still offered to
    # patients: compare them with the rules too, or a closed weekday lives on there.
    reach = max(until, last_stored_start(session, profile_id, now) or until)
    try:
        practice = load_schedule(session, profile_id, now, reach)
    except UnknownTimeZone as error:
        return PracticeSlotReport(profile_id, error.profile_name, NO_CHANGES, str(error))
    if practice is None:  # deleted since the ids were read
        return None
    slots = desired_slots(
        practice.schedule, first_day=practice.first_day, last_day=practice.last_day, now=now
    )
    changes = reconcile_slots(
        session, profile_id, _starting_by(reach, slots), after=now, until=reach, create_until=until
    )
    return PracticeSlotReport(profile_id, practice.name, changes)


def _starting_by(until: datetime, slots: Iterator[SlotSpec]) -> Iterator[SlotSpec]:
    # The last local day reaches past `until`; its later slots belong to a later run.
    return (spec for spec in slots if spec.start <= until)
