"""No patient's message is lost while PostgreSQL is down (issue 9), with real processes.

Twilio does not retry a webhook that failed: a message answered 500 while the
database is away is gone. So the webhook keeps every signed message in a durable
inbox outside PostgreSQL (a Redis list, or a JSON-lines journal on disk when Redis
is away too), answers the first one of each patient with a short "we'll answer in
a few minutes", and replayers feed the kept messages through the normal path once
the database is back.

Everything is real and started by the test: a PostgreSQL cluster of its own on a
free port (tests/pg_server.py: the shared server must never stop), migrated with
`alembic upgrade head`; gunicorn with two workers and a `python worker.py`, each
of which replays; a redis-server of its own; the local fake Twilio for the replies
that go out through the outbox. Twenty patients send five messages each,
interleaved, during a 20-second outage: with Redis up (the Redis list), with Redis
down too (the disk journal, replayed once both are back), and with no Redis at all
(the journal; jobs in the web processes, no worker). Afterwards each MessageSid is
logged exactly once, in send order per phone, every conversation stands where its
five messages lead, and each patient received exactly the replies a patient
writing with the database up gets, in that order.
"""

from __future__ import annotations

import subprocess
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import requests
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from app.db import make_sessionmaker
from app.models import Conversation, MessageLog
from bot_flows import texts
from tests.e2e.conftest import PATH, new_sid, sign
from tests.e2e.processes import BIN, ROOT, Processes, until, wait_for
from tests.environ import python_env
from tests.factories import make_practice, make_service, make_slot
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio
from tests.pg_server import PgServer
from tests.redis_server import RedisServer, free_port

pytestmark = pytest.mark.slow

OUTAGE = 20.0  # seconds PostgreSQL stays down (the one fixed wait: the outage itself)
PATIENTS = 20
# Hello; 1 accept the privacy notice; 1 book; 2 the second service; 1 its first day.
# Any other order ends elsewhere (or asks again), so where each conversation stands
# shows the five were processed in order, each once.
SAYS = ("hola", "1", "1", "2", "1")
ENDS_IN = "booking_time"
CONTROL = "+523390000001"  # writes with the database up: the replies every patient is owed
LATE = "+523390000002"  # writes after the outage: answered at once again


@dataclass(frozen=True)
class PracticeSetup:
    number: str
    service_id: str  # the second service, which the patients choose
    first_day: str  # its first free day (local ISO date), which they choose


@dataclass
class Answer:
    status: int
    replies: list[str]
    text: str


