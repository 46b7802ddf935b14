"""End-to-end helpers: a practice, signed Twilio webhooks, and people who chat through them.

Every message goes through `POST /webhooks/whatsapp` exactly as Twilio would send it
(form-encoded, signed with the development token against the public base URL), and
the bot's replies are read back from the TwiML answer. The webhooks and the jobs
share the test's frozen clock.
"""

from __future__ import annotations

import dataclasses
import itertools
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from twilio.request_validator import RequestValidator
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.test import TestResponse

from app import create_app
from app.background import jobs
from app.background.dispatch import EXTENSION_KEY as DISPATCHER
from app.background.runtime import build_runtime, set_runtime
from app.config import DEVELOPMENT_TOKEN, Config
from app.db import Base, get_database
from app.models import MedicalService, MessageLog, Practice, TimeSlot
from app.practices.clinic_file import load_clinic_file
from app.practices.setup import import_clinic
from app.scheduling.generation import generate_slots
from tests.conftest import ROOT, FrozenClock
from tests.factories import make_practice, make_service, make_slot

PATH = "/webhooks/whatsapp"
_sids = itertools.count(1)
# Local (Mexico City, UTC-6) starts of the practice's free times, days after the clock's today.
DAY_1 = datetime(2026, 12, 2, 16, 0, tzinfo=UTC)  # Wednesday 10:00 local
DAY_2 = datetime(2026, 12, 3, 16, 0, tzinfo=UTC)  # Thursday 10:00 local


def sign(config_url: str, form: Mapping[str, str], token: str = DEVELOPMENT_TOKEN) -> str:
    """The X-Twilio-Signature Twilio would send for `form` posted to `config_url`."""
    return RequestValidator(token).compute_signature(config_url, dict(form))


def new_sid() -> str:
    return f"SM{next(_sids):06d}{uuid.uuid4().hex[:24]}"


def replies_of(response: TestResponse) -> list[str]:
    """The messages of a TwiML answer, in order."""
    root = ElementTree.fromstring(response.get_data(as_text=True))
    return [message.text or "" for message in root.iter("Message")]


@dataclass
class PracticeSetup:
    """The practice under test: its profile, its one service and its free times."""

    profile: Practice
    service: MedicalService
    slots: list[TimeSlot]

    @property
    def number(self) -> str:
        return self.profile.whatsapp_number or ""

    @property
    def doctor_phone(self) -> str:
        return self.profile.doctor_phone or ""


@dataclass
class Person:
    """Someone writing to a practice's WhatsApp number through the signed webhook."""

    client: FlaskClient
    phone: str
    practice_number: str
    base_url: str
    heard: list[list[str]] = field(default_factory=list)
    token: str = DEVELOPMENT_TOKEN  # what the app checks webhook signatures against

    def post(self, body: str | None, sid: str | None = None, **extra: str) -> TestResponse:
        """Send one message (signed); the raw response."""
        form = {
            "MessageSid": sid or new_sid(),
            "AccountSid": "AC" + "0" * 32,
            "From": f"whatsapp:{self.phone}",
            "To": f"whatsapp:{self.practice_number}",
            "NumMedia": "0",
        }
        if body is not None:
            form["Body"] = body
        form |= extra
        signature = sign(self.base_url + PATH, form, self.token)
        return self.client.post(PATH, data=form, headers={"X-Twilio-Signature": signature})

    def say(self, body: str | None, sid: str | None = None, **extra: str) -> list[str]:
        """Send one message and return the bot's replies (asserting a 200 with TwiML)."""
        response = self.post(body, sid, **extra)
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.mimetype == "application/xml"
        replies = replies_of(response)
        self.heard.append(replies)
        return replies

    def says(self, *bodies: str) -> list[str]:
        """Several messages in a row; the replies to the last one."""
        replies: list[str] = []
        for body in bodies:
            replies = self.say(body)
        return replies


