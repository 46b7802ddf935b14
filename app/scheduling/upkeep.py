"""Use case: keep every practice's slots generated as far ahead as its patients may book.

The daily duty (`app.background.jobs.keep_slots_ahead`): without it the slots `flask slots
generate` made run out, and patients would see no free times after a month.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.models import Practice
from app.scheduling import generation

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SlotUpkeep:
    profiles: int
    created: int
    failed: tuple[uuid.UUID, ...] = ()  # logged with the reason

    def summary(self) -> str:
        line = f"slots: {self.profiles} profiles kept ahead, {self.created} slots created"
        return line + (f"; {len(self.failed)} profiles failed" if self.failed else "")


def generate_slots_ahead(sessions: sessionmaker[Session], now: datetime) -> SlotUpkeep:
    """Generate every practice's slots as far ahead as its patients may book.

    Each practice on its own (`generate_slots` commits per profile), so one whose
    schedule cannot be read is logged and the others still get their slots.
    """
    with sessions() as session:
        horizons = session.execute(
            select(Practice.id, Practice.booking_horizon_days).order_by(Practice.id)
        ).all()
    created, failed = 0, []
    for profile_id, horizon in horizons:
        days = min(horizon or generation.DEFAULT_DAYS, generation.MAX_DAYS)
        try:
            reports = generation.generate_slots(sessions, now=now, days=days, profile_id=profile_id)
        except generation.PracticeNotFound:
            continue  # deleted since the list was read
        except OperationalError:
            raise  # the database, not this profile: every other one would fail too
        except Exception:
            log.exception("slots of profile %s could not be generated", profile_id)
            failed.append(profile_id)
            continue
        for report in reports:
            if report.problem:
                log.error("slots of profile %s not generated: %s", profile_id, report.problem)
                failed.append(profile_id)
            created += report.changes.created
    return SlotUpkeep(len(horizons), created, tuple(failed))
