"""Benchmark: slot generation for 1,000 practices against PostgreSQL COPY of the same rows.

Run by hand (`.venv/bin/python bench/slots.py`), not by the test suite. It creates a
throwaway database on BENCH_PG_SERVER (default: the local server), migrates it,
creates 1,000 profiles x 3 services x two weekday windows (09:00-13:00, 15:00-19:00,
30-minute slots) in America/Mexico_City, generates 90 days of slots through
`generate_slots` (about 3 million rows; `--profiles N` for a smaller run), then
times COPY loading the very same rows into the emptied `time_slot` table: the
floor any generator has to pay for the indexes and constraints. The database is
dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time as timer
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import psycopg
from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Engine, insert, text
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.db import make_engine, make_sessionmaker  # noqa: E402
from app.models import AvailabilityRule, MedicalService, Practice  # noqa: E402
from app.scheduling.generation import MAX_DAYS, PracticeSlotReport, generate_slots  # noqa: E402

SERVER = os.environ.get("BENCH_PG_SERVER", "postgresql://postgres@127.0.0.1:5432")
PROFILES = 1_000
SERVICES_PER_PROFILE = 3
WEEKDAYS = (1, 2, 3, 4, 5)  # the seed's numbering: Monday..Friday
WINDOWS = ((time(9), time(13)), (time(15), time(19)))
DAYS = 90
NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)  # midnight in Mexico City
SLOT_COLUMNS = "profile_id, service_id, start_time, end_time, max_reservations"


def main(argv: list[str] | None = None) -> None:
    """Set up, measure, report, clean up."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=_positive, default=PROFILES, help="default: 1000")
    parser.add_argument("--days", type=_positive, default=DAYS, help="default: 90")
    options = parser.parse_args(argv)
    if options.days > MAX_DAYS:
        parser.error(f"--days: at most {MAX_DAYS}")
    name = f"citabot_bench_{uuid.uuid4().hex[:12]}"
    _admin(f'CREATE DATABASE "{name}"')
    engine = make_engine(f"postgresql+psycopg://{SERVER.removeprefix('postgresql://')}/{name}")
    try:
        command.upgrade(_alembic_config(engine), "head")
        sessions = make_sessionmaker(engine)
        _create_practices(sessions, options.profiles)
        rows, generation = _time_generation(sessions, options.days)
        _, second_run = _time_generation(sessions, options.days)
        floor = _time_copy_floor(engine, rows)
        # The whole run's peak, so an upper bound on what generation needs (Linux: kB).
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        _report(rows, generation, second_run, floor, peak_mb)
    finally:
        engine.dispose()
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin(statement: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(statement)  # type: ignore[arg-type]


def _alembic_config(engine: Engine) -> AlembicConfig:
    config = AlembicConfig(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a whole number >= 1, not {text!r}")
    return int(text)


def _create_practices(sessions: sessionmaker[Session], count: int) -> None:
    profiles = [{"id": uuid.uuid4(), "name": f"Consultorio {n}"} for n in range(count)]
    services = [
        {"id": uuid.uuid4(), "profile_id": p["id"], "name": f"Servicio {n}", "duration": 30}
        for p in profiles
        for n in range(SERVICES_PER_PROFILE)
    ]
    rules = [
        {
            "profile_id": p["id"],
            "day_of_week": day,
            "start_time": start,
            "end_time": end,
            "slot_duration": 30,
            "effective_from": None,
        }
        for p in profiles
        for day in WEEKDAYS
        for start, end in WINDOWS
    ]
    with sessions.begin() as session:
        session.execute(insert(Practice).values(timezone="America/Mexico_City"), profiles)
        session.execute(insert(MedicalService), services)
        session.execute(insert(AvailabilityRule), rules)


def _time_generation(sessions: sessionmaker[Session], days: int) -> tuple[int, float]:
    _checkpoint(sessions)
    reports, seconds = _timed(lambda: generate_slots(sessions, now=NOW, days=days))
    with sessions() as session:
        rows = session.scalar(text("SELECT count(*) FROM time_slot")) or 0
    created = sum(report.changes.created for report in reports)
    print(f"generate_slots: {created:,} created in {seconds:.1f} s ({_summary(reports)})")
    return rows, seconds


def _time_copy_floor(engine: Engine, rows: int) -> float:
    with tempfile.TemporaryFile() as dump:
        with _raw(engine) as connection, connection.cursor() as cursor:
            query = f"COPY (SELECT {SLOT_COLUMNS} FROM time_slot) TO STDOUT (FORMAT BINARY)"
            with cursor.copy(query) as copy:
                for block in copy:
                    dump.write(block)
            cursor.execute("TRUNCATE time_slot CASCADE")
            connection.commit()
            cursor.execute("CHECKPOINT")
        dump.seek(0)
        _, seconds = _timed(lambda: _copy_in(engine, dump))
    print(f"COPY floor: {rows:,} rows in {seconds:.1f} s")
    return seconds


def _copy_in(engine: Engine, dump: Any) -> None:
    with _raw(engine) as connection, connection.cursor() as cursor:
        with cursor.copy(f"COPY time_slot ({SLOT_COLUMNS}) FROM STDIN (FORMAT BINARY)") as copy:
            while block := dump.read(1 << 20):
                copy.write(block)
        connection.commit()


def _raw(engine: Engine) -> psycopg.Connection[Any]:
    return psycopg.connect(engine.url.render_as_string(hide_password=False).replace("+psycopg", ""))


def _checkpoint(sessions: sessionmaker[Session]) -> None:
    # Start each timed phase with no dirty pages left over from the previous one.
    with sessions() as session:
        session.execute(text("CHECKPOINT"))


def _timed(work: Callable[[], Any]) -> tuple[Any, float]:
    started = timer.perf_counter()
    result = work()
    return result, timer.perf_counter() - started


def _summary(reports: list[PracticeSlotReport]) -> str:
    totals = {"updated": 0, "removed": 0, "kept": 0}
    for report in reports:
        for field in totals:
            totals[field] += getattr(report.changes, field)
    return ", ".join(f"{count:,} {field}" for field, count in totals.items())


def _report(rows: int, generation: float, second_run: float, floor: float, peak_mb: float) -> None:
    print()
    print(f"rows:                {rows:,}")
    print(f"generate_slots:      {generation:.1f} s, {rows / generation:,.0f} rows/s")
    print(f"second run (no-op):  {second_run:.1f} s")
    print(f"COPY floor:          {floor:.1f} s, {rows / floor:,.0f} rows/s")
    print(f"ratio to COPY:       {generation / floor:.2f}x (target <= 2x)")
    print(f"peak RSS:            {peak_mb:,.0f} MB (target < 500 MB)")


if __name__ == "__main__":
    main()
