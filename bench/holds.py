"""Benchmark: holding slots under concurrency, and the sweep that expires overdue holds.

Run by hand, not by the test suite:

    .venv/bin/python bench/holds.py           # 4,000 holds, 5 crowds of 200, 100,000 overdue
    .venv/bin/python bench/holds.py --quick   # the same at a reduced scale, a quick check

1. Throughput: `--clients` threads (16), each on a connection of its own, hold
   distinct slots through `hold_slot`, the use case the conversation calls, one
   after another as fast as they can. Twice: with every slot at one practice (the
   case where holds of one doctor could queue behind each other) and with the
   slots spread over one practice per client. Every hold must succeed.
2. Contention: `--crowd` clients (200) hold the same slot at the same instant,
   `--crowd-rounds` times. Every client must be answered, exactly one with a hold
   and all the others with `SlotTaken`, and the slot must count one place taken.
   Latency runs from the common start signal to each client's answer.
3. Sweep: `--overdue` overdue holds (100,000: taken slots, pending requests) are
   bulk-loaded with COPY and analysed, then `expire_overdue_holds` expires them
   all and queues one notification each. Target: under 5 s. Every place must come back.
   Its floor, in the same run: as many holds given back by plain SQL in one
   transaction (three set-based statements, `FLOOR_SQL`), what the indexes cost.

It creates a throwaway database on BENCH_PG_SERVER (default: the local server),
migrates it with Alembic to head, and drops it at the end. The crowd needs
`--crowd` + 2 connections; if the server is momentarily full it waits.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import psycopg
from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.booking.codes import ALPHABET, LENGTH  # noqa: E402
from app.booking.context import BookingContext  # noqa: E402
from app.booking.errors import SlotTaken  # noqa: E402
from app.booking.expiry import expire_overdue_holds  # noqa: E402
from app.booking.intake import PatientIntake, Urgency  # noqa: E402
from app.booking.requests import Hold, hold_slot  # noqa: E402
from app.db import make_engine, make_sessionmaker  # noqa: E402
from app.models import (  # noqa: E402
    MedicalService,
    MessageLog,
    Practice,
    RequestStatus,
    ReservationRequest,
    TimeSlot,
)
from bot_flows.texts import render_notification  # noqa: E402

SERVER = os.environ.get("BENCH_PG_SERVER", "postgresql://postgres@127.0.0.1:5432")
NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
FIRST_SLOT = NOW + timedelta(days=1)
VISIT = timedelta(minutes=30)
SLOTS_PER_PRACTICE = 1_000  # overdue holds per practice in the sweep (21 days of visits)
START_TIMEOUT = 120  # seconds for every client to reach the start line
SERVER_FULL_PATIENCE = 180  # seconds to wait for connections other users hold
T = TypeVar("T")


@dataclass(frozen=True)
class Scale:
    holds: int
    clients: int
    crowd: int
    crowd_rounds: int
    overdue: int


FULL = Scale(holds=4_000, clients=16, crowd=200, crowd_rounds=5, overdue=100_000)
QUICK = Scale(holds=800, clients=16, crowd=50, crowd_rounds=3, overdue=10_000)


def main() -> None:
    """Set up, measure, check, report, clean up."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"reduced scale: {QUICK}")
    for field in ("holds", "clients", "crowd", "crowd_rounds", "overdue"):
        parser.add_argument(f"--{field.replace('_', '-')}", type=int, help=f"default {FULL}")
    args = parser.parse_args()
    base = QUICK if args.quick else FULL
    scale = Scale(
        **{
            field: getattr(args, field) or getattr(base, field)
            for field in Scale.__dataclass_fields__
        }
    )
    print(f"scale: {scale}")
    started = time.perf_counter()
    with throwaway_database() as url:
        engine = make_engine(url, pool_size=max(scale.clients, scale.crowd) + 2, max_overflow=0)
        try:
            warm_up(engine, max(scale.clients, scale.crowd) + 2)
            sessions = make_sessionmaker(engine)
            ctx = BookingContext(sessions, lambda: NOW, render_notification, hold_minutes=30)
            throughput(ctx, scale, practices=1)
            throughput(ctx, scale, practices=scale.clients)
            contention(ctx, scale)
            sweep(ctx, engine, scale)
        finally:
            engine.dispose()
    print(f"\ntotal run time: {time.perf_counter() - started:.0f} s")


# --- 1. Throughput over distinct slots ------------------------------------------------------


