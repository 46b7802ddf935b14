"""Benchmark: the desk's week page of a busy practice; how long does the doctor wait for it?

Run by hand, not by the test suite:

    .venv/bin/python bench/desk_agenda.py              # 2,000 appointments in the week
    .venv/bin/python bench/desk_agenda.py --quick      # 200

One group practice (Mexico City: a time every quarter-hour from 08:00 to 20:00, each
with room for several patients) with `--appointments` confirmed appointments over
one week, Monday 7 to Sunday 13 December 2026, and 20 requests waiting for the
doctor. The doctor signs in as a person does (the code read from the outbox), then
GET /desk/?day=2026-12-09&view=week is asked `--requests` times after a warm-up,
through the app's WSGI stack in this process (Flask's test client: no network, the
whole request from the cookie check to the rendered page). Reported: p50, p95, p99
and the page's size. Target: p95 under 100 ms.

It creates a throwaway database on BENCH_PG_SERVER (default: the local server),
migrates it with Alembic to head, and drops it at the end.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.background.runtime import build_runtime, set_runtime  # noqa: E402
from app.config import Config  # noqa: E402
from app.db import get_database  # noqa: E402
from app.models import (  # noqa: E402
    MedicalService,
    MessageLog,
    Practice,
    Reservation,
    ReservationRequest,
    TimeSlot,
)
from bench.holds import throwaway_database  # noqa: E402

NOW = datetime(2026, 12, 7, 13, 0, tzinfo=UTC)  # Monday 07:00 in Mexico City
MONDAY = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)  # 08:00 local
DOCTOR = "+525511112222"
TARGET_MS = 100.0
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="200 appointments, 50 requests")
    parser.add_argument("--appointments", type=int)
    parser.add_argument("--requests", type=int)
    args = parser.parse_args()
    appointments = args.appointments or (200 if args.quick else 2_000)
    requests = args.requests or (50 if args.quick else 300)
    with throwaway_database() as url:
        config = Config(
            database_url=url,
            messaging_backend="console",
            secret_key="bench secret, 32 characters at the very least",
        )
        app = create_app(config)
        app.config["TESTING"] = True  # no embedded job thread
        set_runtime(app, build_runtime(app, clock=lambda: NOW))
        try:
            seed(app, appointments)
            client = app.test_client()
            sign_in(app, client)
            measure(client, requests, appointments)
        finally:
            get_database(app).engine.dispose()


def seed(app: object, appointments: int) -> None:
    """The practice, `appointments` confirmed ones over the week, 20 pending requests."""
    sessions = get_database(app).sessions  # type: ignore[arg-type]
    with sessions.begin() as session:
        practice = Practice(
            name="Dra. Ocupada",
            timezone="America/Mexico_City",
            whatsapp_number="+14155550100",
            doctor_phone=DOCTOR,
            booking_horizon_days=60,
        )
        session.add(practice)
        session.flush()
        service = MedicalService(
            profile_id=practice.id, name="Consulta", duration=15, price=Decimal("500.00")
        )
        session.add(service)
        session.flush()
        # A group practice: every quarter-hour from 08:00 to 20:00 local, seven days, each
        # time with room for several patients (slots of one practice never overlap).
        starts = [MONDAY + timedelta(days=d, minutes=15 * q) for d in range(7) for q in range(48)]
        total = appointments + 20
        seats = -(-total // len(starts))
        slots = [
            {
                "id": uuid.uuid4(),
                "profile_id": practice.id,
                "service_id": service.id,
                "start_time": start,
                "end_time": start + timedelta(minutes=15),
                "max_reservations": seats,
                "current_reservations": 0,
                "status": "available",
            }
            for start in starts
        ]
        places = [slots[n % len(slots)] for n in range(total)]
        for slot in places:
            slot["current_reservations"] += 1
        session.execute(insert(TimeSlot), slots)
        session.execute(
            insert(Reservation),
            [
                {
                    "profile_id": practice.id,
                    "slot_id": slot["id"],
                    "service_id": slot["service_id"],
                    "code": f"B{n:06d}",
                    "patient_name": f"Paciente {n}",
                    "patient_phone": f"+52551{n:07d}",
                    "status": "confirmed",
                    "attendance_confirmed_at": NOW if n % 3 == 0 else None,
                }
                for n, slot in enumerate(places[:appointments])
            ],
        )
        session.execute(
            insert(ReservationRequest),
            [
                {
                    "profile_id": practice.id,
                    "slot_id": slot["id"],
                    "service_id": slot["service_id"],
                    "code": f"R{n:05d}",
                    "patient_name": f"Solicitante {n}",
                    "patient_phone": f"+52552{n:07d}",
                    "chief_complaint": "Control",
                    "status": "pending",
                    "requested_time": slot["start_time"],
                    "expires_at": NOW + timedelta(minutes=30),
                }
                for n, slot in enumerate(places[appointments:])
            ],
        )

    with sessions() as session:  # the statistics autovacuum would gather on a live database
        session.execute(text("ANALYZE"))
        session.commit()


def sign_in(app: object, client: object) -> None:
    """As the doctor would: the phone, then the code from WhatsApp (read from the outbox)."""
    page = client.get("/desk/login").get_data(as_text=True)  # type: ignore[attr-defined]
    token = CSRF.search(page).group(1)  # type: ignore[union-attr]
    client.post("/desk/login", data={"phone": DOCTOR, "csrf_token": token})  # type: ignore[attr-defined]
    with get_database(app).sessions() as session:  # type: ignore[arg-type]
        code = session.scalar(
            select(MessageLog.variables).where(MessageLog.purpose == "desk_code")
        )["code"]
    answer = client.post("/desk/code", data={"code": code, "csrf_token": token})  # type: ignore[attr-defined]
    if answer.status_code != 302:
        raise SystemExit(f"sign-in failed: {answer.status_code}")


def measure(client: object, requests: int, appointments: int) -> None:
    path = "/desk/?day=2026-12-09&view=week"
    for _ in range(10):  # warm-up: templates compiled, statements cached, pool filled
        client.get(path)  # type: ignore[attr-defined]
    times = []
    size = 0
    for _ in range(requests):
        started = time.perf_counter()
        answer = client.get(path)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - started) * 1000)
        if answer.status_code != 200:
            raise SystemExit(f"the week page answered {answer.status_code}")
        size = len(answer.data)
    times.sort()
    p95 = times[int(0.95 * len(times)) - 1]
    p99 = times[int(0.99 * len(times)) - 1]
    verdict = "met" if p95 < TARGET_MS else "MISSED"
    kib = size / 1024
    print(f"{appointments:,} appointments in the week, 20 requests pending; page {kib:.0f} KiB")
    print(
        f"week page over {requests} requests: p50 {statistics.median(times):.1f} ms,"
        f" p95 {p95:.1f} ms, p99 {p99:.1f} ms (target p95 < {TARGET_MS:.0f} ms: {verdict})"
    )


if __name__ == "__main__":
    main()
