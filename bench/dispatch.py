"""Benchmark: outbound delivery rate of one worker process, and scheduling 100,000 reminders.

Run by hand, not by the test suite:

    .venv/bin/python bench/dispatch.py                       # 20,000 messages, 100,000 reminders
    .venv/bin/python bench/dispatch.py --messages 2000 --reminders 10000   # a quick check

1. Delivery: N queued messages (bulk-inserted, spread over `--senders` practices,
   one recipient each, all inside the 24-hour window) are delivered by
   `deliver_due`, the worker's path: claim, plan, the real twilio SDK (with the
   per-sender rate limit shared through Redis) against the local fake Twilio
   (`tests/fake_twilio.py`, in a process of its own), record. Then a smaller set
   goes one job at a time (`deliver_message`, what each RQ job runs). Every message
   is checked to have reached the fake exactly once.
2. Reminders: M/2 confirmed appointments (bulk-inserted) get their 24 h and 2 h
   reminders through `schedule_reminders` in one transaction; its commit hands the
   M follow-ups to the RQ dispatcher (`enqueue_at`, one pipeline). Timed from the
   first `schedule_reminders` call to the end of the commit, then checked in RQ's
   scheduled registry.

It creates a throwaway database on BENCH_PG_SERVER (default: the local server) and
uses Redis database `--redis-db` (default 11) of BENCH_REDIS (default the local
one), which must be empty; both are dropped or flushed at the end.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import psycopg
from alembic import command
from alembic.config import Config as AlembicConfig
from redis import Redis
from rq import Queue
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from bot_flows.texts import template_value

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.background.after_commit import dispatch_after_commit  # noqa: E402
from app.background.dispatch import RQDispatcher  # noqa: E402
from app.background.queues import BOOKING_QUEUE  # noqa: E402
from app.booking.policies import due_reminders  # noqa: E402
from app.booking.reminders import schedule_reminders  # noqa: E402
from app.config import Config  # noqa: E402
from app.db import make_engine, make_sessionmaker  # noqa: E402
from app.messaging import delivery  # noqa: E402
from app.models import (  # noqa: E402
    Contact,
    MedicalService,
    MessageLog,
    MessageStatus,
    Practice,
    Reservation,
    TimeSlot,
)
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilioHttpClient  # noqa: E402

SERVER = os.environ.get("BENCH_PG_SERVER", "postgresql://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379")
NOW = datetime.now(UTC)
T = TypeVar("T")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=20_000, help="delivered by deliver_due")
    parser.add_argument("--jobs", type=int, default=2_000, help="delivered one job at a time")
    parser.add_argument("--senders", type=int, default=20, help="practices (sender numbers)")
    parser.add_argument("--rate", type=int, default=80, help="messages/s per sender number")
    parser.add_argument("--reminders", type=int, default=100_000, help="reminders to schedule")
    parser.add_argument("--redis-db", type=int, default=11, help="an empty Redis db, flushed")
    args = parser.parse_args()

    redis = Redis.from_url(f"{REDIS}/{args.redis_db}")
    if redis.dbsize():
        sys.exit(f"Redis db {args.redis_db} is not empty; pick another with --redis-db")
    with database() as engine, fake_twilio() as base_url:
        sessions = make_sessionmaker(engine)
        try:
            bench_delivery(sessions, redis, base_url, args)
            bench_reminders(sessions, redis, args.reminders)
        finally:
            redis.flushdb()
            redis.close()


@contextmanager
def database() -> Iterator[Engine]:
    """A migrated throwaway database, dropped afterwards."""
    name = f"citabot_bench_{uuid.uuid4().hex[:12]}"
    admin(f'CREATE DATABASE "{name}"')
    engine = make_engine(f"postgresql+psycopg://{SERVER.removeprefix('postgresql://')}/{name}")
    try:
        config = AlembicConfig(str(ROOT / "alembic.ini"))
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
        command.upgrade(config, "head")
        yield engine
    finally:
        engine.dispose()
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def admin(statement: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(statement)  # type: ignore[arg-type]


@contextmanager
def fake_twilio() -> Iterator[str]:
    """The fake Twilio in a process of its own (as Twilio is not in the worker's); its URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fake_twilio"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip()
    finally:
        process.terminate()
        process.wait()


def bench_delivery(
    sessions: sessionmaker[Session], redis: Redis, base_url: str, args: argparse.Namespace
) -> None:
    config = Config(
        messaging_backend="twilio",
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        public_base_url="https://citabot.example",
        whatsapp_rate_per_second=args.rate,
    )
    http = FakeTwilioHttpClient(base_url, timeout=10)
    ctx = delivery.build_delivery_context(
        config, sessions, http_client=http, redis=redis, template_value=template_value
    )

    practices = seed_practices(sessions, args.senders)
    ids = seed_messages(sessions, args.messages, practices)
    sent, seconds = timed(lambda: delivery.deliver_due(ctx, limit=len(ids)))
    check_delivered(sessions, ids, sent)
    print(
        f"deliver_due: {sent:,} messages in {seconds:.2f} s = {sent / seconds:,.0f} messages/s"
        f" ({args.senders} senders at {args.rate}/s each, one process)"
    )

    ids = seed_messages(sessions, args.jobs, practices, first=args.messages)
    outcomes, seconds = timed(lambda: [delivery.deliver_message(ctx, i) for i in ids])
    sent = outcomes.count("sent")
    check_delivered(sessions, ids, sent)
    print(f"deliver_message jobs: {sent:,} in {seconds:.2f} s = {sent / seconds:,.0f} jobs/s")


def seed_practices(sessions: sessionmaker[Session], count: int) -> list[uuid.UUID]:
    """`count` practices, each with a WhatsApp number of its own."""
    profiles = [
        {"id": uuid.uuid4(), "name": f"Consultorio {n}", "whatsapp_number": f"+1415{n:07d}"}
        for n in range(count)
    ]
    with sessions.begin() as session:
        session.execute(insert(Practice).values(timezone="America/Mexico_City"), profiles)
    return [p["id"] for p in profiles]


def seed_messages(
    sessions: sessionmaker[Session], count: int, practices: list[uuid.UUID], first: int = 0
) -> list[uuid.UUID]:
    """`count` queued messages, practices interleaved, each to someone who wrote in today."""
    messages = [
        {
            "id": uuid.uuid4(),
            "profile_id": practices[n % len(practices)],
            "direction": "out",
            "phone": f"+5255{first + n:08d}",
            "body": f"Recordatorio: tu cita es mañana a las 10:00. Código K{n:05d}",
            "status": MessageStatus.QUEUED,
            "purpose": "reminder_24h",
            "next_attempt_at": NOW - timedelta(seconds=count - n),  # the order they go in
            "created_at": NOW,
        }
        for n in range(count)
    ]
    contacts = [
        {"profile_id": m["profile_id"], "phone": m["phone"], "last_inbound_at": NOW}
        for m in messages
    ]
    with sessions.begin() as session:
        session.execute(insert(Contact), contacts)
        session.execute(insert(MessageLog), messages)
    return [m["id"] for m in messages]


def check_delivered(sessions: sessionmaker[Session], ids: list[uuid.UUID], sent: int) -> None:
    with sessions() as session:
        done = session.scalar(
            select(func.count())
            .where(MessageLog.id.in_(ids), MessageLog.status == MessageStatus.SENT)
            .where(MessageLog.provider_sid.is_not(None))
        )
    if sent != len(ids) or done != len(ids):
        sys.exit(f"only {done} of {len(ids)} messages were delivered ({sent} reported sent)")


def bench_reminders(sessions: sessionmaker[Session], redis: Redis, count: int) -> None:
    reservations = seed_reservations(sessions, count // 2)
    dispatch_after_commit(sessions, RQDispatcher(redis))

    def schedule() -> None:
        with sessions.begin() as session:
            for reservation_id, start in reservations:
                reservation = Reservation(id=reservation_id)
                schedule_reminders(session, reservation, start, due_reminders(start, NOW))

    _, seconds = timed(schedule)
    scheduled = Queue(BOOKING_QUEUE, connection=redis).scheduled_job_registry.count
    if scheduled != 2 * len(reservations):
        sys.exit(f"{scheduled} reminders scheduled in RQ, not {2 * len(reservations)}")
    print(
        f"schedule_reminders + enqueue_at: {scheduled:,} reminders in {seconds:.2f} s"
        f" = {scheduled / seconds:,.0f}/s"
    )


def seed_reservations(
    sessions: sessionmaker[Session], count: int
) -> list[tuple[uuid.UUID, datetime]]:
    """`count` confirmed appointments, each in a slot of its own, two to fifty days ahead."""
    profile_id, service_id = uuid.uuid4(), uuid.uuid4()
    first = (NOW + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    starts = [first + timedelta(minutes=30 * n) for n in range(count)]
    slots = [
        {
            "id": uuid.uuid4(),
            "profile_id": profile_id,
            "service_id": service_id,
            "start_time": start,
            "end_time": start + timedelta(minutes=30),
            "max_reservations": 1,
        }
        for start in starts
    ]
    reservations = [
        {
            "id": uuid.uuid4(),
            "profile_id": profile_id,
            "slot_id": slot["id"],
            "service_id": service_id,
            "patient_name": "Paciente",
            "patient_phone": f"+5255{n:08d}",
        }
        for n, slot in enumerate(slots)
    ]
    with sessions.begin() as session:
        session.execute(insert(Practice), [{"id": profile_id, "name": "Reminders"}])
        session.execute(
            insert(MedicalService),
            [{"id": service_id, "profile_id": profile_id, "name": "Consulta", "duration": 30}],
        )
        session.execute(insert(TimeSlot), slots)
        session.execute(insert(Reservation), reservations)
    return [(r["id"], start) for r, start in zip(reservations, starts, strict=True)]


def timed(run: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = run()
    return result, time.perf_counter() - started


if __name__ == "__main__":
    main()
