"""Benchmark: a block lifted frees many places at once; how soon is every waiting patient asked?

Run by hand, not by the test suite:

    .venv/bin/python bench/waitlist.py           # 100 practices, 10,000 entries, 1,000 places
    .venv/bin/python bench/waitlist.py --quick   # 10 practices, 1,000 entries, 100 places

Each practice has one service, `--entries` / `--practices` patients on its waitlist
(joined one after the other, a third for the mornings, a third for the afternoons,
a third for any time, all for the same three days) and `--places` / `--practices`
blocked places on those days, each day closed by the doctor. Every doctor lifts their
blocks at once (`unblock_period`, what DESBLOQUEAR runs: one transaction per practice
and day, four doctors at a time); each commit owes an `offer_places` job for the places
it freed, and every owed job then runs twice at the same time (two workers given the
same job: a retried one, or a release seen twice). Measured: from the first lift to
the last first offer queued (target: 10 s or less).
Checked: every place is offered, none to more than `FAN_OUT` patients (the second
run adds nothing), nobody holds two offers, and every offer has its message. Who is
first in line is checked by tests/integration/test_waitlist.py.

It creates a throwaway database on BENCH_PG_SERVER (default: the local server),
migrates it with Alembic to head, and drops it at the end.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.background.after_commit import OwedJob, dispatch_after_commit  # noqa: E402
from app.booking import waitlist  # noqa: E402
from app.booking.blocking import unblock_period  # noqa: E402
from app.booking.context import BookingContext  # noqa: E402
from app.db import make_engine, make_sessionmaker  # noqa: E402
from app.models import (  # noqa: E402
    ClosedDate,
    MedicalService,
    MessageLog,
    Practice,
    TimeSlot,
    WaitlistEntry,
    WaitlistOffer,
)
from bench.holds import check, throwaway_database  # noqa: E402
from bot_flows.texts import render_notification  # noqa: E402

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # Tuesday 09:00 in Mexico City
FIRST_DAY = date(2026, 12, 3)
DAYS = 3
PARTS = ("morning", "afternoon", "any")
TARGET_SECONDS = 10.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the scale")
    parser.add_argument("--practices", type=int)
    parser.add_argument("--entries", type=int)
    parser.add_argument("--places", type=int)
    args = parser.parse_args()
    divisor = 10 if args.quick else 1
    practices = args.practices or 100 // divisor
    entries = args.entries or 10_000 // divisor
    places = args.places or 1_000 // divisor
    print(f"{practices} practices, {entries:,} waitlist entries, {places:,} places freed at once")
    with throwaway_database() as url:
        engine = make_engine(url, pool_size=6, max_overflow=0)
        try:
            sessions = make_sessionmaker(engine)
            ctx = BookingContext(sessions, lambda: NOW, render_notification, hold_minutes=30)
            started = time.perf_counter()
            slot_ids = seed(sessions, practices, entries // practices, places // practices)
            print(f"seeded in {time.perf_counter() - started:.1f} s")
            owed = Recorder()
            dispatch_after_commit(sessions, owed)
            measure(ctx, sessions, slot_ids, owed)
        finally:
            engine.dispose()


def seed(
    sessions: sessionmaker[Session], practices: int, waiting: int, blocked: int
) -> list[uuid.UUID]:
    """The practices, their waitlists and their blocked places; the places' ids."""
    slot_ids: list[uuid.UUID] = []
    with sessions.begin() as session:
        for p in range(practices):
            practice = Practice(
                name=f"Dra. Prueba {p}",
                timezone="America/Mexico_City",
                whatsapp_number=f"+1415{p:07d}",
                doctor_phone=f"+5255{p:08d}",
                booking_horizon_days=60,
            )
            session.add(practice)
            session.flush()
            service = MedicalService(
                profile_id=practice.id, name="Consulta", duration=30, price=Decimal("500.00")
            )
            session.add(service)
            session.flush()
            session.execute(
                insert(WaitlistEntry),
                [
                    {
                        "profile_id": practice.id,
                        "phone": f"+52{p:04d}{n:06d}",
                        "service_id": service.id,
                        "first_day": FIRST_DAY,
                        "last_day": FIRST_DAY + timedelta(days=DAYS - 1),
                        "day_part": PARTS[n % len(PARTS)],
                        "created_at": NOW - timedelta(days=7) + timedelta(seconds=n),
                        "updated_at": NOW,
                    }
                    for n in range(waiting)
                ],
            )
            # Blocked places spread over the three days, mornings and afternoons (local).
            starts = [
                datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
                + timedelta(days=(n // 2) % DAYS, hours=6 * (n % 2), minutes=30 * (n // 6))
                for n in range(blocked)
            ]
            rows = [
                {
                    "id": uuid.uuid4(),
                    "profile_id": practice.id,
                    "service_id": service.id,
                    "start_time": start,
                    "end_time": start + timedelta(minutes=30),
                    "status": "blocked",
                }
                for start in starts
            ]
            session.execute(insert(TimeSlot), rows)
            slot_ids += [row["id"] for row in rows]
            session.execute(
                insert(ClosedDate),
                [
                    {"profile_id": practice.id, "day": FIRST_DAY + timedelta(days=d),
                     "source": "doctor", "created_at": NOW}
                    for d in range(DAYS)
                ],
            )  # fmt: skip
    return slot_ids


class Recorder:
    """Stands in for the queue: the jobs each commit owes (`run_after_commit`)."""

    def __init__(self) -> None:
        self.owed: list[OwedJob] = []
        self._lock = threading.Lock()

    def dispatch(self, jobs: list[OwedJob]) -> None:
        with self._lock:
            self.owed.extend(jobs)


def measure(
    ctx: BookingContext,
    sessions: sessionmaker[Session],
    slot_ids: list[uuid.UUID],
    owed: Recorder,
) -> None:
    with sessions() as session:
        blocks = session.execute(select(ClosedDate.profile_id, ClosedDate.day)).all()
    started = time.perf_counter()

    def lift(block: tuple[uuid.UUID, date]) -> int:
        return unblock_period(ctx, profile_id=block[0], day=block[1])

    with ThreadPoolExecutor(4) as pool:
        opened = sum(pool.map(lift, blocks))
    lifted = time.perf_counter() - started
    jobs = [job for job in owed.owed if job.job == "offer_places"]
    start = threading.Barrier(2)

    def worker() -> int:
        start.wait()
        return sum(waitlist.offer_places(ctx, map(uuid.UUID, job.args)) for job in jobs)

    with ThreadPoolExecutor(2) as pool:
        made = [future.result() for future in [pool.submit(worker), pool.submit(worker)]]
    elapsed = time.perf_counter() - started
    verdict = "met" if elapsed <= TARGET_SECONDS else "MISSED"
    check(opened == len(slot_ids), f"every blocked place opened ({opened:,})")
    print(f"{len(blocks)} blocks lifted in {lifted:.2f} s; {len(jobs)} offer jobs owed")
    print(f"offers made by the two runs: {made[0]:,} + {made[1]:,}")
    print(f"first lift -> every first offer queued: {elapsed:.2f} s (target <="
          f" {TARGET_SECONDS:.0f} s: {verdict})")  # fmt: skip
    verify(sessions, len(slot_ids), sum(made))


def verify(sessions: sessionmaker[Session], places: int, made: int) -> None:
    with sessions() as session:
        per_place = session.execute(
            select(WaitlistOffer.slot_id, func.count()).group_by(WaitlistOffer.slot_id)
        ).all()
        per_entry = session.execute(
            select(WaitlistOffer.entry_id, func.count()).group_by(WaitlistOffer.entry_id)
        ).all()
        messages = session.scalar(
            select(func.count())
            .select_from(MessageLog)
            .where(MessageLog.purpose == "patient_waitlist_offer")
        )
        offered = session.scalar(select(func.count()).select_from(WaitlistOffer))
    check(offered == made, f"the offers counted ({made:,}) are the rows ({offered:,})")
    check(
        all(count <= waitlist.FAN_OUT for _, count in per_place),
        f"no place offered to more than {waitlist.FAN_OUT} patients",
    )
    check(len(per_place) == places, f"every place freed ({places:,}) was offered")
    check(all(count == 1 for _, count in per_entry), "nobody holds two offers")
    check(messages == offered, f"every offer has its message ({messages:,})")
    print(f"checked: {offered:,} offers for {places:,} places, no place offered twice over")


if __name__ == "__main__":
    main()
