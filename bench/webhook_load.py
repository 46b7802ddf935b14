"""Benchmark: whole WhatsApp bookings through the webhook under gunicorn, against a floor.

Run by hand (`.venv/bin/python bench/webhook_load.py`; `--help` for the knobs), not
by the test suite. It creates a throwaway database on BENCH_PG_SERVER (default: the
local server), migrates it, imports the demo clinic as many practices (open every
day 08:00-16:00, so each has 6 days x 12 listed times for patients to be given
without collisions) and generates their slots. Then it starts two gunicorn servers
with the same settings on free loopback ports: the app (`app:create_app()`,
embedded mode: no Redis, console messages) and the floor (`bench/baseline_app.py`:
Flask + SQLAlchemy + psycopg doing one 4-statement transaction per POST).

After a warm-up, the floor and the app each run an open loop of `--duration`
seconds at `--rate` messages/s (`--patients` simulated patients), then a closed loop
(`--closed-patients` writing back to back) of `--duration` seconds in all, cut in
`--rounds` rounds that alternate between the two (floor, app; app, floor; ...), so
that the machine's drift during the run weighs on both alike. Each
reports messages/s, latency as the client sees it (p50/p95/p99 from send, p99 from
the planned moment), gunicorn's own request time (p50/p99), errors, bookings, and
the CPU spent per message by the gunicorn workers, PostgreSQL and this process.
Before the load, one conversation is replayed in-process to count the SQL
statements, fresh compilations and pool checkouts of each step. The database is
dropped at the end.

With `--interactive` the app answers choices with WhatsApp lists and buttons
(INTERACTIVE_REPLIES=auto) through the twilio SDK against the local fake Twilio
(`tests/fake_twilio.py`, in this process, its content pool synced first); the patients
tap them; the floor then sends its reply the same way, as three buttons through the
SDK from a thread after its commit, so that both pay for a REST send. Without it the
app replies with numbered text in TwiML (INTERACTIVE_REPLIES=off), as the earlier
figures were taken, and the floor in TwiML.

Targets: app p99 < 50 ms at 300 messages/s; app closed-loop throughput >= half the floor's.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import psycopg
from alembic import command
from alembic.config import Config as AlembicConfig
from flask.testing import FlaskClient
from sqlalchemy import event, text
from sqlalchemy.engine.default import CACHE_HIT, DefaultExecutionContext
from twilio.request_validator import RequestValidator
from twilio.rest import Client

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.config import Config  # noqa: E402
from app.db import (  # noqa: E402
    get_database,
    make_engine,
    make_sessionmaker,
)
from app.messaging.content_pool import sync  # noqa: E402
from app.practices.clinic_file import read_clinic, read_document  # noqa: E402
from app.practices.setup import import_clinic  # noqa: E402
from app.scheduling.generation import generate_slots  # noqa: E402
from bench.baseline_app import create_table  # noqa: E402
from bench.load_patients import (  # noqa: E402
    DAYS_AHEAD,
    FLOOR_PATH,
    SIGNER,
    STEPS,
    TIMES_PER_DAY,
    WEBHOOK_PATH,
    Endpoint,
    Mailbox,
    Option,
    Phase,
    Sent,
    Tally,
    Target,
    Targets,
    booking,
    chatter,
    message_form,
    seat,
)
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, LIST_PICKER, Created, FakeTwilio  # noqa: E402

SERVER = os.environ.get("BENCH_PG_SERVER", "postgresql://postgres@127.0.0.1:5432")
GUNICORN = Path(sys.executable).parent / "gunicorn"
DEMO_CLINIC = ROOT / "examples" / "demo_clinic.yaml"
TIMEZONE = "America/Mexico_City"
OPENS, CLOSES = 8, 16  # every day; 16 half-hour slots, the first 9 (a page) are the targets
MESSAGES = len(STEPS)
CEILING_GUESS = 1000  # msg/s: sizes the practices for the closed loop, whatever it reaches
WARMUP_PATIENTS = 8
TRACED_BOOKINGS = 2  # the first one pays for cold caches; the second is printed
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Server:
    """A gunicorn master we started, its log files and the URL it signs against."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    access_log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