@dataclass
class Deployment:
    """The app as deployed against the private cluster; the processes the test started."""

    pg: PgServer
    redis: RedisServer
    fake: FakeTwilio
    sessions: sessionmaker[Session]
    practice: PracticeSetup
    env: dict[str, str]
    logs: Path
    base_url: str = ""
    processes: Processes = field(init=False)

    def __post_init__(self) -> None:
        self.processes = Processes(self.env, self.logs)

    @property
    def journal(self) -> Path:
        return Path(self.env["DEFERRED_INBOX_DIR"])

    # -- talking to it -------------------------------------------------------------

    def post(self, phone: str, body: str, sid: str) -> Answer:
        """One signed message, as Twilio posts it."""
        form = {
            "MessageSid": sid,
            "AccountSid": ACCOUNT_SID,
            "From": f"whatsapp:{phone}",
            "To": f"whatsapp:{self.practice.number}",
            "NumMedia": "0",
            "Body": body,
        }
        signature = sign(self.base_url + PATH, form, AUTH_TOKEN)
        response = requests.post(
            self.base_url + PATH, data=form, headers={"X-Twilio-Signature": signature}, timeout=30
        )
        replies: list[str] = []
        if response.status_code == 200:
            root = ElementTree.fromstring(response.text)
            replies = [message.text or "" for message in root.iter("Message")]
        return Answer(response.status_code, replies, response.text)

    def chat(self, phone: str) -> list[list[str]]:
        """The five messages one after another; the replies to each (all must be 200)."""
        answers = [self.post(phone, body, new_sid()) for body in SAYS]
        assert [a.status for a in answers] == [200] * len(SAYS), [a.text for a in answers]
        return [a.replies for a in answers]

    def send_interleaved(self, sids: dict[str, list[str]]) -> dict[str, list[Answer]]:
        """Round by round, every patient's next message at once; one phone's never overlap."""
        answers: dict[str, list[Answer]] = {phone: [] for phone in sids}
        with ThreadPoolExecutor(len(sids)) as pool:
            for turn, body in enumerate(SAYS):
                sent = {
                    phone: pool.submit(self.post, phone, body, own[turn])
                    for phone, own in sids.items()
                }
                for phone, future in sent.items():
                    answers[phone].append(future.result())
        return answers

    def readiness(self) -> tuple[int, dict[str, Any]]:
        response = requests.get(self.base_url + "/readyz", timeout=10)
        return response.status_code, response.json()

    def backlogs(self, probes: int = 6) -> list[tuple[int, object]]:
        """(status, inbound_backlog) of several /readyz calls: they reach either worker."""
        return [(status, body.get("inbound_backlog")) for status, body in
                (self.readiness() for _ in range(probes))]  # fmt: skip

    # -- what the database says ----------------------------------------------------

    def inbound(self, sids: list[str]) -> list[tuple[str, str]]:
        """(phone, MessageSid) of the logged incoming messages among `sids`, per phone in
        the order they were processed: (created_at, id)."""
        with self.sessions() as session:
            rows = session.execute(
                select(MessageLog.phone, MessageLog.provider_sid)
                .where(MessageLog.direction == "in", MessageLog.provider_sid.in_(sids))
                .order_by(MessageLog.phone, MessageLog.created_at, MessageLog.id)
            )
            return [(phone, sid or "") for phone, sid in rows]

    def conversations(self, phones: list[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        with self.sessions() as session:
            rows = session.execute(
                select(Conversation.phone, Conversation.state, Conversation.data).where(
                    Conversation.phone.in_(phones)
                )
            )
            return {phone: (state, data) for phone, state, data in rows}

    def outbound(self, phones: list[str]) -> list[tuple[str, str, str, str]]:
        """(phone, message id, status, body) of the replies queued for `phones`."""
        with self.sessions() as session:
            rows = session.execute(
                select(MessageLog.phone, MessageLog.id, MessageLog.status, MessageLog.body)
                .where(MessageLog.direction == "out", MessageLog.phone.in_(phones))
                .order_by(MessageLog.phone, MessageLog.created_at, MessageLog.id)
            )
            return [(phone, str(id_), status, body) for phone, id_, status, body in rows]

    def journal_bytes(self) -> int:
        """How much the disk journal holds (0 when it was never used)."""
        if not self.journal.exists():
            return 0
        return sum(path.stat().st_size for path in self.journal.rglob("*") if path.is_file())


def add_practice(sessions: sessionmaker[Session]) -> PracticeSetup:
    """Two services with free times days ahead (the real clock's): labels no clock can shift."""
    day = datetime.now(UTC).replace(hour=16, minute=0, second=0, microsecond=0)  # 10:00 CDMX
    day += timedelta(days=3)
    with sessions.begin() as session:
        profile = make_practice(session, emergency_phone="911")
        # Listed by name: "2" is the second, "Consulta general".
        general = make_service(session, profile, name="Consulta general")
        certificate = make_service(session, profile, name="Certificado médico", duration=30)
        for offset, service in ((0, general), (1, general), (2, certificate)):
            for half_hour in range(4):
                start = day + timedelta(days=offset, minutes=30 * half_hour)
                make_slot(session, service, start)
        number, service_id = profile.whatsapp_number or "", str(general.id)
    return PracticeSetup(number, service_id, (day - timedelta(hours=6)).date().isoformat())


@pytest.fixture
def deployment(
    pg_up: PgServer, redis_server: RedisServer, fake_twilio: FakeTwilio, tmp_path: Path
) -> Iterator[Deployment]:
    """A migrated database on the private cluster and a practice; the test starts the processes."""
    url = pg_up.create_database()
    base_url = f"http://127.0.0.1:{free_port()}"
    env = python_env() | {
        "DATABASE_URL": url,
        "REDIS_URL": redis_server.url,
        "PUBLIC_BASE_URL": base_url,
        "DEFERRED_INBOX_DIR": str(tmp_path / "deferred-inbox"),
        "CITABOT_ENV": "testing",
        "PYTHONUNBUFFERED": "1",
        "MESSAGING_BACKEND": "twilio",
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_API_BASE_URL": fake_twilio.base_url,
        "WHATSAPP_RATE_PER_SECOND": "10000",
    }
    migrated = subprocess.run(
        [BIN / "alembic", "upgrade", "head"], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert migrated.returncode == 0, migrated.stderr
    # The test's own reads: no pool, so nothing stale is left from before an outage.
    engine = create_engine(url, poolclass=NullPool)
    sessions = make_sessionmaker(engine)
    deployed = Deployment(
        pg_up, redis_server, fake_twilio, sessions, add_practice(sessions), env, tmp_path,
        base_url,
    )  # fmt: skip
    try:
        yield deployed
    finally:
        deployed.processes.stop_all()
        engine.dispose()


# redis: only PostgreSQL stops, messages wait in the Redis list; disk: Redis stops too, so
# they wait in the journal; embedded: no Redis at all (jobs run in the web processes).
@pytest.mark.parametrize("inbox", ["redis", "disk", "embedded"])
def test_no_message_is_lost_or_reordered_while_postgresql_is_down(
    inbox: str, deployment: Deployment
) -> None:
    app = deployment
    if inbox == "embedded":
        app.env["REDIS_URL"] = ""
    app.processes.start_gunicorn(app.base_url, workers=2)
    if inbox != "embedded":
        app.processes.start_worker(app.redis.url)  # a third replayer, and the deliveries
    # With the database up, a patient is answered in the TwiML: what every patient is owed.
    owed = app.chat(CONTROL)
    assert all(owed), f"a message went unanswered with the database up: {owed}"
    owed_in_order = [reply for replies in owed for reply in replies]
    [(state, data)] = app.conversations([CONTROL]).values()
    stands = (state, data.get("service_id"), data.get("day"))
    assert stands == (ENDS_IN, app.practice.service_id, app.practice.first_day), stands

    phones = [f"+52330000{n:04d}" for n in range(1, PATIENTS + 1)]
    sids = {phone: [new_sid() for _ in SAYS] for phone in phones}
    every_sid = [sid for own in sids.values() for sid in own]

    # -- the outage: PostgreSQL (and for the disk inbox, Redis) stops -----------------
    down_at = time.monotonic()
    app.pg.stop("fast")
    if inbox == "disk":
        app.redis.stop()
    answers = app.send_interleaved(sids)
    sent_in = time.monotonic() - down_at

    refused = {p: [(a.status, a.text[:200]) for a in own if a.status != 200]
               for p, own in answers.items()}  # fmt: skip
    refused = {phone: failures for phone, failures in refused.items() if failures}
    assert not refused, (
        f"{len(refused)}/{PATIENTS} patients had webhooks not answered 200 while PostgreSQL was"
        f" down, e.g. {next(iter(refused.items()))}"
    )
    deferred = texts.text("inbox_deferred", "es")
    heard = {phone: [a.replies for a in own] for phone, own in answers.items()}
    told_once = [[deferred], [], [], [], []]
    wrong = {phone: replies for phone, replies in heard.items() if replies != told_once}
    assert not wrong, (
        f"each patient's first message must get exactly {deferred!r} and the next four an"
        f" empty <Response/>; {len(wrong)}/{PATIENTS} differ, e.g. {next(iter(wrong.items()))}"
    )
    assert sent_in < OUTAGE, (
        f"the 100 webhooks took {sent_in:.1f} s with PostgreSQL down: slower than the outage"
    )

    down = app.backlogs()
    assert all(status == 503 for status, _ in down), down
    assert all(backlog == PATIENTS * len(SAYS) for _, backlog in down), (
        f"/readyz while down: (status, inbound_backlog) = {down}; expected 100 kept messages"
    )
    on_disk = app.journal_bytes()
    if inbox != "redis":
        assert on_disk > 0, f"Redis down too, yet nothing was journalled in {app.journal}"
    else:
        assert on_disk == 0, f"Redis was up, yet {on_disk} bytes went to the disk journal"

    time.sleep(max(0.0, OUTAGE - (time.monotonic() - down_at)))
    if inbox == "disk":
        app.redis.start()  # first, so the replayed replies' delivery jobs reach the worker
    app.pg.start()
    back_at = time.monotonic()

    # -- every message processed once, in order per phone -------------------------------
    def all_in() -> bool:
        return len(app.inbound(every_sid)) >= len(every_sid)

    until(all_in, 60)
    logged = app.inbound(every_sid)
    replayed_in = time.monotonic() - back_at
    counts = Counter(sid for _, sid in logged)
    missing = [sid for sid in every_sid if sid not in counts]
    assert not missing, (
        f"{len(missing)}/100 messages never reached message_log within 60 s of PostgreSQL"
        f" coming back; /readyz says {app.backlogs(2)};"
        f" gunicorn log:\n{app.processes.log('gunicorn')}"
    )
    twice = {sid: n for sid, n in counts.items() if n > 1}
    assert not twice, f"MessageSids logged more than once: {twice}"
    in_order = {phone: [sid for p, sid in logged if p == phone] for phone in phones}
    # As positions in the send order: [0, 2, 1, 3, 4] means the third went before the second.
    shuffled = {
        phone: [sids[phone].index(sid) for sid in order]
        for phone, order in in_order.items()
        if order != sids[phone]
    }
    assert not shuffled, (
        f"{len(shuffled)} phones' messages were processed out of send order, e.g."
        f" {list(shuffled.items())[:3]}"
    )

    conversations = app.conversations(phones)
    elsewhere = {
        phone: where for phone, (state, data) in conversations.items()
        if (where := (state, data.get("service_id"), data.get("day"))) != stands
    }  # fmt: skip
    assert len(conversations) == PATIENTS and not elsewhere, (
        f"conversations not where {SAYS} lead, {stands} (state, service, day) as for the"
        f" patient who wrote with the database up: {elsewhere}"
    )

    wait_for(lambda: all(b == (200, 0) for b in app.backlogs(4)), 30, "/readyz backlog 0")

    # -- each patient hears what a patient with the database up hears, once, in order -----
    def delivered() -> bool:
        rows = app.outbound(phones)
        return len(rows) >= PATIENTS * len(owed_in_order) and all(
            status == "sent" for _, _, status, _ in rows
        )

    until(delivered, 30)
    rows = app.outbound(phones)
    by_phone = {phone: [body for p, _, _, body in rows if p == phone] for phone in phones}
    unexpected = {
        phone: bodies for phone, bodies in by_phone.items()
        if Counter(bodies) != Counter(owed_in_order)
    }  # fmt: skip
    assert not unexpected, (
        f"the replies queued for {len(unexpected)} patients differ from the {len(owed_in_order)}"
        f" a patient gets with the database up, e.g. {next(iter(unexpected.items()))};"
        f" owed: {owed_in_order}"
    )
    unsent = Counter(status for _, _, status, _ in rows if status != "sent")
    assert not unsent, f"replies not sent within 30 s: {dict(unsent)}"
    sends = Counter(created.message_id for created in list(app.fake.created))
    ours = {id_ for _, id_, _, _ in rows}
    assert all(sends[uuid.UUID(id_)] == 1 for id_ in ours), "a reply reached Twilio twice, or never"
    heard_by = {phone: [c.body for c in app.fake.created if c.to == f"whatsapp:{phone}"]
                for phone in phones}  # fmt: skip

    # And the webhook answers in its TwiML again, at once.
    late = app.post(LATE, SAYS[0], new_sid())
    assert (late.status, late.replies) == (200, owed[0]), late.text

    # Last, as it is the outbox's order rather than the inbox's: positions among the owed
    # replies, [0, 1, 2, 4, 3] meaning the 5th reached the patient before the 4th.
    queued_as = {phone: [owed_in_order.index(body) for body in bodies]
                 for phone, bodies in by_phone.items()}  # fmt: skip
    reordered = {
        phone: [owed_in_order.index(body) for body in bodies]
        for phone, bodies in heard_by.items()
        if bodies != owed_in_order
    }
    assert not reordered, (
        f"{len(reordered)}/{PATIENTS} patients received their replies out of order:"
        f" {dict(list(reordered.items())[:3])} (positions among the replies a patient gets with"
        f" the database up: {owed_in_order}); queued in the outbox as (created_at order)"
        f" {dict(list(queued_as.items())[:3])}"
    )
    print(
        f"[{inbox}] 100 webhooks in {sent_in:.1f} s while down; all processed"
        f" {replayed_in:.1f} s after PostgreSQL came back"
    )
