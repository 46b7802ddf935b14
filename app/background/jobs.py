"""Background jobs: plain functions of ids (as text), run by RQ or by the embedded thread.

The database is the only source of truth: every job reloads what it needs, checks
that the work is still owed, and is safe to run twice or concurrently. Jobs run
inside an app context (`worker.py` pushes one for its whole life; the embedded
dispatcher one per run) and take their collaborators from `app.background.runtime`. Return
values are ids, counts and outcomes only: RQ may log them.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ParamSpec, TypeVar

from flask import current_app
from rq import get_current_job

from app import logs, metrics
from app.background.queues import schedule_retention, schedule_slot_upkeep, schedule_tick
from app.background.runtime import get_runtime
from app.booking import attendance, expiry, reminder_sending, retention, waitlist
from app.booking.morning_agenda import send_morning_agendas
from app.booking.past_slots import expire_past_slots
from app.booking.policies import REMINDER_LEADS
from app.clock import utc_now
from app.messaging import delivery
from app.rights import erasure
from app.scheduling import upkeep

log = logging.getLogger(__name__)
T = TypeVar("T")
P = ParamSpec("P")
DELIVERY_BUDGET = timedelta(seconds=20)
# An erasure request still open this long after it was made lost its job (the queue was
# down): the daily run carries it out.
ERASURE_LOST_AFTER = timedelta(hours=1)


def background_job(function: Callable[P, T]) -> Callable[P, T]:
    """A background job: its runs and failures are counted, and its log lines name it."""
    counted = metrics.counted_job(function)

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        rq_job = get_current_job()
        with logs.bound(job=function.__name__, job_id=rq_job.id if rq_job else None):
            return counted(*args, **kwargs)

    return run


@background_job
def deliver_message(message_id: str) -> str:
    """Send one outbound message if it is still waiting: "sent", "retry", "failed", "skipped"."""
    return delivery.deliver_message(get_runtime().delivery, uuid.UUID(message_id))


@background_job
def deliver_messages(*message_ids: str) -> str:
    """Send a batch of outbound messages still waiting; how many ended each way."""
    counts = delivery.deliver_messages(
        get_runtime().delivery, [uuid.UUID(message_id) for message_id in message_ids]
    )
    return ", ".join(f"{count} {outcome}" for outcome, count in sorted(counts.items()))


@background_job
def expire_request(request_id: str) -> bool:
    """Expire a hold at its deadline unless the doctor answered; True if this run expired it."""
    return expiry.expire_request(get_runtime().booking, uuid.UUID(request_id))


@background_job
def send_reminder(reservation_id: str, kind: str, start_iso: str) -> str:
    """Queue the `kind` ("24h", "2h") reminder of an appointment scheduled at `start_iso`."""
    if kind not in REMINDER_LEADS:
        raise ValueError(f"unknown reminder kind {kind!r}")
    outcome = reminder_sending.send_reminder(
        get_runtime().booking, uuid.UUID(reservation_id), kind, datetime.fromisoformat(start_iso)
    )
    return outcome.value


@background_job
def offer_places(*slot_ids: str) -> int:
    """Offer places just given back to the patients waiting for them; how many offers."""
    return waitlist.offer_places(get_runtime().booking, [uuid.UUID(i) for i in slot_ids])


class TickFailed(RuntimeError):
    """Some periodic duties failed (the others ran); names them, nothing more."""


@dataclass(frozen=True)
class TickReport:
    expired_holds: int
    reminders_sent: int
    reminders_late: int
    expired_slots: int
    delivered: int
    failed: tuple[str, ...] = ()  # the duties that raised, logged with their traceback

    def summary(self) -> str:
        """One line for cron logs and operators."""
        line = (
            f"tick: {self.expired_holds} holds expired, {self.reminders_sent} reminders sent"
            f" ({self.reminders_late} too late, skipped), {self.expired_slots} past slots"
            f" expired, {self.delivered} messages delivered"
        )
        return line + (f"; failed: {', '.join(self.failed)}" if self.failed else "")


def tick() -> TickReport:
    """Run every periodic duty once: the safety net under all the jobs above.

    Each duty runs whatever the others do: one practice's bad row, or a database
    hiccup in one sweep, must not stop holds from expiring or messages from going.
    Deliveries go last, so the notifications the other duties queue leave in the same tick.
    """
    runtime = get_runtime()
    failed: list[str] = []

    def duty(name: str, run: Callable[[], T], nothing: T) -> T:
        try:
            return run()
        except Exception:
            log.exception("periodic duty %r failed; the next tick tries again", name)
            failed.append(name)
            return nothing

    expired = duty("holds", lambda: expiry.expire_overdue_holds(runtime.booking), 0)
    reminders = duty(
        "reminders",
        lambda: reminder_sending.send_due_reminders(runtime.booking),
        reminder_sending.ReminderSweep(),
    )
    if reminders.failed_practices:
        log.error(
            "periodic duty 'reminders' failed for practices %s (see above); the others' went out",
            ", ".join(map(str, reminders.failed_practices)),
        )
        failed.append("reminders")
    slots = duty("slots", lambda: expire_past_slots(runtime.booking), 0)
    duty("attendance", lambda: attendance.release_unconfirmed(runtime.booking), None)
    duty("waitlist", lambda: waitlist.sweep(runtime.booking), (0, 0))
    duty("agenda", lambda: send_morning_agendas(runtime.booking), 0)
    # Until nothing is due, within a budget: a backlog after an outage drains in a few
    # ticks, and a tick still ends well before its timeout.
    delivered = duty(
        "messages",
        lambda: delivery.deliver_due(runtime.delivery, limit=None, budget=DELIVERY_BUDGET),
        0,
    )
    return TickReport(expired, reminders.sent, reminders.late, slots, delivered, tuple(failed))


@background_job
def periodic_tick() -> str:
    """The worker's tick: book the next one first, so a crash mid-tick cannot end the chain.

    A failed duty fails the job (after the others ran), so it shows in RQ's failed registry.
    """
    job = get_current_job()
    if job is not None:
        schedule_tick(job.connection, utc_now())
    report = tick()
    if report.failed:
        raise TickFailed(report.summary())
    return report.summary()


class SlotUpkeepFailed(RuntimeError):
    """Some profiles' slots could not be generated (the others were); names how many."""


