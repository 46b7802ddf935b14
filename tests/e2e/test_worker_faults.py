"""Background work under faults, with real processes: ticks, a worker, a Redis server.

Every process here is started by the test and ended by it, by its id: `flask jobs
tick` and `python worker.py` subprocesses on the test database, and a
`redis-server` of the test's own on a free port, so stopping it disturbs no one.
Twilio is the local fake (tests/fake_twilio.py), reached from the subprocesses
through TWILIO_API_BASE_URL, or the console backend.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from rq.registry import ScheduledJobRegistry
from rq.scheduler import RQScheduler
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker
from twilio.request_validator import RequestValidator

from app import create_app
from app.background.dispatch import scheduled_instant
from app.background.queues import BOOKING_QUEUE, MESSAGES_QUEUE
from app.booking.notifications import DELIVERY_BATCH, Notification, queue_notifications
from app.booking.requests import hold_slot
from app.clock import utc_now
from app.config import DEVELOPMENT_TOKEN, Config
from app.db import get_database
from app.models import (
    Contact,
    MessageLog,
    MessageStatus,
    RequestStatus,
    Reservation,
    ReservationRequest,
    SlotStatus,
    TimeSlot,
)
from bot_flows import texts
from tests.environ import python_env
from tests.factories import context, intake, make_practice, make_service, make_slot
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, Created, FakeTwilio
from tests.redis_server import RedisServer

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
CONSOLE_ID = re.compile(r", id ([0-9a-f-]{36})\)$", re.MULTILINE)
TICK_LINE = re.compile(r"^tick: (\d+) holds expired, (\d+) reminders sent", re.MULTILINE)


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> None:
    """Poll `condition` until it holds; fail the test with `what` if it never does.

    The timeouts are generous: a busy machine must not fail a test, only something
    that never happens (or would take the 10 minutes of RQ's own defaults).
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def env(database_url: str) -> dict[str, str]:
    """The environment of the subprocesses: the test database, messages on the console."""
    return python_env() | {
        "DATABASE_URL": database_url,
        "MESSAGING_BACKEND": "console",
        "CITABOT_ENV": "testing",
        "PYTHONUNBUFFERED": "1",
        "WHATSAPP_RATE_PER_SECOND": "10000",
    }


def run_tick(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BIN / "flask", "--app", "app", "jobs", "tick"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def start_tick(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [BIN / "flask", "--app", "app", "jobs", "tick"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


class Workers:
    """`python worker.py` processes, each in its own process group (it forks its scheduler)."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs = env, logs
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self) -> subprocess.Popen[bytes]:
        with (self.logs / f"worker-{len(self.started)}.log").open("wb") as log:
            worker = subprocess.Popen(
                [BIN / "python", "worker.py"], cwd=ROOT, env=self.env, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        self.started.append(worker)
        return worker

    def kill(self, worker: subprocess.Popen[bytes]) -> None:
        """kill -9 the worker alone: the scheduler it forked must not outlive it."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        deadline = time.monotonic() + 10
        while _group_alive(worker.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        orphaned = _group_alive(worker.pid)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)
        assert not orphaned, "the worker's scheduler outlived it"

    def stop_all(self) -> None:
        for worker in self.started:
            self.kill(worker)


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def workers(env: dict[str, str], tmp_path: Path) -> Iterator[Workers]:
    started = Workers(env, tmp_path)
    yield started
    started.stop_all()


@pytest.fixture
def redis_app(
    database_url: str, redis_server: RedisServer, sessions: sessionmaker[Session]
) -> Iterator[Flask]:
    """The web app as deployed: follow-ups go to the test's own Redis after each commit."""
    app = create_app(
        Config(database_url=database_url, redis_url=redis_server.url, environment="testing")
    )
    app.config["TESTING"] = True
    yield app
    get_database(app).engine.dispose()


def statuses(sessions: sessionmaker[Session]) -> Counter[str]:
    with sessions() as session:
        rows = session.execute(
            select(MessageLog.status, func.count())
            .where(MessageLog.direction == "out")
            .group_by(MessageLog.status)
        )
        return Counter(dict(rows.all()))


# -- three ticks at once ------------------------------------------------------------


def seed_due_reminders(
    sessions: sessionmaker[Session], now: datetime, practices: int, per_practice: int
) -> dict[uuid.UUID, str]:
    """Confirmed appointments whose reminder is due now: kind by reservation id.

    Per practice, two thirds are 19-22 hours away (the 24 h reminder is due, up to
    5 hours late), one third 70-100 minutes away (the 2 h one). Bulk inserts: the
    booking path is not what is under test here.
    """
    kinds: dict[uuid.UUID, str] = {}
    with sessions.begin() as session:
        for _ in range(practices):
            profile = make_practice(session, appointment_approval_required=False)
            service = make_service(session, profile)
            slots, reservations = [], []
            for i in range(per_practice):
                day_ahead = i % 3 != 2
                start = (
                    now + timedelta(hours=19, minutes=10 * i)
                    if day_ahead
                    else now + timedelta(minutes=70 + i)
                )
                slot_id, reservation_id = uuid.uuid4(), uuid.uuid4()
                slots.append(
                    {"id": slot_id, "profile_id": profile.id, "service_id": service.id,
                     "start_time": start, "end_time": start + timedelta(minutes=1),
                     "max_reservations": 1, "current_reservations": 1,
                     "status": SlotStatus.RESERVED}
                )  # fmt: skip
                reservations.append(
                    {"id": reservation_id, "profile_id": profile.id, "slot_id": slot_id,
                     "service_id": service.id, "code": f"R{i:04d}", "patient_name": "Ana",
                     "patient_phone": f"+52551{i:07d}", "reminder_24h_scheduled": day_ahead,
                     "reminder_2h_scheduled": True}
                )  # fmt: skip
                kinds[reservation_id] = "24h" if day_ahead else "2h"
            session.execute(TimeSlot.__table__.insert(), slots)
            session.execute(Reservation.__table__.insert(), reservations)
    return kinds


def writers_waiting(session: Session) -> int:
    """How many connections wait for the lock on message_log."""
    return session.scalar(
        text("SELECT count(DISTINCT pid) FROM pg_locks"
             " WHERE relation = 'message_log'::regclass AND NOT granted")
    ) or 0  # fmt: skip


def test_three_concurrent_ticks_send_each_due_reminder_exactly_once(
    sessions: sessionmaker[Session], env: dict[str, str]
) -> None:
    kinds = seed_due_reminders(sessions, utc_now(), practices=40, per_practice=25)
    assert len(kinds) == 1000

    # The outbox is held locked (reads go on, writes wait) until all three ticks are
    # inside the reminder sweep at once, each waiting to write the batch it claimed:
    # 500 of the 680 day-ahead reminders, the other 180 (the first batch's rows are
    # skipped, not waited for), and, finding none of those left, the 320 two-hour ones.
    with sessions() as gate, sessions() as watch:
        gate.execute(text("LOCK TABLE message_log IN SHARE MODE"))
        ticks = [start_tick(env) for _ in range(3)]
        wait_for(lambda: writers_waiting(watch) == 3, 60, "three ticks in the sweep at once")
        gate.rollback()
        outputs = [tick.communicate(timeout=60) for tick in ticks]
    for tick, (_, err) in zip(ticks, outputs, strict=True):
        assert tick.returncode == 0, err
    # Each delivers until nothing is due: a fourth tick finds nothing left to do.
    last = run_tick(env)
    assert last.returncode == 0, last.stderr
    printed = "".join(out for out, _ in outputs) + last.stdout

    reported = [int(sent) for _, sent in TICK_LINE.findall(printed)]
    assert sorted(reported[:3]) == [180, 320, 500] and reported[3:] == [0]
    assert "0 messages delivered" in last.stdout
    with sessions() as session:
        messages = session.execute(
            select(MessageLog.id, MessageLog.dedupe_key, MessageLog.status).where(
                MessageLog.direction == "out"
            )
        ).all()
        # One message per reservation and kind, every one sent (beside the doctors' morning
        # agendas, when the real clock has them owed)...
        keyed = Counter(
            ":".join(key.split(":")[:3]) for _, key, _ in messages if key.startswith("reservation:")
        )
        assert keyed == Counter(f"reservation:{r}:reminder_{k}" for r, k in kinds.items())
        assert {status for _, _, status in messages} == {MessageStatus.SENT}
        # ...and the flags say so.
        flags = session.execute(
            select(Reservation.id, Reservation.reminder_24h_sent, Reservation.reminder_2h_sent)
        ).all()
        assert all((day, hours) == (kinds[r] == "24h", kinds[r] == "2h") for r, day, hours in flags)
    # Each printed once: no message went out twice, whichever tick took it.
    assert Counter(CONSOLE_ID.findall(printed)) == Counter(str(m) for m, _, _ in messages)


# -- Redis stops while patients book --------------------------------------------------


def signed_post(app: Flask, form: dict[str, str]):  # type: ignore[no-untyped-def]
    """A webhook call as Twilio makes it, signed with the development token."""
    url = app.config["CITABOT"].public_base_url + "/webhooks/whatsapp"
    signature = RequestValidator(DEVELOPMENT_TOKEN).compute_signature(url, form)
    return app.test_client().post(
        "/webhooks/whatsapp", data=form, headers={"X-Twilio-Signature": signature}
    )


def test_bookings_commit_while_redis_is_down_and_their_messages_go_once_it_is_back(
    redis_app: Flask,
    redis_server: RedisServer,
    env: dict[str, str],
    workers: Workers,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app_sessions = get_database(redis_app).sessions
    with app_sessions.begin() as session:
        profile = make_practice(session)
        service = make_service(session, profile)
        slot_ids = []
        for i in range(7):
            start = utc_now() + timedelta(days=2, hours=i)
            slot = TimeSlot(
                profile_id=profile.id, service_id=service.id, start_time=start,
                end_time=start + timedelta(minutes=30), max_reservations=1,
            )  # fmt: skip
            session.add(slot)
            session.flush()
            slot_ids.append(slot.id)
        doctor, practice = profile.doctor_phone, profile.whatsapp_number
    ctx = context(app_sessions, utc_now)

    def book(slot_id: uuid.UUID) -> str:
        return hold_slot(ctx, profile_id=profile.id, slot_id=slot_id, intake=intake()).code

    book(slot_ids[0])
    queued = Queue(MESSAGES_QUEUE, connection=Redis.from_url(redis_server.url))
    assert queued.count == 1  # the doctor's notification went to Redis

    redis_server.stop()

    def book_and_approve() -> None:
        codes = [book(slot_id) for slot_id in slot_ids[1:6]]
        answer = signed_post(
            redis_app,
            {"MessageSid": "SM" + uuid.uuid4().hex, "From": f"whatsapp:{doctor}",
             "To": f"whatsapp:{practice}", "Body": f"aprobar {codes[0]}", "NumMedia": "0"},
        )  # fmt: skip
        assert answer.status_code == 200 and b"<Message>" in answer.data

    # Each commit learns at once that Redis is gone, says the tick will catch up, and
    # goes on: nothing waits on Redis (a hung call fails here, not the whole run).
    pool = ThreadPoolExecutor(1)
    outage = pool.submit(book_and_approve)
    pool.shutdown(wait=False)
    wait_for(outage.done, 30, "five bookings and an approval to commit with Redis down")
    outage.result()
    given_up = [r for r in caplog.records if "tick will catch up" in r.getMessage()]
    assert len(given_up) == 6  # five holds and the approval
    with app_sessions() as session:
        requests = session.scalars(select(ReservationRequest)).all()
        assert len(requests) == 6
        assert Counter(r.status for r in requests) == {
            RequestStatus.PENDING: 5,
            RequestStatus.APPROVED: 1,
        }
        assert session.scalar(select(func.count()).select_from(Reservation)) == 1
    # Six notifications to the doctor, one to the approved patient, waiting in the database;
    # the doctor's answer went back in the webhook's TwiML (logged as sent).
    assert statuses(app_sessions) == {MessageStatus.QUEUED: 7, MessageStatus.SENT: 1}

    # Redis comes back empty (what it held before is gone too); the tick catches up.
    redis_server.start()
    tick = run_tick(env | {"REDIS_URL": redis_server.url})
    assert tick.returncode == 0, tick.stderr
    assert "7 messages delivered" in tick.stdout
    assert statuses(app_sessions) == {MessageStatus.SENT: 8}

    # And a worker on the new Redis delivers the next booking's notification by itself.
    workers.env = env | {"REDIS_URL": redis_server.url}
    workers.start()
    book(slot_ids[6])
    wait_for(lambda: statuses(app_sessions) == {MessageStatus.SENT: 9}, 20, "the worker")


# -- a worker killed mid-delivery ------------------------------------------------------


def queue_messages(sessions: sessionmaker[Session], count: int) -> None:
    """`count` messages from one practice, to as many patients inside their 24 h window."""
    now = utc_now()
    with sessions.begin() as session:
        profile = make_practice(session)
        phones = [f"+52553{i:07d}" for i in range(count)]
        session.execute(
            Contact.__table__.insert(),
            [{"profile_id": profile.id, "phone": p, "last_inbound_at": now} for p in phones],
        )
        notifications = [
            Notification(profile.id, "patient_approved", phone, "es", f"e2e:{phone}")
            for phone in phones
        ]
        queue_notifications(
            session, notifications, lambda notification: f"Mensaje para {notification.phone}", now
        )


@pytest.fixture
def fake() -> Iterator[FakeTwilio]:
    twilio = FakeTwilio().start()
    yield twilio
    twilio.stop()


def test_a_worker_killed_mid_delivery_loses_nothing_and_sends_nothing_twice(
    redis_app: Flask,
    redis_server: RedisServer,
    env: dict[str, str],
    workers: Workers,
    fake: FakeTwilio,
) -> None:
    app_sessions = get_database(redis_app).sessions
    queue_messages(app_sessions, 500)
    # One delivery job per batch of notifications the transaction queued.
    jobs = Queue(MESSAGES_QUEUE, connection=Redis.from_url(redis_server.url)).count
    assert jobs == 500 // DELIVERY_BATCH
    workers.env = env | {
        "REDIS_URL": redis_server.url,
        "MESSAGING_BACKEND": "twilio",
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_API_BASE_URL": fake.base_url,
        # Short, so the dead worker's lease runs out in the test's time, as it would.
        "MESSAGE_LEASE_SECONDS": "30",
    }

    # The 60th send reaches Twilio, whose answer is held back: the worker dies mid-send.
    mid_send, answer = threading.Event(), threading.Event()
    store = fake._store

    def store_then_hold(form: dict[str, str]) -> Created:
        created = store(form)
        if len(fake.created) == 60:
            mid_send.set()
            answer.wait(10)
        return created

    fake._store = store_then_hold  # type: ignore[method-assign]
    first = workers.start()
    assert mid_send.wait(60), "the worker never got to 60 deliveries"
    workers.kill(first)
    answer.set()
    with app_sessions() as session:
        in_flight = dict(
            session.execute(
                select(MessageLog.id, MessageLog.next_attempt_at).where(
                    MessageLog.status == MessageStatus.SENDING
                )
            ).all()
        )
    # Twilio has the 60th, the database does not know: it is among the messages the
    # dead worker's batch holds in `sending`, with whatever else was in flight beside it.
    assert fake.created[59].message_id in in_flight
    lease_end = max(in_flight.values())
    assert lease_end <= utc_now() + timedelta(seconds=30)

    # The dead worker's lease runs out, and Twilio has sent what it took meanwhile.
    for created in list(fake.created):
        fake.set_status(created.sid, "sent")
    wait_for(lambda: utc_now() > lease_end, 60, "the dead worker's lease to run out")

    # A new worker takes the jobs left in Redis while cron's tick sweeps at the same time;
    # only the tick can find the message the dead worker held (its job died with it).
    workers.start()
    tick = run_tick(workers.env)
    assert tick.returncode == 0, tick.stderr
    wait_for(lambda: statuses(app_sessions) == {MessageStatus.SENT: 500}, 120, "every delivery")

    sends = Counter(created.message_id for created in fake.created)
    with app_sessions() as session:
        sids = dict(session.execute(select(MessageLog.id, MessageLog.provider_sid)).all())
    assert set(sends) == set(sids) and set(sends.values()) == {1}, "a message went twice"
    assert {c.message_id: c.sid for c in fake.created} == sids
    assert len({c.body for c in fake.created}) == 500


# -- timed jobs: at their instant, and again after Redis restarts ----------------------


def children(pid: int) -> set[int]:
    """The live processes `pid` forked: a worker's scheduler."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):  # ended meanwhile
            state, parent = stat.read_text().rsplit(")", 1)[1].split()[:2]
            if int(parent) == pid and state not in "ZX":
                found.add(int(stat.parent.name))
    return found


def scheduler_ready(connection: Redis) -> bool:
    """A worker's scheduler holds its lock, and the next periodic tick is booked."""
    with contextlib.suppress(RedisError):
        booked = ScheduledJobRegistry(BOOKING_QUEUE, connection=connection).get_job_ids()
        locked = connection.exists(RQScheduler.get_locking_key(BOOKING_QUEUE))
        return bool(locked) and any(job_id.startswith("tick-") for job_id in booked)
    return False


def deadline_clear_of_ticks(seconds_ahead: int) -> datetime:
    """About `seconds_ahead` from now, 0.9 s past a whole second, and clear of the ticks.

    RQ cut the 0.9 s away (the job fired that much early); and a 30-second tick
    falling just after the deadline could expire the hold by its sweep first.
    """
    second = int(time.time()) + seconds_ahead
    if not 1 <= second % 30 <= 25:
        second += (30 - second % 30) % 30 + 2
    return datetime.fromtimestamp(second + 0.9, UTC)


def hold_until(sessions: sessionmaker[Session], deadline: datetime) -> uuid.UUID:
    """A hold on the first of three free times, answered by no one until `deadline`."""
    with sessions.begin() as session:
        profile = make_practice(session)
        service = make_service(session, profile)
        first = utc_now().replace(microsecond=0) + timedelta(days=2)
        slots = [make_slot(session, service, first + timedelta(hours=h)) for h in range(3)]
    booked_at = deadline - timedelta(minutes=30)  # the hold lasts 30 minutes
    ctx = context(sessions, lambda: booked_at)
    return hold_slot(ctx, profile_id=profile.id, slot_id=slots[0].id, intake=intake()).request_id


def lapsed_by_its_job(sessions: sessionmaker[Session], request_id: uuid.UUID) -> datetime:
    """When the hold lapsed, checking it was its own job: the sweep offers no times."""
    with sessions() as session:
        request = session.get_one(ReservationRequest, request_id)
        assert request.status == RequestStatus.EXPIRED
        [told] = session.scalars(
            select(MessageLog.body).where(MessageLog.purpose == "patient_expired")
        ).all()
    assert texts.text("alternatives", "es", times="").split("\n")[0] in told
    return request.updated_at


def booked_for(connection: Redis, request_id: uuid.UUID) -> datetime:
    """When RQ is to run the hold's expiry job (to be read before that)."""
    registry = ScheduledJobRegistry(BOOKING_QUEUE, connection=connection)
    prefix = f"expire_request-{request_id}-"
    [job_id] = [job_id for job_id in registry.get_job_ids() if job_id.startswith(prefix)]
    return registry.get_scheduled_time(job_id)


def expired(sessions: sessionmaker[Session], request_id: uuid.UUID) -> bool:
    with sessions() as session:
        return session.get_one(ReservationRequest, request_id).status == RequestStatus.EXPIRED


def test_a_hold_lapses_by_its_own_job_at_its_deadline_never_before(
    redis_app: Flask, redis_server: RedisServer, env: dict[str, str], workers: Workers
) -> None:
    app_sessions = get_database(redis_app).sessions
    workers.env = env | {"REDIS_URL": redis_server.url}
    workers.start()
    connection = Redis.from_url(redis_server.url)
    wait_for(lambda: scheduler_ready(connection), 60, "the worker's scheduler")

    # Ten seconds ahead: ample time to see the job booked before it fires.
    deadline = deadline_clear_of_ticks(10)
    request_id = hold_until(app_sessions, deadline)
    assert booked_for(connection, request_id) == scheduled_instant(deadline)
    wait_for(lambda: expired(app_sessions, request_id), 60, "the hold to lapse")
    # Run then, by that job, and not before the deadline (whatever RQ rounds).
    assert lapsed_by_its_job(app_sessions, request_id) >= deadline
    connection.close()


def test_a_worker_outlives_redis_restarting_and_runs_timed_jobs_again_by_itself(
    redis_app: Flask, redis_server: RedisServer, env: dict[str, str], workers: Workers
) -> None:
    app_sessions = get_database(redis_app).sessions
    workers.env = env | {"REDIS_URL": redis_server.url}
    worker = workers.start()
    connection = Redis.from_url(redis_server.url)
    wait_for(lambda: scheduler_ready(connection), 60, "the worker's scheduler")

    wait_for(lambda: children(worker.pid), 60, "the scheduler's process")
    [scheduler] = children(worker.pid)

    # The scheduler process dies at its next poll (each second) without Redis.
    redis_server.stop()
    wait_for(lambda: scheduler not in children(worker.pid), 60, "the scheduler to die")
    redis_server.start()  # empty: the booked tick and the scheduler's lock are gone
    # The worker's maintenance (every 30 s; RQ's own: 10 minutes) starts a new
    # scheduler, which books the tick again.
    wait_for(lambda: scheduler_ready(connection), 150, "the scheduler and the tick to be back")
    assert worker.poll() is None, "the worker died with Redis"
    wait_for(lambda: children(worker.pid) - {scheduler}, 60, "a new scheduler process")

    request_id = hold_until(app_sessions, deadline_clear_of_ticks(3))
    wait_for(lambda: expired(app_sessions, request_id), 60, "the hold to lapse")
    lapsed_by_its_job(app_sessions, request_id)
    connection.close()


def test_sigterm_stops_the_worker_and_its_scheduler_cleanly_within_seconds(
    redis_server: RedisServer, env: dict[str, str], workers: Workers
) -> None:
    workers.env = env | {"REDIS_URL": redis_server.url}
    worker = workers.start()
    connection = Redis.from_url(redis_server.url)
    wait_for(lambda: scheduler_ready(connection), 60, "the worker's scheduler")

    worker.send_signal(signal.SIGTERM)
    # At once, not after the 30 s its wait for a job lasts, but with time to spare.
    try:
        assert worker.wait(timeout=20) == 0
    except subprocess.TimeoutExpired:
        pytest.fail("the idle worker was still running 20 s after SIGTERM")
    wait_for(lambda: not _group_alive(worker.pid), 20, "its scheduler to stop too")
    # It let go of the scheduler's lock, for the next worker to take at once.
    assert not connection.exists(RQScheduler.get_locking_key(BOOKING_QUEUE))
    connection.close()
