"""`python worker.py`: the RQ worker, with its scheduler, for production.

Settings come from the environment like the web app's (`DATABASE_URL`, `REDIS_URL`,
Twilio). Run as many as the load needs: jobs are idempotent, one scheduler at a
time moves timed jobs (RQ's lock), the periodic tick is booked once per 30-second
boundary and the slot upkeep once a day however many workers there are
(`app.background.queues`). SIGTERM (or Ctrl+C) finishes the current job, then stops; a
second one stops at once.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from types import FrameType

from redis import Redis
from redis.client import Pipeline
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq import Queue, SimpleWorker
from rq.exceptions import StopRequested
from rq.worker import WorkerStatus

from app import create_app
from app.background.queues import (
    QUEUE_NAMES,
    schedule_retention,
    schedule_slot_upkeep,
    schedule_tick,
)
from app.clock import utc_now
from app.db import get_database
from app.web.webhooks import get_deferred


class CitabotWorker(SimpleWorker):
    """Runs each job in this process, with the app built once.

    RQ's default worker forks a child per job: milliseconds each, when a delivery
    must take about two to reach 500 messages a second; whatever a job opens (database
    connections, HTTP sessions) dies with its child, so the next job opens it again;
    and a child forked from a process holding pooled database connections shares
    their sockets. Jobs here are short, idempotent and time-limited, so the fork's
    isolation buys little.
    """

    # RQ's housekeeping, which also restarts a scheduler that died (it dies with any Redis
    # error), every 30 s rather than 10 minutes: a Redis blip stops timed jobs and the
    # tick chain for seconds, not minutes. The idle wait for a job (IDLE_WAIT) is shorter
    # still, or maintenance would wait behind it.
    MAINTENANCE_INTERVAL = 30
    WORKER_TTL = MAINTENANCE_INTERVAL + 15
    # Redis unreachable: try again at most this many seconds apart (RQ's default is 60).
    max_connection_wait_time = 5.0
    # Idle, the worker waits for a job this long at a time, then checks whether it was
    # told to stop (see `request_stop`).
    IDLE_WAIT = 5

    def __init__(self, queues: list[Queue], connection: Redis) -> None:
        super().__init__(
            queues,
            connection=connection,
            maintenance_interval=self.MAINTENANCE_INTERVAL,
            worker_ttl=self.WORKER_TTL,
        )

    @property
    def dequeue_timeout(self) -> int:
        return self.IDLE_WAIT

    def request_stop(self, signum: int, frame: FrameType | None) -> None:
        """SIGTERM: stop after the current job, or at once when idle.

        RQ stops an idle worker by raising StopRequested from the signal handler,
        wherever the worker is; a broad `except Exception` in its way (a log handler's
        emit swallows everything) loses it, and RQ's idle loop then waits for jobs for
        ever. The request is also kept as a flag, which `heartbeat` acts on between two
        waits for a job.
        """
        self._stop_requested = True
        super().request_stop(signum, frame)

    def heartbeat(self, timeout: int | None = None, pipeline: Pipeline | None = None) -> None:
        super().heartbeat(timeout, pipeline)
        if self._stop_requested and self.get_state() == WorkerStatus.IDLE:
            raise StopRequested()

    def run_maintenance_tasks(self) -> None:
        """RQ's housekeeping, plus: make sure the next tick, slot upkeep and retention are booked.

        With Redis unreachable it is left for the next turn (RQ's dequeue loop waits
        for Redis to come back); raised here, it would end the worker.
        """
        try:
            super().run_maintenance_tasks()
            now = utc_now()
            schedule_tick(self.connection, now)
            schedule_slot_upkeep(self.connection, now)
            schedule_retention(self.connection, now)
        except (RedisConnectionError, RedisTimeoutError) as error:
            self.log.warning("maintenance postponed, Redis unreachable: %s", type(error).__name__)


def _die_with(parent_pid: int) -> None:
    """Have the kernel send SIGTERM to this process when its parent dies (Linux)."""
    if not sys.platform.startswith("linux"):
        return
    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(0)


def main() -> None:
    """Build the app once, then work until told to stop."""
    try:
        app = create_app()
    except ValueError as error:  # settings that cannot work: say which, in one line
        sys.exit(f"worker: {error}")
    redis_url = app.config["CITABOT"].redis_url
    if not redis_url:
        sys.exit("REDIS_URL is not set: without Redis, jobs run inside the web process.")
    engine = get_database(app).engine
    worker_pid = os.getpid()

    def in_forked_child() -> None:
        # RQ forks its scheduler process: the child must not reuse the parent's pooled
        # database connections (SQLAlchemy's recipe for os.fork), nor outlive a worker
        # killed with -9, holding the scheduler lock with no worker behind it.
        engine.dispose(close=False)
        _die_with(worker_pid)

    os.register_at_fork(after_in_child=in_forked_child)
    connection = Redis.from_url(redis_url)
    queues = [Queue(name, connection=connection) for name in QUEUE_NAMES]
    # Messages the web processes kept while the database was away (app.conversation).
    get_deferred(app).replayer.start()
    with app.app_context():
        CitabotWorker(queues, connection=connection).work(with_scheduler=True)


if __name__ == "__main__":
    main()