@background_job
def keep_slots_ahead() -> str:
    """The daily duty: book tomorrow's run first (as the tick does), then generate slots ahead.

    Not part of the tick: it reads every practice's slots over its whole horizon,
    which a day's passing changes by one day. Some profile failing fails the job
    (after the others ran), so it shows in RQ's failed registry.
    """
    job = get_current_job()
    if job is not None:
        schedule_slot_upkeep(job.connection, utc_now())
    runtime = get_runtime()
    report = upkeep.generate_slots_ahead(runtime.sessions, runtime.clock())
    if report.failed:
        raise SlotUpkeepFailed(report.summary())
    return report.summary()


@background_job
def apply_retention() -> str:
    """The daily retention run: book tomorrow's first, then `retention_duties`.

    Counts only in the result: RQ may log it.
    """
    job = get_current_job()
    if job is not None:
        schedule_retention(job.connection, utc_now())
    return retention_duties()


def retention_duties(batch: int = retention.BATCH) -> str:
    """Purge old bodies and idle answers, carry out erasures whose job was lost, and
    erase the blocked clinical records whose time has ended (also `flask retention run`)."""
    runtime = get_runtime()
    report = retention.apply_retention(runtime.booking, batch)
    now = runtime.clock()
    late = now - ERASURE_LOST_AFTER
    erased = erasure.finish_open_erasures(runtime.sessions, now, current_app.secret_key, late)
    ended = erasure.erase_ended_records(runtime.sessions, now)
    return (
        f"{report.summary()}, {erased} erasures carried out late,"
        f" {ended} blocked records erased at the end of their retention"
    )


@background_job
def erase_patient(rights_request_id: str) -> str:
    """Carry out a patient's erasure request (its id only: the job holds no data)."""
    runtime = get_runtime()
    return erasure.erase(
        runtime.sessions, runtime.clock(), current_app.secret_key, uuid.UUID(rights_request_id)
    )


# What a `OwedJob` may name (see app.background.after_commit), by name.
JOBS: dict[str, Callable[..., object]] = {
    "deliver_message": deliver_message,
    "deliver_messages": deliver_messages,
    "expire_request": expire_request,
    "send_reminder": send_reminder,
    "offer_places": offer_places,
    "erase_patient": erase_patient,
}
