"""Background work as RQ holds it: timed jobs, the periodic tick's chain, the daily slot upkeep.

Against a redis-server of each test's own (tests/redis_server.py), with RQ's own
registries read back; jobs run in a real `SimpleWorker`, in this process.
"""

from __future__ import annotations

import contextlib
import signal
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from redis import Redis
from rq import Queue, SimpleWorker
from rq.exceptions import StopRequested
from rq.job import Job, JobStatus
from rq.registry import ScheduledJobRegistry
from rq.worker import WorkerStatus
from sqlalchemy.orm import Session, sessionmaker

from app.background.after_commit import OwedJob
from app.background.dispatch import RQDispatcher
from app.background.queues import (
    BOOKING_QUEUE,
    MESSAGES_QUEUE,
    QUEUE_NAMES,
    next_slot_upkeep,
    schedule_slot_upkeep,
    schedule_tick,
)
from app.clock import utc_now
from tests.redis_server import RedisServer
from worker import CitabotWorker

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
            OwedJob("expire_request", (request_id,), DEADLINE),
            OwedJob("deliver_message", (message_id,), DEADLINE + timedelta(seconds=15)),
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


def test_each_tick_boundary_is_booked_once_however_many_ask(redis_server: RedisServer) -> None:
    connection = Redis.from_url(redis_server.url)
    now = datetime(2026, 12, 1, 15, 0, 7, 250_000, tzinfo=UTC)
    assert schedule_tick(connection, now) is True
    assert schedule_tick(connection, now + timedelta(seconds=20)) is False  # same boundary
    boundary = datetime(2026, 12, 1, 15, 0, 30, tzinfo=UTC)
    assert scheduled(connection) == {f"tick-{int(boundary.timestamp())}": boundary}
    assert schedule_tick(connection, now + timedelta(seconds=23)) is True  # the next one
    assert len(scheduled(connection)) == 2
    connection.close()


def test_the_slot_upkeep_is_booked_once_a_day_at_its_hour(redis_server: RedisServer) -> None:
    connection = Redis.from_url(redis_server.url)
    evening = datetime(2026, 12, 1, 23, 0, tzinfo=UTC)
    assert schedule_slot_upkeep(connection, evening) is True
    assert schedule_slot_upkeep(connection, evening + timedelta(hours=3)) is False
    assert scheduled(connection) == {"slots-2026-12-02": datetime(2026, 12, 2, 3, 0, tzinfo=UTC)}
    # Once its hour has passed, the next day's is booked.
    assert schedule_slot_upkeep(connection, evening + timedelta(hours=4)) is True
    assert set(scheduled(connection)) == {"slots-2026-12-02", "slots-2026-12-03"}
    connection.close()


def run_now(app: Flask, connection: Redis, job: str) -> Job:
    """Enqueue `app.background.jobs.<job>` and run it in a real RQ worker, in this process."""
    queued = Queue(BOOKING_QUEUE, connection=connection).enqueue(f"app.background.jobs.{job}")
    with app.app_context():
        SimpleWorker([BOOKING_QUEUE], connection=connection).work(burst=True)
    return Job.fetch(queued.id, connection=connection)


def test_the_periodic_tick_books_its_successor(
    app: Flask, redis_server: RedisServer, sessions: sessionmaker[Session]
) -> None:
    connection = Redis.from_url(redis_server.url)
    before = utc_now()
    ran = run_now(app, connection, "periodic_tick")
    assert ran.get_status() == JobStatus.FINISHED, ran.latest_result()
    [(tick_id, at)] = scheduled(connection).items()
    assert tick_id == f"tick-{int(at.timestamp())}"
    assert before < at <= utc_now() + timedelta(seconds=30) and at.second % 30 == 0
    connection.close()


def test_the_daily_slot_upkeep_books_tomorrows_run(
    app: Flask, redis_server: RedisServer, sessions: sessionmaker[Session]
) -> None:
    connection = Redis.from_url(redis_server.url)
    ran = run_now(app, connection, "keep_slots_ahead")
    assert ran.get_status() == JobStatus.FINISHED, ran.latest_result()
    assert list(scheduled(connection).values()) == [next_slot_upkeep(utc_now())]
    connection.close()


def test_a_worker_books_the_periodic_jobs_on_maintenance_and_outlives_redis_going_away(
    redis_server: RedisServer,
) -> None:
    connection = Redis.from_url(redis_server.url)
    worker = CitabotWorker([Queue(name, connection=connection) for name in QUEUE_NAMES], connection)
    # RQ's housekeeping (and the restart of a dead scheduler) every 30 s, and never
    # waiting longer than that for a job, or maintenance would wait behind it.
    assert worker.maintenance_interval == 30 and worker.dequeue_timeout <= 30

    worker.run_maintenance_tasks()  # what Redis lost (here: never had), booked again
    booked = {job_id.split("-")[0] for job_id in scheduled(connection)}
    assert booked == {"tick", "slots", "retention"}

    redis_server.stop()
    worker.run_maintenance_tasks()  # postponed: raised, it would end the worker
    connection.close()


def test_a_stop_request_lost_on_its_way_still_stops_the_idle_worker(
    redis_server: RedisServer,
) -> None:
    """SIGTERM raises StopRequested wherever an idle worker is; swallowed, the flag stops it."""
    connection = Redis.from_url(redis_server.url)
    worker = CitabotWorker([Queue(f"idle-{uuid.uuid4().hex}", connection=connection)], connection)
    worker.set_state(WorkerStatus.IDLE)
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        with contextlib.suppress(StopRequested):  # as a log handler's `except Exception` would
            worker.request_stop(signal.SIGTERM, None)
        with pytest.raises(StopRequested):
            # Without the flag this waits a second for a job and returns None.
            worker.dequeue_job_and_maintain_ttl(1, max_idle_time=1)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        connection.close()
