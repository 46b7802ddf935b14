"""Where jobs go once their transaction commits: RQ in production, a thread when embedded.

Both carry ids only and are best effort by design: the database already says what
is owed (queued messages, pending holds, unsent reminders), so a job lost with a
dead Redis or process is found again by the periodic duties (`jobs tick`).
"""

from __future__ import annotations

import heapq
import itertools
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, current_app
from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from rq import Queue

from app.background import jobs
from app.background.after_commit import OwedJob, dispatch_after_commit
from app.background.queues import (
    BOOKING_QUEUE,
    JOB_OPTIONS,
    JOB_QUEUES,
    QUEUE_NAMES,
    TICK_PERIOD,
    next_slot_upkeep,
)
from app.clock import Clock, utc_now
from app.db import get_database

log = logging.getLogger(__name__)

EXTENSION_KEY = "citabot.dispatcher"


def job_id(owed: OwedJob, at: datetime) -> str:
    """The RQ job id of a timed job: its name, arguments and instant.

    Asked for twice, it is one scheduled job (the scheduled registry is keyed by
    id), and the id tells an operator what it is for. Immediate jobs keep RQ's
    random ids: a duplicate of one merely runs twice, harmlessly, where a shared id
    could be deleted from under its twin when the first finishes.
    """
    parts = [owed.job, *owed.args, str(int(at.timestamp()))]
    return re.sub(r"[^A-Za-z0-9_-]", "_", "-".join(parts))


class RQDispatcher:
    """Production: each follow-up becomes an RQ job (`enqueue`, or `enqueue_at` when timed)."""

    def __init__(self, connection: Redis) -> None:
        self.connection = connection
        self.queues = {name: Queue(name, connection=connection) for name in QUEUE_NAMES}

    def dispatch(self, jobs_owed: list[OwedJob]) -> None:
        """Enqueue `jobs_owed` in one round trip (a transaction's worth, or 100,000)."""
        with self.connection.pipeline() as pipeline:
            # MULTI first: RQ's `enqueue` calls it itself unless it was, and refuses once a
            # timed job (`enqueue_at`) has queued commands, so a hold (expiry + notification)
            # would dispatch nothing at all.
            pipeline.multi()
            for owed in jobs_owed:
                queue = self.queues[JOB_QUEUES.get(owed.job, BOOKING_QUEUE)]
                function = f"app.background.jobs.{owed.job}"
                options = JOB_OPTIONS | {"pipeline": pipeline}
                if owed.at is None:
                    queue.enqueue(function, *owed.args, **options)
                else:
                    at = scheduled_instant(owed.at)
                    options["job_id"] = job_id(owed, at)
                    queue.enqueue_at(at, function, *owed.args, **options)
            pipeline.execute()


def dispatch_connection(redis_url: str) -> Redis:
    """A Redis client for dispatching from web requests: quick to give up.

    With Redis down, a commit's jobs are logged and left to the tick; a
    webhook must not wait through redis-py's default ten retries to learn that.
    """
    return Redis.from_url(
        redis_url, socket_connect_timeout=1, socket_timeout=5, retry=Retry(NoBackoff(), 1)
    )


@dataclass
class _Timer:
    """A periodic duty of the embedded mode: what to run, how often, and when next."""

    run: Callable[[], object]
    period: timedelta
    due_at: datetime | None  # None: at once