FLOOR_CONTENT = "citabot_buttons_3_es"  # the pool's three Spanish buttons: the floor's reply


class BenchTwilio(FakeTwilio):
    """The fake Twilio, handing each message it takes to the patients' mailbox."""

    def __init__(self, mailbox: Mailbox) -> None:
        super().__init__(strict_content=True)
        self.mailbox = mailbox

    def pool_sid(self, friendly_name: str) -> str:
        """The SID of the content resource the sync made under `friendly_name`."""
        return next(sid for sid, c in self.contents.items() if c.friendly_name == friendly_name)

    def _store(self, form: Any) -> Created:
        created = super()._store(form)
        rendered = created.rendered
        options = tuple(Option(c.id, c.title) for c in rendered.choices) if rendered else ()
        text_ = rendered.body if rendered else created.body or ""
        is_list = rendered is not None and rendered.kind == LIST_PICKER
        self.mailbox.put(created.to.removeprefix("whatsapp:"), Sent(text_, options, is_list))
        return created


@dataclass(frozen=True)
class Result:
    name: str
    tally: Tally
    seconds: float  # first send to last reply
    server_ms: list[float]  # gunicorn's request times
    per_worker: Counter[str]  # requests served, by worker pid
    cpu: dict[str, float]  # CPU seconds: workers, postgres, generator

    @property
    def sent(self) -> int:
        return len(self.tally.latencies) + sum(
            n for kind, n in self.tally.errors.items() if not kind.startswith("HTTP")
        )

    @property
    def answered(self) -> int:
        """Messages answered 200."""
        http_errors = sum(n for kind, n in self.tally.errors.items() if kind.startswith("HTTP"))
        return len(self.tally.latencies) - http_errors

    @property
    def rate(self) -> float:
        return len(self.tally.latencies) / self.seconds if self.seconds else 0.0


def main() -> None:
    """Set up, load, report, clean up."""
    args = _arguments()
    phases = 4 * args.duration + 2 * args.warmup
    print(f"4 phases of {args.duration:.0f} s (the closed loops in {args.rounds} rounds) + warm-up:"
          f" about {phases + 60:.0f} s in all.")  # fmt: skip
    name = f"citabot_bench_{uuid.uuid4().hex[:12]}"
    url = f"postgresql+psycopg://{SERVER.removeprefix('postgresql://')}/{name}"
    _admin(f'CREATE DATABASE "{name}"')
    logs = Path(tempfile.mkdtemp(prefix="citabot-bench-"))
    mailbox = Mailbox()
    fake = BenchTwilio(mailbox).start() if args.interactive else None
    try:
        targets = _prepare(url, args, fake)
        _trace_statements(url, targets)
        app_server = _serve("app", url, logs, args, fake)
        with app_server as app, _serve("floor", url, logs, args, fake) as floor:
            results = _run_phases(args, name, targets, app, floor, mailbox if fake else None)
        _report(args, results)
        _check_database(url, results)
    finally:
        if fake is not None:
            fake.stop()
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if args.keep_logs:
            print(f"\ngunicorn logs kept in {logs}")
        else:
            for path in logs.iterdir():
                path.unlink()
            logs.rmdir()


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=300, help="open-loop messages/s")
    parser.add_argument("--patients", type=int, default=300, help="open-loop patients at once")
    parser.add_argument("--closed-patients", type=int, default=32, help="closed-loop patients")
    parser.add_argument("--duration", type=float, default=60, help="seconds per phase")
    parser.add_argument(
        "--rounds", type=int, default=4, help="closed loop: alternating rounds per phase"
    )
    parser.add_argument("--warmup", type=float, default=10, help="seconds of warm-up per server")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", choices=("sync", "gthread"), default="gthread")
    parser.add_argument("--threads", type=int, default=2, help="per worker (gthread)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep-logs", action="store_true", help="keep gunicorn's log files")
    parser.add_argument(
        "--interactive",
        action="store_true",
        help="choices as WhatsApp lists and buttons through the fake Twilio, tapped",
    )
    return parser.parse_args()