def throughput(ctx: BookingContext, scale: Scale, practices: int) -> None:
    """`scale.holds` holds of distinct slots by `scale.clients` clients; holds per second."""
    slots = open_practices(ctx.sessions, practices, scale.holds // practices + 1)
    # Slots come interleaved by practice: with one practice per client, client k books
    # only at practice k; with one practice, every client books at the same doctor.
    work = [
        (profile_id, slot_id, patient(n))
        for n, (profile_id, slot_id) in enumerate(slots[: scale.holds])
    ]
    shares = [work[k :: scale.clients] for k in range(scale.clients)]

    def client(share: list[tuple[uuid.UUID, uuid.UUID, PatientIntake]]) -> list[object]:
        return [answer(partial(hold, ctx, *booking)) for booking in share]

    outcomes, seconds = race([partial(client, share) for share in shares])
    answers = [outcome for share in outcomes for outcome in share]
    check(kinds(answers) == {"Hold": len(work)}, f"every hold succeeds: {kinds(answers)}")
    check(
        places_taken(ctx.sessions, [slot_id for _, slot_id, _ in work]) == len(work),
        "every hold took its place",
    )
    label = "one practice" if practices == 1 else f"{practices} practices"
    print(
        f"throughput ({label}): {len(work):,} holds by {scale.clients} clients in"
        f" {seconds:.2f} s = {len(work) / seconds:,.0f} holds/s"
    )


# --- 2. A crowd on one slot -------------------------------------------------------------------


def contention(ctx: BookingContext, scale: Scale) -> None:
    """`scale.crowd` clients on one slot, `scale.crowd_rounds` times: one winner, all answered."""
    slots = open_practices(ctx.sessions, 1, scale.crowd_rounds)
    latencies: list[float] = []
    walls: list[float] = []
    for round_no, (profile_id, slot_id) in enumerate(slots):
        clients = [
            partial(timed, partial(answer, partial(hold, ctx, profile_id, slot_id, patient(n))))
            for n in range(1_000_000 * (round_no + 1), 1_000_000 * (round_no + 1) + scale.crowd)
        ]
        results, wall = race(clients)
        answers = [outcome for outcome, _ in results]
        latencies += [seconds for _, seconds in results]
        walls.append(wall)
        expected = {"Hold": 1, "SlotTaken": scale.crowd - 1}
        check(kinds(answers) == expected, f"round {round_no}: {kinds(answers)}")
        check(places_taken(ctx.sessions, [slot_id]) == 1, f"round {round_no}: one place taken")
    p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
    print(
        f"contention: {scale.crowd_rounds} rounds of {scale.crowd} clients on one slot:"
        f" exactly one hold each round, all answered; latency p50 {p50 * 1000:.0f} ms,"
        f" p99 {p99 * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms;"
        f" a round takes {statistics.median(walls):.2f} s"
    )


# --- 3. The expiry sweep ----------------------------------------------------------------------


def sweep(ctx: BookingContext, engine: Engine, scale: Scale) -> None:
    """Bulk-load `scale.overdue` overdue holds, then time `expire_overdue_holds` over them.

    The floor comes first: the same holds given back by three set-based statements.
    """
    floor = sweep_floor(engine, scale.overdue)
    still_held = places_taken(ctx.sessions)
    loaded = time.perf_counter()
    seed_overdue_holds(engine, scale.overdue)
    print(f"sweep: {scale.overdue:,} overdue holds loaded in {time.perf_counter() - loaded:.1f} s")
    expired, seconds = timed(lambda: expire_overdue_holds(ctx))
    with ctx.sessions() as session:
        pending = session.scalar(
            select(func.count()).where(
                ReservationRequest.status == RequestStatus.PENDING,
                ReservationRequest.expires_at <= NOW,
            )
        )
        notifications = session.scalar(
            select(func.count()).where(MessageLog.purpose == "patient_expired")
        )
    check(expired == scale.overdue, f"expired {expired} of {scale.overdue}")
    check(pending == 0, f"{pending} overdue requests still pending")
    check(notifications == scale.overdue, f"{notifications} expiry notifications queued")
    check(places_taken(ctx.sessions) == still_held, "every overdue place came back")
    if scale.overdue >= FULL.overdue:
        verdict = f"target {FULL.overdue:,} in < 5 s: {'met' if seconds < 5 else 'MISSED'}"
    else:
        verdict = "reduced scale: no verdict"
    print(
        f"sweep: {expired:,} expired in {seconds:.2f} s = {expired / seconds:,.0f} holds/s"
        f" ({verdict}); {seconds / floor:.2f}x the floor's {floor:.2f} s"
    )


# The least the database must do to give back overdue holds: mark the requests, free
# their (capacity-1) slots, write one notification each; no Python, one transaction. Every
# table keeps all its indexes, the seed's included: this is what they cost.
FLOOR_SQL = (
    "CREATE TEMP TABLE lapsed (id uuid, slot_id uuid, profile_id uuid, phone text) ON COMMIT DROP",
    "WITH claimed AS (SELECT id FROM reservation_request WHERE status = 'pending'"
    " AND expires_at <= %(now)s FOR UPDATE SKIP LOCKED),"
    " expired AS (UPDATE reservation_request r SET status = 'expired', updated_at = %(now)s"
    " FROM claimed WHERE r.id = claimed.id RETURNING r.id, r.slot_id, r.profile_id,"
    " r.patient_phone) INSERT INTO lapsed SELECT * FROM expired",
    "SELECT count(*) FROM (SELECT id FROM time_slot WHERE id IN (SELECT slot_id FROM lapsed)"
    " ORDER BY id FOR NO KEY UPDATE) AS locked",
    "UPDATE time_slot s SET current_reservations = s.current_reservations - 1,"
    " status = 'available', expires_at = NULL FROM lapsed WHERE s.id = lapsed.slot_id",
    "INSERT INTO message_log (id, profile_id, direction, phone, body, status, purpose,"
    " dedupe_key, variables, next_attempt_at, created_at, updated_at)"
    " SELECT gen_random_uuid(), profile_id, 'out', phone, %(body)s, 'queued',"
    " 'patient_expired', 'request:' || id || ':expired', json_build_object('code', id),"
    " %(now)s, %(now)s, %(now)s FROM lapsed ON CONFLICT (dedupe_key) DO NOTHING",
)
FLOOR_BODY = (
    "⌛ Consultorio barrido 1 no alcanzó a responder tu solicitud para el miércoles 2 de"
    " diciembre, 09:00, así que liberamos el horario.\nEscribe *menu* para elegir otro."
)


def sweep_floor(engine: Engine, count: int) -> float:
    """Load `count` overdue holds, give them back with `FLOOR_SQL`; its seconds. Then empty."""
    seed_overdue_holds(engine, count)
    with raw(engine) as connection, connection.cursor() as cursor:
        started = time.perf_counter()
        for statement in FLOOR_SQL:
            cursor.execute(statement, {"now": NOW, "body": FLOOR_BODY})  # type: ignore[arg-type]
        connection.commit()
        seconds = time.perf_counter() - started
        cursor.execute("SELECT count(*) FROM message_log WHERE purpose = 'patient_expired'")
        check(cursor.fetchone() == (count,), "the floor wrote one notification per hold")
        cursor.execute(
            "TRUNCATE message_log, reservation_request, time_slot, medical_service, profile,"
            " contact CASCADE"
        )
        connection.commit()
    print(f"sweep floor: {count:,} holds given back by plain SQL in {seconds:.2f} s")
    return seconds


def seed_overdue_holds(engine: Engine, count: int) -> None:
    """`count` slots taken by as many pending, overdue requests, with COPY; then ANALYZE."""
    practices = -(-count // SLOTS_PER_PRACTICE)
    profiles = [(uuid.uuid4(), uuid.uuid4()) for _ in range(practices)]  # (profile, service)
    due = NOW - timedelta(minutes=1)
    with raw(engine) as connection, connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO profile (id, name, timezone) VALUES (%s, %s, 'America/Mexico_City')",
            [
                (profile_id, f"Consultorio barrido {n}")
                for n, (profile_id, _) in enumerate(profiles)
            ],
        )
        cursor.executemany(
            "INSERT INTO medical_service (id, profile_id, name, duration) VALUES (%s, %s, %s, 30)",
            [(service_id, profile_id, "Consulta") for profile_id, service_id in profiles],
        )
        slot_columns = (
            "id, profile_id, service_id, start_time, end_time, max_reservations,"
            " current_reservations, status, expires_at"
        )
        request_columns = (
            "id, profile_id, slot_id, service_id, code, patient_name, patient_phone, status,"
            " urgency_level, requested_time, expires_at, created_at, updated_at"
        )
        slots: list[tuple[Any, ...]] = []
        requests: list[tuple[Any, ...]] = []
        for n in range(count):
            profile_id, service_id = profiles[n // SLOTS_PER_PRACTICE]
            start = FIRST_SLOT + VISIT * (n % SLOTS_PER_PRACTICE)
            slot_id = uuid.uuid4()
            slots.append(
                (
                    slot_id,
                    profile_id,
                    service_id,
                    start,
                    start + VISIT,
                    1,
                    1,
                    "pending_approval",
                    due,
                )
            )
            requests.append(
                (
                    *(uuid.uuid4(), profile_id, slot_id, service_id, code(n), "Paciente"),
                    *(phone(n), "pending", "normal", start, due, due - VISIT, due - VISIT),
                )
            )
        for table, columns, rows in (
            ("time_slot", slot_columns, slots),
            ("reservation_request", request_columns, requests),
        ):
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        connection.commit()
        connection.autocommit = True
        # A production table has statistics; a freshly loaded one has none yet.
        cursor.execute("VACUUM ANALYZE time_slot, reservation_request")
        cursor.execute("CHECKPOINT")


# --- Setup and helpers ------------------------------------------------------------------------


def open_practices(
    sessions: sessionmaker[Session], practices: int, slots_each: int
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """`practices` new practices with `slots_each` free 30-minute slots; (profile, slot) pairs,
    interleaved across practices."""
    columns: list[list[tuple[uuid.UUID, uuid.UUID]]] = []
    with sessions.begin() as session:
        for _ in range(practices):
            practice = Practice(
                name="Consultorio",
                timezone="America/Mexico_City",
                appointment_approval_required=True,
                min_notice_minutes=60,
                booking_horizon_days=3650,
            )
            session.add(practice)
            session.flush()
            service = MedicalService(
                profile_id=practice.id, name="Consulta", duration=30, price=Decimal("500.00")
            )
            session.add(service)
            session.flush()
            rows = [
                {
                    "id": uuid.uuid4(),
                    "profile_id": practice.id,
                    "service_id": service.id,
                    "start_time": FIRST_SLOT + VISIT * i,
                    "end_time": FIRST_SLOT + VISIT * (i + 1),
                }
                for i in range(slots_each)
            ]
            session.execute(insert(TimeSlot), rows)
            columns.append([(practice.id, row["id"]) for row in rows])
    return [pair for row in zip(*columns, strict=True) for pair in row]


def race(calls: Sequence[Callable[[], T]]) -> tuple[list[T], float]:
    """Run every call in its own thread, all released at once; results and the wall time."""
    barrier = threading.Barrier(len(calls) + 1)

    def run(call: Callable[[], T]) -> T:
        barrier.wait(timeout=START_TIMEOUT)
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(run, call) for call in calls]
        barrier.wait(timeout=START_TIMEOUT)
        started = time.perf_counter()
        results = [future.result() for future in futures]
        return results, time.perf_counter() - started


def hold(
    ctx: BookingContext, profile_id: uuid.UUID, slot_id: uuid.UUID, intake: PatientIntake
) -> Hold:
    return hold_slot(ctx, profile_id=profile_id, slot_id=slot_id, intake=intake)


def places_taken(
    sessions: sessionmaker[Session], slot_ids: Sequence[uuid.UUID] | None = None
) -> int:
    """Places taken in `slot_ids` (in every slot if None), as the database counts them."""
    query = select(func.coalesce(func.sum(TimeSlot.current_reservations), 0))
    if slot_ids is not None:
        query = query.where(TimeSlot.id.in_(slot_ids))
    with sessions() as session:
        return session.scalar(query) or 0


def answer(call: Callable[[], object]) -> object:
    """The call's result, or the refusal it raised (`SlotTaken`); anything else propagates."""
    try:
        return call()
    except SlotTaken as refusal:
        return refusal


def timed(call: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def kinds(outcomes: Sequence[object]) -> Counter[str]:
    return Counter(type(outcome).__name__ for outcome in outcomes)


def percentile(values: Sequence[float], pct: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SystemExit(f"check failed: {what}")


def patient(n: int) -> PatientIntake:
    return PatientIntake(
        phone=phone(n), name="Paciente", age=40, gender="F", urgency=Urgency.NORMAL
    )


def phone(n: int) -> str:
    return f"+52155{n:08d}"


def code(n: int) -> str:
    """The `n`-th request code of a practice's sweep holds (unique per practice)."""
    digits = []
    for _ in range(LENGTH):
        n, digit = divmod(n, len(ALPHABET))
        digits.append(ALPHABET[digit])
    return "".join(digits)


def warm_up(engine: Engine, connections: int) -> None:
    """Open the pool's connections up front, so the clients race and not connect."""
    deadline = time.monotonic() + SERVER_FULL_PATIENCE
    opened = []
    while len(opened) < connections:
        try:
            opened.append(engine.connect())
        except OperationalError as error:
            if "too many clients" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    for connection in opened:
        connection.close()


@contextmanager
def throwaway_database() -> Iterator[str]:
    """A new database migrated to head; dropped afterwards whatever happens."""
    name = f"citabot_bench_{uuid.uuid4().hex[:12]}"
    admin(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://{SERVER.removeprefix('postgresql://')}/{name}"
    try:
        config = AlembicConfig(str(ROOT / "alembic.ini"))
        config.set_main_option("sqlalchemy.url", url)
        command.upgrade(config, "head")
        yield url
    finally:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def admin(statement: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(statement)  # type: ignore[arg-type]


def raw(engine: Engine) -> psycopg.Connection[Any]:
    return psycopg.connect(engine.url.render_as_string(hide_password=False).replace("+psycopg", ""))


if __name__ == "__main__":
    main()
