"""Background jobs: plain functions of ids (as text), run by RQ or by the embedded thread.

The database is the only source of truth: every job reloads what it needs, checks
that the work is still owed, and is safe to run twice or concurrently. Jobs run
inside an app context (`worker.py` pushes one for its whole life; the embedded
dispatcher one per run) and take their collaborators from `app.runtime`. Return
values are ids, counts and outcomes only: RQ may log them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from rq import get_current_job

from app.booking import expiry, reminder_sending
from app.booking.past_slots import expire_past_slots
from app.booking.policies import REMINDER_LEADS
from app.clock import utc_now
from app.messaging import delivery
from app.queues import schedule_tick
from app.runtime import get_runtime


def deliver_message(message_id: str) -> str:
    """Send one outbound message if it is still waiting: "sent", "retry", "failed", "skipped"."""
    return delivery.deliver_message(get_runtime().delivery, uuid.UUID(message_id))


def expire_request(request_id: str) -> bool:
    """Expire a hold at its deadline unless the doctor answered; True if this run expired it."""
    return expiry.expire_request(get_runtime().booking, uuid.UUID(request_id))


def send_reminder(reservation_id: str, kind: str, start_iso: str) -> str:
    """Queue the `kind` ("24h", "2h") reminder of an appointment scheduled at `start_iso`."""
    if kind not in REMINDER_LEADS:
        raise ValueError(f"unknown reminder kind {kind!r}")
    outcome = reminder_sending.send_reminder(
        get_runtime().booking, uuid.UUID(reservation_id), kind, datetime.fromisoformat(start_iso)
    )
    return outcome.value


@dataclass(frozen=True)
class TickReport:
    expired_holds: int
    reminders_sent: int
    reminders_late: int
    expired_slots: int
    delivered: int

    def summary(self) -> str:
        """One line for cron logs and operators."""
        return (
            f"tick: {self.expired_holds} holds expired, {self.reminders_sent} reminders sent"
            f" ({self.reminders_late} too late, skipped), {self.expired_slots} past slots"
            f" expired, {self.delivered} messages delivered"
        )


def tick() -> TickReport:
    """Run every periodic duty once: the safety net under all the jobs above.

    Deliveries go last, so the notices the other duties queue leave in the same tick.
    """
    runtime = get_runtime()
    expired = expiry.expire_overdue_holds(runtime.booking)
    reminders = reminder_sending.send_due_reminders(runtime.booking)
    slots = expire_past_slots(runtime.booking)
    delivered = delivery.deliver_due(runtime.delivery)
    return TickReport(expired, reminders.sent, reminders.late, slots, delivered)


def periodic_tick() -> str:
    """The worker's tick: book the next one first, so a crash mid-tick cannot end the chain."""
    job = get_current_job()
    if job is not None:
        schedule_tick(job.connection, utc_now())
    return tick().summary()


# What a `FollowUp` may name (see app.followups), by name.
JOBS: dict[str, Callable[..., object]] = {
    "deliver_message": deliver_message,
    "expire_request": expire_request,
    "send_reminder": send_reminder,
}