def _admin(statement: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(statement)  # type: ignore[arg-type]


# --- the database ----------------------------------------------------------------------------


def _prepare(url: str, args: argparse.Namespace, fake: FakeTwilio | None) -> Targets:
    """Migrate, make the floor's table, import the practices, generate their slots.

    With the fake Twilio, sync the content pool the interactive replies are sent with.
    """
    started = time.perf_counter()
    config = AlembicConfig(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "head")
    engine = make_engine(url)
    try:
        create_table(engine)
        sessions = make_sessionmaker(engine)
        # Each patient books once: enough targets for the warm-up and the closed loop at
        # the ceiling, the open loop at its rate, and the patients cut short at each end.
        wanted = (
            (args.warmup + args.duration) * CEILING_GUESS / MESSAGES
            + args.rate * args.duration / MESSAGES
            + WARMUP_PATIENTS
            + args.patients
            + args.closed_patients * args.rounds
        )
        count = math.ceil(wanted / (DAYS_AHEAD * TIMES_PER_DAY))
        numbers = [f"+5255{n:08d}" for n in range(1, count + 1)]
        template = read_document(DEMO_CLINIC)
        assert isinstance(template, dict)
        now = datetime.now(UTC)
        for n, number in enumerate(numbers, start=1):
            clinic = read_clinic(_practice(template, n, number))
            import_clinic(sessions, clinic, now)
        generate_slots(sessions, now=now, days=DAYS_AHEAD + 2)
        with sessions() as session:
            slots = session.scalar(text("SELECT count(*) FROM time_slot"))
        if fake is not None:
            client = Client(ACCOUNT_SID, AUTH_TOKEN, http_client=fake.http_client())
            sync(sessions, client, ACCOUNT_SID, ("es", "en"))
    finally:
        engine.dispose()
    took = time.perf_counter() - started
    print(f"Database: {count} practices, {slots:,} slots, ready in {took:.1f} s.")
    tomorrow = datetime.now(ZoneInfo(TIMEZONE)).date() + timedelta(days=1)
    return Targets(numbers, tomorrow, OPENS)


def _practice(template: dict[str, object], n: int, number: str) -> dict[str, object]:
    """The demo clinic as practice `n`: its own numbers, open every day, never closed."""
    return template | {
        "name": f"Consultorio {n}",
        "whatsapp_number": number,
        "doctor_phone": f"+5281{n:08d}",
        "timezone": TIMEZONE,
        "availability": [
            {"days": list(range(7)), "start": f"{OPENS:02d}:00", "end": f"{CLOSES:02d}:00"}
        ],
        "closed": [],
    }


def _trace_statements(url: str, targets: Targets) -> None:
    """Replay two bookings in-process (no HTTP); print the second one's statements per step."""
    config = Config(database_url=url, messaging_backend="console")
    app = create_app(config)
    app.testing = True  # no background thread: this is only about the message's own work
    engine = get_database(app).engine
    counts = {"statements": 0, "compiled": 0, "checkouts": 0}
    kinds = tuple(counts)

    def count(kind: str) -> None:
        counts[kind] += 1

    def executed(*args: Any) -> None:
        count("statements")
        statement, context = args[2], args[4]
        # Compiled again rather than taken from SQLAlchemy's cache; SAVEPOINTs never are.
        compiled = isinstance(context, DefaultExecutionContext) and context.compiled is not None
        savepoint = statement.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO"))
        if compiled and not savepoint and context.cache_hit is not CACHE_HIT:
            count("compiled")

    event.listen(engine, "after_cursor_execute", executed)
    event.listen(engine.pool, "checkout", lambda *_: count("checkouts"))
    client = app.test_client()
    rows: list[tuple[str, int, int, int, float]] = []
    for n in range(TRACED_BOOKINGS):
        rows.clear()
        tally = Tally()
        target = targets.take()
        phone = f"+5222{n:08d}"  # Puebla: the load's patients write from Guadalajara (+5233)
        conversation = booking(target, tally, random.Random(0))
        body: str | None = next(conversation)
        for step in STEPS:
            assert body is not None
            before = dict(counts)
            started = time.perf_counter()
            replies = _post_in_process(client, config.public_base_url, phone, target, body)
            took = (time.perf_counter() - started) * 1000
            rows.append((step, *(counts[k] - before[k] for k in kinds), took))
            try:
                body = conversation.send(replies)
            except StopIteration:
                body = None
        if tally.outcomes != {"booked": 1}:
            raise SystemExit(f"the traced booking did not go through: {dict(tally.outcomes)}")
    engine.dispose()
    print("\nOne booking replayed in-process: SQL statements per message, each a round trip to")
    print("PostgreSQL (plus BEGIN, COMMIT and the pool's pre-ping on each checkout), and how")
    print("many SQLAlchemy compiled again instead of taking from its cache (should be 0):")
    print(f"  {'step':<12} {'statements':>10} {'compiled':>8} {'checkouts':>9} {'ms':>6}")
    for step, statements, compiled, checkouts, took in rows:
        print(f"  {step:<12} {statements:>10} {compiled:>8} {checkouts:>9} {took:>6.1f}")
    total = [sum(row[i] for row in rows) for i in (1, 2, 3, 4)]
    print(f"  {'total':<12} {total[0]:>10} {total[1]:>8} {total[2]:>9} {total[3]:>6.1f}")


def _post_in_process(
    client: FlaskClient, base_url: str, phone: str, target: Target, body: str
) -> list[str]:
    form = message_form(phone, target, body)
    signature = SIGNER.compute_signature(base_url + WEBHOOK_PATH, form)
    response = client.post(WEBHOOK_PATH, data=form, headers={"X-Twilio-Signature": signature})
    if response.status_code != 200:
        raise SystemExit(f"the traced booking got HTTP {response.status_code}")
    return [m.text or "" for m in ElementTree.fromstring(response.data).iter("Message")]


# --- the servers -----------------------------------------------------------------------------


@contextmanager
def _serve(
    name: str, url: str, logs: Path, args: argparse.Namespace, fake: FakeTwilio | None = None
) -> Iterator[Server]:
    """Run a gunicorn with the benchmark's settings until the block ends.

    With `fake` (interactive replies) the app sends through it, and so does the floor,
    its one reply as three buttons; else the app prints to the console and the
    floor answers in TwiML.
    """
    port = _free_port()
    target = "app:create_app()" if name == "app" else "bench.baseline_app:create_app()"
    access_log = logs / f"{name}-access.log"
    argv = [
        str(GUNICORN),
        target,
        f"--bind=127.0.0.1:{port}",
        f"--workers={args.workers}",
        f"--worker-class={args.worker_class}",
        f"--threads={args.threads}",
        f"--chdir={ROOT}",
        f"--access-logfile={access_log}",
        "--access-logformat=%(D)s %(p)s",
        "--no-control-socket",  # two masters (and other runs) would share its default path
        f"--error-logfile={logs / f'{name}-error.log'}",
    ]
    environment = os.environ | {
        "DATABASE_URL": url,
        "REDIS_URL": "",
        "MESSAGING_BACKEND": "console",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "CITABOT_ENV": "development",
        "TWILIO_AUTH_TOKEN": "",
        "TWILIO_ACCOUNT_SID": "",
        "INTERACTIVE_REPLIES": "off",
    }
    if fake is not None:
        environment |= {
            "MESSAGING_BACKEND": "twilio",
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_API_BASE_URL": fake.base_url,
            "INTERACTIVE_REPLIES": "auto",
        }
        if name == "floor":
            environment["FLOOR_CONTENT_SID"] = fake.pool_sid(FLOOR_CONTENT)
    with open(logs / f"{name}-stdout.log", "wb") as stdout:
        process = subprocess.Popen(argv, env=environment, stdout=stdout, stderr=subprocess.STDOUT)
    server = Server(name, process, port, access_log)
    try:
        _wait_until_up(server, args.workers)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(server: Server, workers: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"gunicorn ({server.name}) exited with {server.process.returncode}")
        try:
            with urllib.request.urlopen(f"{server.base_url}/healthz", timeout=2) as response:
                if response.status == 200 and len(_workers(server)) == workers:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn ({server.name}) did not answer within a minute")


def _workers(server: Server) -> list[int]:
    """The pids of the master's children: the workers."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat and int(stat[1]) == server.process.pid:
                found.append(int(entry.name))
    return found


def _stat(pid: int) -> list[str] | None:
    """/proc/PID/stat from the state on (field 3), or None if the process is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _cpu_seconds(pids: list[int]) -> dict[int, float]:
    seconds = {}
    for pid in pids:
        stat = _stat(pid)
        if stat:
            seconds[pid] = (int(stat[11]) + int(stat[12])) / CLOCK_TICKS
    return seconds


def _backends(database: str) -> list[int]:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", (database,)
        ).fetchall()
    return [pid for (pid,) in rows]


