"""Background work as RQ holds it: timed jobs, the periodic tick's chain, the daily slot upkeep.

Against a redis-server of each test's own (tests/redis_server.py), with RQ's own
registries read back; jobs run in a real `SimpleWorker`, in this process.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from redis import Redis
from rq.registry import ScheduledJobRegistry

from app.dispatch import RQDispatcher
from app.followups import FollowUp
from app.queues import BOOKING_QUEUE, MESSAGES_QUEUE
from tests.redis_server import RedisServer

DEADLINE = datetime(2026, 12, 1, 15, 30, 0, 700_000, tzinfo=UTC)


def scheduled(connection: Redis, queue: str = BOOKING_QUEUE) -> dict[str, datetime]:
    """Each job RQ's scheduler holds for `queue`, with the instant it will move it."""
    registry = ScheduledJobRegistry(queue, connection=connection)
    return {job_id: registry.get_scheduled_time(job_id) for job_id in registry.get_job_ids()}


def test_a_timed_follow_up_is_never_moved_before_its_instant(redis_server: RedisServer) -> None:
    connection = Redis.from_url(redis_server.url)
    request_id, message_id = str(uuid.uuid4()), str(uuid.uuid4())
    RQDispatcher(connection).dispatch(
        [
            FollowUp("expire_request", (request_id,), DEADLINE),
            FollowUp("deliver_message", (message_id,), DEADLINE + timedelta(seconds=15)),
        ]
    )
    # RQ keeps whole seconds, cut down: stored as 15:30:00, the hold would be checked
    # 0.7 s before its deadline, found not yet overdue and left to the next sweep.
    [(expiry_id, expiry_at)] = scheduled(connection).items()
    [(retry_id, retry_at)] = scheduled(connection, MESSAGES_QUEUE).items()
    assert DEADLINE <= expiry_at < DEADLINE + timedelta(seconds=1)
    assert retry_at == expiry_at + timedelta(seconds=15)
    assert request_id in expiry_id and message_id in retry_id
    connection.close()
