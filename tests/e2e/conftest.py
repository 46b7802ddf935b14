"""End-to-end helpers: a practice, signed Twilio webhooks, and people who chat through them.

Every message goes through `POST /webhooks/whatsapp` exactly as Twilio would send it
(form-encoded, signed with the development token against the public base URL), and
the bot's replies are read back from the TwiML answer. The webhooks and the jobs
share the test's frozen clock.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from twilio.request_validator import RequestValidator
from werkzeug.test import TestResponse

from app.background import jobs
from app.background.dispatch import EXTENSION_KEY as DISPATCHER
from app.background.runtime import build_runtime, set_runtime
from app.config import DEVELOPMENT_TOKEN
from app.db import Base
from app.models import MedicalService, MessageLog, Practice, TimeSlot
from tests.conftest import FrozenClock
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