# --- the load --------------------------------------------------------------------------------


def _run_phases(
    args: argparse.Namespace,
    database: str,
    targets: Targets,
    app: Server,
    floor: Server,
    mailbox: Mailbox | None,
) -> list[Result]:
    signer = RequestValidator(AUTH_TOKEN) if mailbox else SIGNER
    endpoints = {
        "app": Endpoint(
            "127.0.0.1", app.port, WEBHOOK_PATH, app.base_url, booking, True, signer, mailbox
        ),
        "floor": Endpoint(
            "127.0.0.1", floor.port, FLOOR_PATH, floor.base_url, chatter, False, signer, mailbox
        ),
    }
    servers = {"app": app, "floor": floor}
    given = {"app": targets, "floor": targets.twin()}
    interval = args.patients / args.rate  # open loop: mean seconds between a seat's sends
    results = []
    for name, endpoint in endpoints.items():
        tally = _load(endpoint, given[name], WARMUP_PATIENTS, args.warmup, 0.0, args.seed)
        results.append(Result(f"{name} warm-up", tally, args.warmup, [], Counter(), {}))
        print(f"Warmed up {name}: {len(tally.latencies)} messages in {args.warmup:.0f} s.")

    def measure(name: str, mode: str, patients: int, seconds: float, gap: float) -> Result:
        return _measure(f"{name} {mode}", servers[name], endpoints[name], database,
                        given[name], patients, args, seconds, gap)  # fmt: skip

    for name in ("floor", "app"):
        results.append(measure(name, "open", args.patients, args.duration, interval))
        _announce(results[-1])
    # The closed loop in alternating rounds (floor, app; app, floor; ...), so that a
    # machine that speeds up or slows down during the run weighs on both alike.
    rounds: dict[str, list[Result]] = {"floor": [], "app": []}
    seconds = args.duration / args.rounds
    for n in range(args.rounds):
        for name in ("floor", "app") if n % 2 == 0 else ("app", "floor"):
            rounds[name].append(measure(name, "closed", args.closed_patients, seconds, 0.0))
    ratios = " ".join(
        f"{mine.rate / its.rate:.2f}" for its, mine in zip(*rounds.values(), strict=True)
    )
    print(f"closed loop in {args.rounds} rounds of {seconds:.0f} s; app / floor: {ratios}")
    for name in ("floor", "app"):
        results.append(_merged(rounds[name]))
        _announce(results[-1])
    return results


