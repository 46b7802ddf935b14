"""The RQ side of background work: queue names, job options, and the periodic tick's booking.

Shared by the dispatcher (which enqueues), the jobs (the tick books its successor)
and `worker.py` (which listens), so that all three agree.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from redis import Redis
from rq import Queue
from rq.exceptions import DuplicateJobError

BOOKING_QUEUE = "citabot-booking"
MESSAGES_QUEUE = "citabot-messages"
# The worker's order: a backlog of deliveries never delays an expiry or a reminder.
QUEUE_NAMES = (BOOKING_QUEUE, MESSAGES_QUEUE)
JOB_QUEUES = {"deliver_message": MESSAGES_QUEUE}
# Results are not kept (the database has them); failures are, for a week, to inspect.
JOB_OPTIONS: dict[str, Any] = {"result_ttl": 0, "failure_ttl": 7 * 24 * 3600}
TICK_PERIOD = timedelta(seconds=30)
TICK_TIMEOUT = 15 * 60


def schedule_tick(connection: Redis, now: datetime) -> bool:
    """Book the periodic tick at the next 30-second boundary after `now`; True if this call did.

    The job id names the boundary and is enqueued with `unique=True`, so however
    many workers (and running ticks) ask, each boundary gets one tick. Each tick
    books the next one; every worker books one at start and on its maintenance
    runs, which restarts the chain after Redis lost it.
    """
    period = int(TICK_PERIOD.total_seconds())
    at = datetime.fromtimestamp((int(now.timestamp()) // period + 1) * period, UTC)
    queue = Queue(BOOKING_QUEUE, connection=connection)
    try:
        queue.enqueue_at(
            at,
            "app.jobs.periodic_tick",
            job_id=f"tick-{int(at.timestamp())}",
            unique=True,
            # Kept a while after it ran, so the boundary cannot be booked again.
            result_ttl=4 * period,
            failure_ttl=JOB_OPTIONS["failure_ttl"],
            job_timeout=TICK_TIMEOUT,
        )
    except DuplicateJobError:
        return False
    return True
