"""Benchmark: the daily retention purge over a large message_log, with the webhook writing.

Run by hand, not by the test suite:

    .venv/bin/python bench/retention.py           # 1,000,000 messages, 90 % past retention
    .venv/bin/python bench/retention.py --quick   # 100,000: a quick check that it works

1. Seeding: `--messages` rows of message_log over `--practices` practices (10), bulk
   inserted by one INSERT ... SELECT FROM generate_series, then VACUUM ANALYZE. 90 % are
   older than the default 180 days (181 to 720 days), one in 10,000 of those still
   queued (never purged); the rest are recent.
2. Purge: `purge_message_bodies` in batches of `--batch` (5,000), each its own
   transaction. Reported: total time, rows per second, and the process's peak resident
   size (getrusage), with how much it grew during the purge.
3. The webhook's view: while the purge runs, a second process on its own connection
   does what the webhook does to message_log, over and over: insert a message for one
   of the practices being purged and mark a recent one delivered, one transaction each.
   Reported: its count, median, p99 and max latency. Target: max under 100 ms (no purge
   batch holds a lock the webhook waits for).
4. Idempotence: a second purge changes nothing, and how long it takes to find that.

Every old body not queued must end as "[len=N]" with N its former length; nothing
recent and nothing queued may change. It creates a throwaway database on
BENCH_PG_SERVER (default: the local server), migrates it with Alembic to head, and
drops it at the end.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Engine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.booking.context import BookingContext  # noqa: E402
from app.booking.retention import BATCH, purge_message_bodies  # noqa: E402
from app.db import make_engine, make_sessionmaker  # noqa: E402
from app.sealed import seal, unseal  # noqa: E402
from bench.holds import raw, throwaway_database  # noqa: E402
from bot_flows.texts import render_notification  # noqa: E402

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
OLD_SHARE = 0.9
QUEUED_EVERY = 10_000  # one old row in this many is still queued
LATENCY_TARGET = 0.100  # seconds

# Old rows: 181 to 720 days back; recent ones: within the last 170 days. Bodies of 20 to
# 219 characters, sealed as the app stores them (app/sealed.py), so the marker's length
# varies and is read from sealed text.
SEED_SQL = """
INSERT INTO message_log (profile_id, direction, phone, body, status, created_at, updated_at)
SELECT p.id,
       CASE WHEN i %% 2 = 0 THEN 'in' ELSE 'out' END,
       '+52155' || lpad((i %% 50000)::text, 8, '0'),
       (%(bodies)s::text[])[1 + i %% 200],
       CASE WHEN o.old AND i %% %(queued_every)s = 0 THEN 'queued'
            WHEN i %% 2 = 0 THEN 'received' ELSE 'read' END,
       t.at, t.at
FROM generate_series(1, %(messages)s) AS i
CROSS JOIN LATERAL (SELECT i %% 100 < %(old_percent)s AS old) AS o
CROSS JOIN LATERAL (
    SELECT %(now)s::timestamptz - CASE
        WHEN o.old THEN interval '181 days' + (i %% 539) * interval '1 day'
        ELSE (i %% 170) * interval '1 day' END - (i %% 86400) * interval '1 second' AS at
) AS t
JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM profile) AS p
  ON p.n = i %% %(practices)s
"""


def main() -> None:
    """Set up, measure, check, report, clean up."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100,000 messages")
    parser.add_argument("--messages", type=int, help="default 1,000,000")
    parser.add_argument("--practices", type=int, default=10)
    parser.add_argument("--batch", type=int, default=BATCH)
    args = parser.parse_args()
    messages = args.messages or (100_000 if args.quick else 1_000_000)
    print(f"scale: {messages:,} messages over {args.practices} practices, batch {args.batch:,}")
    with throwaway_database() as url:
        engine = make_engine(url, pool_size=4, max_overflow=0)
        try:
            seconds = seed(engine, messages, args.practices)
            print(f"seeded in {seconds:.1f} s")
            expected = count(engine, "created_at < %(cutoff)s AND status <> 'queued'")
            ok = run(engine, args.batch, expected)
        finally:
            engine.dispose()
    sys.exit(0 if ok else 1)


def run(engine: Engine, batch: int, expected: int) -> bool:
    """Purge with the webhook writing alongside; report; True if every check held."""
    sessions = make_sessionmaker(engine)
    ctx = BookingContext(sessions, lambda: NOW, render_notification)
    sample = sample_before(engine)
    writer = WebhookWriter(engine)
    writer.start()
    rss_before = peak_rss()
    started = time.perf_counter()
    purged = purge_message_bodies(ctx, batch=batch)
    elapsed = time.perf_counter() - started
    rss_peak = peak_rss()
    writer.stop()

    started = time.perf_counter()
    again = purge_message_bodies(ctx, batch=batch)
    second = time.perf_counter() - started

    latencies = sorted(writer.latencies)
    worst = latencies[-1] if latencies else float("nan")
    print(f"purge: {purged:,} bodies in {elapsed:.1f} s ({purged / elapsed:,.0f} rows/s)")
    print(f"  peak RSS {rss_peak:.0f} MiB ({rss_peak - rss_before:+.0f} MiB during the purge)")
    print(
        f"webhook writes during it: {len(latencies):,},"
        f" median {statistics.median(latencies) * 1000:.1f} ms,"
        f" p99 {latencies[int(len(latencies) * 0.99) - 1] * 1000:.1f} ms,"
        f" max {worst * 1000:.1f} ms"
        f" ({'within' if worst < LATENCY_TARGET else 'OVER'} the 100 ms target)"
    )
    print(f"second run: {again} bodies in {second * 1000:.0f} ms")

    checks = {
        "every old body not queued was purged": purged == expected,
        "each marker keeps its body's length": all(
            body == f"[len={length}]" for body, length in sample_after(engine, sample)
        ),
        "nothing old is left unpurged but the queued": count(
            engine, "body NOT LIKE '[len=%%' AND created_at < %(cutoff)s AND status <> 'queued'"
        )
        == 0,
        "recent and queued bodies untouched": count(
            engine,
            "body LIKE '[len=%%' AND (status = 'queued' OR created_at >= %(cutoff)s)",
        )
        == 0,
        "a second run changes nothing": again == 0,
        "the webhook wrote throughout": len(latencies) > 0,
    }
    for name, held in checks.items():
        print(f"  {'ok ' if held else 'FAILED'} {name}")
    return all(checks.values())