def _announce(result: Result) -> None:
    print(f"{result.name:<12} {result.rate:7.1f} msg/s, p99 {_ms(result.tally.latencies, 99)}"
          f" ms, errors {sum(result.tally.errors.values())}")  # fmt: skip


def _merged(parts: list[Result]) -> Result:
    """Rounds of one phase as one result: their messages over their summed durations."""
    tally, per_worker, cpu = Tally(), Counter[str](), Counter[str]()
    for part in parts:
        tally.merge(part.tally)
        per_worker.update(part.per_worker)
        cpu.update(part.cpu)
    return Result(
        parts[0].name,
        tally,
        sum(part.seconds for part in parts),
        [ms for part in parts for ms in part.server_ms],
        per_worker,
        dict(cpu),
    )


def _measure(
    label: str,
    server: Server,
    endpoint: Endpoint,
    database: str,
    targets: Targets,
    patients: int,
    args: argparse.Namespace,
    duration: float,
    interval: float,
) -> Result:
    """One phase, with the CPU the workers, PostgreSQL and this process spent on it."""
    workers, backends = _workers(server), _backends(database)
    before = _cpu_seconds(workers), _cpu_seconds(backends), time.process_time()
    log_start = server.access_log.stat().st_size
    tally = _load(endpoint, targets, patients, duration, interval, args.seed)
    time.sleep(0.2)  # gunicorn writes its access log line after the response
    backends = sorted(set(backends) | set(_backends(database)))
    after = _cpu_seconds(workers), _cpu_seconds(backends), time.process_time()
    cpu = {
        "workers": sum(t - before[0].get(p, t) for p, t in after[0].items()),
        "postgres": sum(t - before[1].get(p, 0.0) for p, t in after[1].items()),
        "generator": after[2] - before[2],
    }
    with server.access_log.open("rb") as log:
        log.seek(log_start)
        lines = [line.split() for line in log if line.strip()]
    server_ms = [int(microseconds) / 1000 for microseconds, _ in lines]
    per_worker = Counter(pid.decode() for _, pid in lines)
    seconds = tally.last_reply - tally.first_send
    return Result(label, tally, seconds, server_ms, per_worker, cpu)