class InProcessDispatcher:
    """The embedded mode (no Redis): jobs and the periodic duties on one daemon thread.

    jobs wait in a heap ordered by their time; the thread sleeps until the
    earliest one (or the next duties: the tick's every 30 s, the daily slot upkeep's
    at its hour) and is woken by new work. It is started lazily by the first web
    request, never at import, in CLI commands or in tests, which call `run_due`
    themselves with their own clock.
    """

    def __init__(
        self,
        run_job: Callable[[OwedJob], object],
        run_duties: Callable[[], object],
        clock: Clock = utc_now,
        period: timedelta = TICK_PERIOD,
        run_daily: Callable[[], object] | None = None,
    ) -> None:
        self.run_job = run_job
        self.clock = clock
        self._heap: list[tuple[datetime, int, OwedJob]] = []
        self._order = itertools.count()
        self._changed = threading.Condition()
        self._timers = [_Timer(run_duties, period, None)]
        if run_daily is not None:
            # At its hour, as with RQ, not at start: `make run` has just generated slots.
            self._timers.append(_Timer(run_daily, timedelta(days=1), next_slot_upkeep(clock())))
        self._thread: threading.Thread | None = None

    def dispatch(self, jobs_owed: list[OwedJob]) -> None:
        with self._changed:
            now = self.clock()
            for owed in jobs_owed:
                heapq.heappush(self._heap, (owed.at or now, next(self._order), owed))
            self._changed.notify()

    def run_due(self) -> int:
        """Run the jobs whose time has come, then the duties whose time has; how many ran."""
        with self._changed:
            now = self.clock()
            due = []
            while self._heap and self._heap[0][0] <= now:
                due.append(heapq.heappop(self._heap)[2])
            duties = []
            for timer in self._timers:
                if timer.due_at is None or timer.due_at <= now:
                    timer.due_at = now + timer.period
                    duties.append(timer.run)
        for owed in due:
            self._run(self.run_job, owed)
        for duty in duties:
            self._run(duty)
        return len(due) + len(duties)

    def seconds_to_wait(self) -> float:
        """How long nothing is due (0 when something is)."""
        with self._changed:
            return self._seconds_to_wait()

    def start(self) -> None:
        """Start the thread, once."""
        with self._changed:
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name="jobs", daemon=True)
                self._thread.start()

    def _serve(self) -> None:
        while True:
            self.run_due()
            with self._changed:
                # Checked under the lock `dispatch` takes: new work cannot slip by unseen.
                wait = self._seconds_to_wait()
                if wait > 0:
                    self._changed.wait(wait)

    def _seconds_to_wait(self) -> float:
        now = self.clock()
        moments = [timer.due_at or now for timer in self._timers]
        if self._heap:
            moments.append(self._heap[0][0])
        return max(0.0, (min(moments) - now).total_seconds())

    @staticmethod
    def _run(function: Callable[..., object], *args: Any) -> None:
        try:
            function(*args)
        except Exception:
            # The database still says what is owed; the next duties run retries it.
            log.exception("background work failed: %s", args[0] if args else "periodic duties")


def init_app(app: Flask) -> None:
    """Give `app`'s committed transactions a dispatcher: RQ with REDIS_URL, else a thread."""
    redis_url = app.config["CITABOT"].redis_url
    dispatcher: RQDispatcher | InProcessDispatcher
    if redis_url:
        dispatcher = RQDispatcher(dispatch_connection(redis_url))
    else:

        def run_job(owed: OwedJob) -> None:
            with app.app_context():
                jobs.JOBS[owed.job](*owed.args)

        def run_duties() -> None:
            with app.app_context():
                jobs.tick()

        def run_daily() -> None:
            with app.app_context():
                try:
                    jobs.keep_slots_ahead()
                finally:  # a practice's slots failing must not keep old bodies
                    jobs.apply_retention()

        embedded = dispatcher = InProcessDispatcher(run_job, run_duties, run_daily=run_daily)

        @app.before_request
        def start_embedded_jobs() -> None:
            if not current_app.testing:
                embedded.start()

    app.extensions[EXTENSION_KEY] = dispatcher
    dispatch_after_commit(get_database(app).sessions, dispatcher)


def scheduled_instant(instant: datetime) -> datetime:
    """When RQ should run a job due at `instant`: the next whole second (UTC), never before.

    RQ keeps scheduled times in whole seconds, cut down: a job due at 10:30:00.7
    would run at 10:30:00, find its hold not yet overdue (or its retry not yet due)
    and do nothing, leaving the work to the next sweep.
    """
    # RQ reads a naive datetime as the server's local time: refuse the ambiguity.
    if instant.tzinfo is None:
        raise ValueError("jobs are scheduled at aware instants")
    instant = instant.astimezone(UTC)
    if instant.microsecond:
        instant = instant.replace(microsecond=0) + timedelta(seconds=1)
    return instant