@dataclass
class World:
    """The app under test, its database, its clock and a practice; makes people to chat."""

    app: Flask
    sessions: sessionmaker[Session]
    clock: FrozenClock
    practice: PracticeSetup
    _phones: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def base_url(self) -> str:
        return self.app.config["CITABOT"].public_base_url

    def patient(self, phone: str | None = None, practice: PracticeSetup | None = None) -> Person:
        phone = phone or f"+5233{next(self._phones):08d}"  # Guadalajara; the doctors are in CDMX
        return self.person(phone, practice or self.practice)

    def doctor(self, practice: PracticeSetup | None = None) -> Person:
        practice = practice or self.practice
        return self.person(practice.doctor_phone, practice)

    def person(self, phone: str, practice: PracticeSetup) -> Person:
        token = self.app.config["CITABOT"].webhook_token
        return Person(self.app.test_client(), phone, practice.number, self.base_url, token=token)

    def run_jobs(self) -> int:
        """Run the in-process dispatcher's due follow-ups (deliveries) and periodic duties."""
        return self.app.extensions[DISPATCHER].run_due()

    def tick(self) -> jobs.TickReport:
        """`flask jobs tick` at the clock's time: expiries, reminders, deliveries."""
        with self.app.app_context():
            return jobs.tick()

    def outbox(self, phone: str, purpose: str | None = None) -> list[MessageLog]:
        """Messages queued (or sent) to `phone` by the system, not replies in the TwiML."""
        query = select(MessageLog).where(
            MessageLog.direction == "out",
            MessageLog.phone == phone,
            MessageLog.purpose != "reply",
        )
        if purpose is not None:
            query = query.where(MessageLog.purpose == purpose)
        with self.sessions() as session:
            return list(session.scalars(query.order_by(MessageLog.created_at)))

    def row_counts(self) -> dict[str, int]:
        """How many rows each table holds: a request that changes nothing keeps all equal."""
        with self.sessions() as session:
            return {
                table.name: session.scalar(select(func.count()).select_from(table)) or 0
                for table in Base.metadata.sorted_tables
            }


def make_practice_setup(
    sessions: sessionmaker[Session], starts: list[datetime], **fields: object
) -> PracticeSetup:
    """A practice with one 30-minute service and a free time at each of `starts`."""
    with sessions.begin() as session:
        profile = make_practice(session, emergency_phone="911", **fields)
        service = make_service(session, profile, name="Consulta general")
        slots = [make_slot(session, service, start) for start in starts]
        session.expunge_all()
    return PracticeSetup(profile, service, slots)


def free_times(first: datetime, count: int) -> list[datetime]:
    """`count` half-hour times in a row from `first`."""
    return [first + timedelta(minutes=30 * n) for n in range(count)]


@pytest.fixture
def world(app: Flask, sessions: sessionmaker[Session], clock: FrozenClock) -> World:
    """The app with the frozen clock everywhere, and a practice with free times on two days."""
    set_runtime(app, build_runtime(app, clock=clock))
    practice = make_practice_setup(sessions, free_times(DAY_1, 4) + free_times(DAY_2, 4))
    return World(app, sessions, clock, practice)


# --- the app served to a real browser (the simulator's and the desk's browser tests) -------

CHROMIUM = Path("/usr/bin/chromium")
START = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # Tuesday, 09:00 in Mexico City
WAIT_MS = 10_000


class RunningClock:
    """The app's clock: `START`, then moving with the real time."""

    def __init__(self, start: datetime) -> None:
        self.start, self.began = start, time.monotonic()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self.began)


class QuietHandler(WSGIRequestHandler):
    """No access log line per request: the page polls every 1.5 s."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


@dataclass
class Served:
    url: str
    profile_id: Any
    doctor_phone: str
    clock: RunningClock
    sessions: sessionmaker[Session]


@pytest.fixture
def served(config: Config, sessions: sessionmaker[Session]) -> Iterator[Served]:
    """The app on a loopback port, with the demo practice and 30 days of its slots."""
    app = create_app(
        dataclasses.replace(config, environment="development", interactive_replies="auto")
    )
    app.config["TESTING"] = True  # no embedded job thread outliving the test
    clock = RunningClock(START)
    set_runtime(app, build_runtime(app, clock=clock))
    clinic = load_clinic_file(ROOT / "examples" / "demo_clinic.yaml")
    profile_id = import_clinic(sessions, clinic, clock()).profile_id
    generate_slots(sessions, now=clock(), days=30, profile_id=profile_id)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        yield Served(url, profile_id, clinic.doctor_phone or "", clock, sessions)
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
        get_database(app).engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium driven by Playwright (which never downloads a browser here)."""
    playwright = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium: `make browser` installs Debian's")
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM))
        yield browser
        browser.close()