def _load(
    endpoint: Endpoint,
    targets: Targets,
    patients: int,
    duration: float,
    interval: float,
    seed: int,
) -> Tally:
    """`patients` seats for `duration` seconds; their tallies merged."""
    start = time.perf_counter() + 0.5  # every thread is running before the first send
    phase = Phase(start, start + duration, interval)
    tallies = [Tally() for _ in range(patients)]
    threads = [
        threading.Thread(target=seat, args=(endpoint, phase, targets, seed * 100_003 + n, tally))
        for n, tally in enumerate(tallies)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    merged = Tally()
    for tally in tallies:
        merged.merge(tally)
    return merged


# --- the report ------------------------------------------------------------------------------


def _ms(values: list[float], percentile: float, scale: float = 1000) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    index = min(len(ordered) - 1, math.ceil(percentile / 100 * len(ordered)) - 1)
    return f"{ordered[index] * scale:.1f}"


def _report(args: argparse.Namespace, results: list[Result]) -> None:
    print(
        f"\ngunicorn: {args.workers} {args.worker_class} workers"
        + (f" x {args.threads} threads" if args.worker_class == "gthread" else "")
        + f"; open loop: {args.patients} patients at {args.rate:.0f} msg/s (Poisson);"
        f" closed loop: {args.closed_patients} patients; {args.duration:.0f} s per phase."
    )
    header = (
        f"{'phase':<12} {'msg/s':>7} {'sent':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'p99*':>6}"
        f" {'srv50':>6} {'srv99':>6} {'err':>4} {'booked':>6} {'cpu ms/msg: wrk':>15}"
        f" {'pg':>5} {'gen':>5}"
    )
    print(header)
    measured = [r for r in results if not r.name.endswith("warm-up")]
    for r in measured:
        lat = r.tally.latencies
        corrected = [lag + latency for lag, latency in zip(r.tally.lags, lat, strict=False)]
        per_message = {k: v / max(1, len(lat)) * 1000 for k, v in r.cpu.items()}
        booked = r.tally.outcomes["booked"] if r.name.startswith("app") else "-"
        print(
            f"{r.name:<12} {r.rate:>7.1f} {r.sent:>6} {_ms(lat, 50):>6} {_ms(lat, 95):>6}"
            f" {_ms(lat, 99):>6} {_ms(corrected, 99):>6} {_ms(r.server_ms, 50, 1):>6}"
            f" {_ms(r.server_ms, 99, 1):>6} {sum(r.tally.errors.values()):>4} {booked:>6}"
            f" {per_message['workers']:>15.2f} {per_message['postgres']:>5.2f}"
            f" {per_message['generator']:>5.2f}"
        )
    print("latencies in ms; p99* from the planned send moment (open loop); srv = gunicorn's")
    print("own request time; cpu = CPU time per message of the gunicorn workers, PostgreSQL")
    print("backends and this load generator (all on the same machine).")
    for r in measured:
        extra = {**r.tally.errors, **{k: v for k, v in r.tally.outcomes.items() if k != "booked"}}
        served = sorted(r.per_worker.values(), reverse=True)
        shares = "/".join(f"{100 * n / max(1, sum(served)):.0f}" for n in served)
        print(f"  {r.name}: requests per worker {shares} %; {dict(sorted(extra.items())) or ''}")
    for r in results:
        if r.name.endswith("warm-up") and (r.tally.errors or set(r.tally.outcomes) - {"booked"}):
            print(f"  {r.name}: {dict(r.tally.errors)} {dict(r.tally.outcomes)}")
    by_name = {r.name: r for r in results}
    app_open, app_closed = by_name["app open"], by_name["app closed"]
    floor_closed = by_name["floor closed"]
    p99 = float(_ms(app_open.tally.latencies, 99))
    ratio = app_closed.rate / floor_closed.rate if floor_closed.rate else 0.0
    print(
        f"\nTarget p99 < 50 ms at {args.rate:.0f} msg/s: app p99 {p99:.1f} ms at"
        f" {app_open.rate:.1f} msg/s -> {'met' if p99 < 50 else 'MISSED'}"
    )
    print(
        f"Target throughput >= 1/2 of the floor: app {app_closed.rate:.1f} / floor"
        f" {floor_closed.rate:.1f} msg/s = {ratio:.2f} -> {'met' if ratio >= 0.5 else 'MISSED'}"
    )
    median = statistics.median(app_open.server_ms) if app_open.server_ms else 0.0
    print(f"(app open loop: gunicorn median {median:.1f} ms per message)")


def _check_database(url: str, results: list[Result]) -> None:
    """Every booking the patients were told about is a request in the database."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            requests = connection.scalar(text("SELECT count(*) FROM reservation_request"))
            floor_rows = connection.scalar(text("SELECT count(*) FROM bench_floor"))
    finally:
        engine.dispose()
    booked = TRACED_BOOKINGS + sum(r.tally.outcomes["booked"] for r in results)
    floor_replies = sum(r.answered for r in results if r.name.startswith("floor"))
    agrees = requests == booked and floor_rows == floor_replies
    print(
        f"Database: {requests} booking requests for {booked} patients told they booked,"
        f" {floor_rows} floor rows for {floor_replies} floor replies:"
        f" {'consistent' if agrees else 'INCONSISTENT'}."
    )


if __name__ == "__main__":
    main()