class WebhookWriter:
    """The webhook's writes to message_log in a loop, timed: insert one, update a recent one.

    In a process of its own: a thread would wait for the purge's share of the GIL, and
    measure Python, not the database's locks.
    """

    def __init__(self, engine: Engine) -> None:
        context = multiprocessing.get_context("spawn")
        self._ready = context.Event()
        self._stop = context.Event()
        self._results, sender = context.Pipe(duplex=False)
        dsn = engine.url.render_as_string(hide_password=False).replace("+psycopg", "")
        self._process = context.Process(
            target=write_like_the_webhook, args=(dsn, self._ready, self._stop, sender)
        )
        self.latencies: list[float] = []

    def start(self) -> None:
        self._process.start()
        self._ready.wait()

    def stop(self) -> None:
        self._stop.set()
        self.latencies = self._results.recv()
        self._process.join()


def write_like_the_webhook(dsn: str, ready: Any, stop: Any, results: Any) -> None:
    """The writer process: insert a message for a practice, mark a recent one delivered."""
    latencies: list[float] = []
    with psycopg.connect(dsn) as connection:
        profiles = [row[0] for row in connection.execute("SELECT id FROM profile ORDER BY id")]
        recent = [
            row[0]
            for row in connection.execute(
                "SELECT id FROM message_log WHERE created_at > %s LIMIT 1000",
                (NOW - timedelta(days=30),),
            )
        ]
        connection.commit()
        ready.set()
        n = 0
        while not stop.is_set():
            started = time.perf_counter()
            with connection.transaction():
                connection.execute(
                    "INSERT INTO message_log (profile_id, direction, phone, body, status,"
                    " provider_sid, created_at, updated_at)"
                    " VALUES (%s, 'in', '+5215500000000', 'hola', 'received', %s, %s, %s)",
                    (profiles[n % len(profiles)], f"SMbench{uuid.uuid4().hex}", NOW, NOW),
                )
                connection.execute(
                    "UPDATE message_log SET status = 'delivered', updated_at = %s WHERE id = %s",
                    (NOW, recent[n % len(recent)]),
                )
            latencies.append(time.perf_counter() - started)
            n += 1
    results.send(latencies)


def seed(engine: Engine, messages: int, practices: int) -> float:
    """The practices, then every message in one statement; then VACUUM ANALYZE. Seconds taken."""
    started = time.perf_counter()
    with raw(engine) as connection:
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO profile (id, name, timezone) VALUES (%s, %s, 'America/Mexico_City')",
                [(uuid.uuid4(), f"Consultorio {n}") for n in range(practices)],
            )
            cursor.execute(
                SEED_SQL,  # type: ignore[arg-type]
                {
                    "messages": messages,
                    "practices": practices,
                    "old_percent": int(OLD_SHARE * 100),
                    "queued_every": QUEUED_EVERY,
                    "now": NOW,
                    "bodies": [seal("x" * (20 + n)) for n in range(200)],
                },
            )
        connection.commit()
        connection.autocommit = True
        # A production table has statistics; a freshly loaded one has none yet.
        connection.execute("VACUUM ANALYZE message_log")
        connection.execute("CHECKPOINT")
    return time.perf_counter() - started


def peak_rss() -> float:
    """This process's peak resident size so far, in MiB (getrusage gives KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def count(engine: Engine, where: str) -> int:
    with raw(engine) as connection:
        row = connection.execute(
            f"SELECT count(*) FROM message_log WHERE {where}",  # type: ignore[arg-type]
            {"cutoff": NOW - timedelta(days=180)},
        ).fetchone()
        return int(row[0]) if row else 0


def sample_before(engine: Engine) -> dict[uuid.UUID, int]:
    """A thousand old rows due for purging, with their bodies' lengths, to check the markers."""
    with raw(engine) as connection:
        rows = connection.execute(
            "SELECT id, body FROM message_log"
            " WHERE created_at < %s AND status <> 'queued' ORDER BY random() LIMIT 1000",
            (NOW - timedelta(days=180),),
        ).fetchall()
    return {id_: len(str(unseal(body)).encode()) for id_, body in rows}


def sample_after(engine: Engine, sample: dict[uuid.UUID, int]) -> list[tuple[str, int]]:
    """(body now, length before) for each sampled row."""
    with raw(engine) as connection:
        rows = connection.execute(
            "SELECT id, body FROM message_log WHERE id = ANY(%s)", (list(sample),)
        ).fetchall()
    return [(body, sample[id_]) for id_, body in rows]


if __name__ == "__main__":
    main()
