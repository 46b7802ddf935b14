"""Reminders as jobs: one job per reminder, at its absolute instant."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.background.after_commit import run_after_commit
from app.models import Reservation


def schedule_reminders(
    session: Session, reservation: Reservation, start: datetime, due: dict[str, datetime]
) -> None:
    """Ask for each due reminder at its instant once the transaction commits.

    The job gets the appointment's start too: after a reschedule, a reminder
    scheduled for the old time sees the start has changed and does nothing.
    """
    for kind, instant in due.items():
        run_after_commit(
            session, "send_reminder", reservation.id, kind, start.isoformat(), at=instant
        )
