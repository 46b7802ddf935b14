"""The flood limit through the inbox, on PostgreSQL and on SQLite alike.

A patient tapping through a booking is answered exactly as one who writes slowly
enough never to touch the limit; a script is limited; a message that is not read
is said to be unread and the question stays the same. The clock is fixed:
Tuesday 2026-12-01 15:00 UTC, free times the next two days.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.conversation.flood_limit import FloodLimit
from app.conversation.inbox import InboundMessage, InboxSettings, receive
from app.models import Conversation, MessageLog
from bot_flows.patient_states import PatientState
from bot_flows.texts import render_notification, text
from tests.conftest import FrozenClock
from tests.factories import make_practice, make_service, make_slot

FIRST_FREE = datetime(2026, 12, 2, 16, 0, tzinfo=UTC)  # Wednesday 10:00 in Mexico City
SETTINGS = InboxSettings(render=render_notification)
UNLIMITED = InboxSettings(render=render_notification, flood=FloodLimit(burst=10**6))
# A booking by numbers and short answers, then browsing: each answers the question before.
BOOKING = [
    "hola", "1", "1", "1", "1", "María Pérez", "34", "1", "Dolor de garganta y fiebre",
    "no", "no", "no", "2", "1", "menu", "2", "menu",
]  # fmt: skip
BROWSING = [
    "1", "menu", "ayuda", "2", "menu", "1", "1", "menu", "hola", "gracias", "3", "menu", "2",
]  # fmt: skip
_sids = itertools.count()
CODE = re.compile(r"\*[A-Z0-9]{4,8}\*")


@dataclass
class Writer:
    sessions: sessionmaker[Session]
    practice_number: str
    phone: str
    settings: InboxSettings

    def say(self, body: str, now: datetime) -> list[str]:
        message = InboundMessage(f"SMflood{next(_sids)}", self.phone, self.practice_number, body)
        return receive(self.sessions, message, now, self.settings).replies

    def state(self) -> str:
        with self.sessions() as session:
            query = select(Conversation.state).where(Conversation.phone == self.phone)
            return session.scalars(query).one()


def writer(sessions: sessionmaker[Session], settings: InboxSettings, n: int) -> Writer:
    """A patient of a fresh practice named alike, with free times on two days."""
    with sessions.begin() as session:
        practice = make_practice(session, name="Dra. Ana López", emergency_phone="911")
        service = make_service(session, practice, name="Consulta general")
        for day, half_hour in itertools.product(range(2), range(4)):
            start = FIRST_FREE + timedelta(days=day, minutes=30 * half_hour)
            make_slot(session, service, start)
        number = str(practice.whatsapp_number)
    return Writer(sessions, number, f"+52155{n:08d}", settings)


def conversation(
    patient: Writer, bodies: list[str], start: datetime, seconds: float
) -> list[tuple[list[str], str]]:
    """Each message's replies and the state after it, `bodies` spread over `seconds`.

    A request's code is drawn at random: it reads as *CODE*.
    """
    step = timedelta(seconds=seconds / len(bodies))
    said = []
    for n, body in enumerate(bodies):
        replies = [CODE.sub("*CODE*", reply) for reply in patient.say(body, start + n * step)]
        said.append((replies, patient.state()))
    return said


@pytest.mark.parametrize(
    ("bodies", "seconds"), [(BOOKING, 30), (BOOKING + BROWSING, 30), (BOOKING + BROWSING, 3)]
)
def test_a_person_tapping_fast_is_answered_as_one_who_never_meets_the_limit(
    any_sessions: sessionmaker[Session], clock: FrozenClock, bodies: list[str], seconds: float
) -> None:
    fast = conversation(writer(any_sessions, SETTINGS, 1), bodies, clock(), seconds)
    unlimited = conversation(writer(any_sessions, UNLIMITED, 2), bodies, clock(), seconds)

    assert fast == unlimited
    assert all(replies for replies, _ in fast)
    states = [state for _, state in fast]
    assert PatientState.TIME in states and PatientState.SUMMARY in states  # it did book


def test_a_script_is_limited_and_told_once(
    any_sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    script = writer(any_sessions, SETTINGS, 3)
    script.say("hola", clock())
    script.say("1", clock())  # consents: at the menu
    start = clock.advance(minutes=1)

    answers = [script.say("hola", start + timedelta(seconds=n * 0.3)) for n in range(200)]

    assert all(answers[:35])  # the bucket's thirty and five given back meanwhile
    assert answers[35] == [text("flood_unread", "es", quote="hola")]
    assert answers[36:] == [[]] * 164
    assert script.state() == PatientState.MENU
    with any_sessions() as session:
        bodies = session.scalars(
            select(MessageLog.body)
            .where(MessageLog.phone == script.phone, MessageLog.direction == "in")
            .order_by(MessageLog.created_at)
        ).all()
    assert bodies[-165:] == ["[limitado: 4 caracteres]"] * 165
    stopped = start + timedelta(seconds=199 * 0.3)
    assert script.say("menu", stopped + timedelta(seconds=30)) == []
    assert script.say("menu", stopped + timedelta(minutes=2)) == [text("patient.menu", "es")]


def test_a_message_not_read_is_named_and_the_question_stays(
    any_sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    patient = writer(any_sessions, SETTINGS, 4)
    patient.say("hola", clock())
    patient.say("1", clock())
    patient.say("1", clock())  # book: which day?
    assert patient.state() == PatientState.DAY
    for _ in range(27):  # the bucket's thirty, all at once
        assert patient.say("ayuda", clock())

    unread = patient.say("1  de   los   días", clock())
    also_unread = patient.say("1", clock())

    assert unread == [text("flood_unread", "es", quote="1 de los días")]
    assert also_unread == []
    assert patient.state() == PatientState.DAY
    picked = patient.say("1", clock.advance(seconds=6))
    assert picked and patient.state() == PatientState.TIME


def test_before_consent_an_unread_message_is_not_quoted(
    any_sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    patient = writer(any_sessions, SETTINGS, 5)
    for _ in range(30):
        patient.say("hola", clock())
    assert patient.say("me duele la cabeza", clock()) == [text("flood", "es")]
    with any_sessions() as session:
        logged = session.scalars(select(MessageLog.body)).all()
    assert not any("cabeza" in body for body in logged)
