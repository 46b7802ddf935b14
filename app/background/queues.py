"""The RQ side of background work: queue names, job options, and the booking of periodic jobs.

Shared by the dispatcher (which enqueues), the jobs (each periodic job books its
successor) and `worker.py` (which listens, and books them on its maintenance
runs), so that all three agree.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from redis import Redis
from rq import Queue
from rq.exceptions import DuplicateJobError

BOOKING_QUEUE = "citabot-booking"
MESSAGES_QUEUE = "citabot-messages"
# The worker's order: a backlog of deliveries never delays an expiry or a reminder.
QUEUE_NAMES = (BOOKING_QUEUE, MESSAGES_QUEUE)
JOB_QUEUES = {"deliver_message": MESSAGES_QUEUE, "deliver_messages": MESSAGES_QUEUE}
# Results are not kept (the database has them); failures are, for a week, to inspect.
JOB_OPTIONS: dict[str, Any] = {"result_ttl": 0, "failure_ttl": 7 * 24 * 3600}
TICK_PERIOD = timedelta(seconds=30)
TICK_TIMEOUT = 15 * 60
# Slots are generated ahead once a day, at night in the Americas (21:00-00:00 local).
SLOT_UPKEEP_AT = time(3, 0, tzinfo=UTC)
SLOT_UPKEEP_TIMEOUT = 60 * 60
# Retention runs an hour after the slot upkeep, so the two never share the night's peak.
RETENTION_AT = time(4, 0, tzinfo=UTC)
RETENTION_TIMEOUT = 2 * 60 * 60


def schedule_tick(connection: Redis, now: datetime) -> bool:
    """Book the periodic tick at the next 30-second boundary after `now`; True if this call did.

    The job id names the boundary and is enqueued with `unique=True`, so however
    many workers (and running ticks) ask, each boundary gets one tick. Each tick
    books the next one; every worker books one at start and on its maintenance
    runs (every 30 s), which restarts the chain after Redis lost it.
    """
    period = int(TICK_PERIOD.total_seconds())
    at = datetime.fromtimestamp((int(now.timestamp()) // period + 1) * period, UTC)
    # Kept a while after it ran, so the boundary cannot be booked again.
    return _book_once(
        connection, at, "periodic_tick", f"tick-{int(at.timestamp())}", 4 * period, TICK_TIMEOUT
    )


def next_slot_upkeep(now: datetime) -> datetime:
    """The first daily slot upkeep instant (SLOT_UPKEEP_AT, UTC) after `now`."""
    at = datetime.combine(now.astimezone(UTC).date(), SLOT_UPKEEP_AT)
    return at if at > now else at + timedelta(days=1)


def schedule_slot_upkeep(connection: Redis, now: datetime) -> bool:
    """Book the daily slot upkeep at its next instant after `now`; True if this call did.

    One job per day (its id names the day), booked like the tick: by its
    predecessor, and by every worker at start and on its maintenance runs.
    """
    at = next_slot_upkeep(now)
    job_id = f"slots-{at.date().isoformat()}"
    return _book_once(connection, at, "keep_slots_ahead", job_id, 3600, SLOT_UPKEEP_TIMEOUT)


def next_retention(now: datetime) -> datetime:
    """The first daily retention instant (RETENTION_AT, UTC) after `now`."""
    at = datetime.combine(now.astimezone(UTC).date(), RETENTION_AT)
    return at if at > now else at + timedelta(days=1)


def schedule_retention(connection: Redis, now: datetime) -> bool:
    """Book the daily retention run at its next instant after `now`; True if this call did.

    Booked as the slot upkeep is: by its predecessor, and by every worker at start and
    on its maintenance runs (one job per day: its id names the day).
    """
    at = next_retention(now)
    job_id = f"retention-{at.date().isoformat()}"
    return _book_once(connection, at, "apply_retention", job_id, 3600, RETENTION_TIMEOUT)


def _book_once(
    connection: Redis, at: datetime, job: str, job_id: str, result_ttl: int, timeout: int
) -> bool:
    queue = Queue(BOOKING_QUEUE, connection=connection)
    try:
        queue.enqueue_at(
            at,
            f"app.background.jobs.{job}",
            job_id=job_id,
            unique=True,
            result_ttl=result_ttl,
            failure_ttl=JOB_OPTIONS["failure_ttl"],
            job_timeout=timeout,
        )
    except DuplicateJobError:
        return False
    return True
