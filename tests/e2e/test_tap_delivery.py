"""Lists and buttons as WhatsApp shows them: sent through the REST API from the content
pool, and tapped back with the ids Twilio returns.

Twilio is the fake (tests/fake_twilio.py), strict about content: a ContentSid it did
not create, an empty variable or a field over its limit is refused as Twilio refuses
it. The pool is synced into it first, as `flask content sync` would. The world's clock
and free times are tests/e2e/conftest.py's: one service, four free times on Wednesday
2 and on Thursday 3 December 2026 from 10:00 (Mexico City); the clock stands at Tuesday
1 December 2026, 09:00 there.
The practice asks no age, so a first booking is ten messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker
from twilio.rest import Client

from app import create_app
from app.background.runtime import build_runtime, set_runtime
from app.db import get_database
from app.messaging.content_pool import sync
from app.models import ContentResource, MessageLog
from app.web.webhooks import TAPPABLE_KEY
from bot_flows.patient_booking import slot_choice
from bot_flows.texts import text
from tests.conftest import FrozenClock
from tests.e2e.conftest import DAY_1, DAY_2, Person, World, free_times, make_practice_setup
from tests.e2e.test_conversation import request_of
from tests.factories import twilio_config
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, LIST_PICKER, QUICK_REPLY, Created, FakeTwilio

pytestmark = pytest.mark.postgres

INTAKE_WITHOUT_AGE = {"age": "off"}
REASON = "Dolor de garganta y fiebre desde hace 3 días"


@dataclass
class Phone:
    """A WhatsApp user: what they write goes to the webhook, what they get is read at the fake."""

    person: Person
    world: World
    fake: FakeTwilio
    seen: int = 0
    written: int = 0
    received: list[Created] = field(default_factory=list)

    def write(self, body: str, **tapped: str) -> list[Created]:
        """Send one message; every message it gets back, as delivered to Twilio, in order."""
        self.written += 1
        twiml = self.person.say(body, **tapped)
        while self.world.run_jobs():
            pass
        new = self.arrived()
        assert not (twiml and new), "a turn's replies go one way: TwiML or the REST API"
        got = new or [_as_text(reply) for reply in twiml]
        self.received.extend(got[len(new) :])
        return got

    def arrived(self) -> list[Created]:
        """What reached this phone through the REST API since last looked at."""
        mine = [c for c in self.fake.created if c.to == f"whatsapp:{self.person.phone}"]
        new, self.seen = mine[self.seen :], len(mine)
        self.received.extend(new)
        return new

    def tap(self, message: Created, id_or_title: str) -> list[Created]:
        """Tap a button or a list item of `message`, sending exactly what WhatsApp sends."""
        assert message.rendered is not None, message.body
        choice = message.rendered.choice(id_or_title)
        if message.rendered.kind == LIST_PICKER:
            return self.write(choice.title, ListId=choice.id, ListTitle=choice.title)
        return self.write(choice.title, ButtonPayload=choice.id, ButtonText=choice.title)


def _as_text(body: str) -> Created:
    """A TwiML reply seen as a received text message (no content)."""
    return Created("", "", "", body, None, None, None, datetime.now(UTC))


def text_of(message: Created) -> str:
    return message.rendered.body if message.rendered else message.body or ""


@pytest.fixture
def tapping(
    database_url: str,
    sessions: sessionmaker[Session],
    clock: FrozenClock,
    fake_twilio: FakeTwilio,
) -> Iterator[World]:
    """The app on Twilio (the fake) with the content pool synced, lists and buttons on."""
    config = twilio_config(database_url, fake_twilio, interactive_replies="auto")
    app = create_app(config)
    app.config["TESTING"] = True
    set_runtime(app, build_runtime(app, clock=clock, http_client=fake_twilio.http_client()))
    fake_twilio.strict_content = True
    client = Client(ACCOUNT_SID, AUTH_TOKEN, http_client=fake_twilio.http_client())
    sync(sessions, client, ACCOUNT_SID, ("es", "en"))
    starts = free_times(DAY_1, 4) + free_times(DAY_2, 4)
    practice = make_practice_setup(sessions, starts, intake=INTAKE_WITHOUT_AGE)
    yield World(app, sessions, clock, practice)
    get_database(app).engine.dispose()


def phone_of(world: World, fake: FakeTwilio, person: Person | None = None) -> Phone:
    return Phone(person or world.patient(), world, fake)


def test_a_first_booking_by_taps_takes_ten_messages_with_lists_and_buttons(
    tapping: World, fake_twilio: FakeTwilio
) -> None:
    patient = phone_of(tapping, fake_twilio)

    welcome = patient.write("hola")
    consent = welcome[-1]
    assert consent.rendered is not None and consent.rendered.kind == QUICK_REPLY
    assert "¿Aceptas?" in consent.rendered.body and "1. Sí" not in consent.rendered.body
    # The welcome opens the question's bubble: one message, the text first, then the buttons.
    assert len(welcome) == 1 and text_of(consent).startswith("¡Hola! 👋")
    menu = patient.tap(consent, "Sí, acepto")[-1]
    assert menu.rendered is not None and menu.rendered.kind == LIST_PICKER
    assert menu.rendered.button == "Ver opciones"
    days = patient.tap(menu, "menu:1")[-1]  # one service: its days at once
    times = patient.tap(days, f"day:{DAY_1.date().isoformat()}")[-1]
    assert text_of(times).startswith("🕐 ¿A qué hora, el miércoles 2 de diciembre?")
    second = tapping.practice.slots[1]
    name = patient.tap(times, slot_choice(str(second.id), second.start_time.isoformat()))
    assert text_of(name[-1]) == "¿Cuál es tu nombre completo?"
    patient.write("Ana Pérez")
    health = patient.write(REASON)
    urgency = patient.write("no")[-1]
    assert health and urgency.rendered is not None
    summary = patient.tap(urgency, "Normal")[-1]
    assert text_of(summary).startswith("📋 Revisa tu solicitud")
    sent = patient.tap(summary, "Confirmar")

    assert len(sent) == 1 and text_of(sent[0]).startswith("✅ ¡Listo! Enviamos tu solicitud")
    assert sent[0].rendered is not None and sent[0].rendered.choice("menu:1")  # and the menu
    assert patient.written == 10
    request = request_of(tapping, patient.person.phone)
    assert request.requested_time == second.start_time and request.patient_name == "Ana Pérez"
    # Every question with choices went as content through the REST API (with the texts of
    # its turn); a turn without choices (the name, the health questions) stayed TwiML.
    asked = [m for m in patient.received if m.rendered is not None]
    assert len(asked) == 7 and all(m.sid.startswith("SM") for m in asked)
    assert {text_of(m) for m in patient.received if not m.sid} >= {"¿Cuál es tu nombre completo?"}


def test_the_same_booking_by_typing_numbers_and_words(
    tapping: World, fake_twilio: FakeTwilio
) -> None:
    patient = phone_of(tapping, fake_twilio)
    for typed in ("hola", "si", "agendar", "mañana", "10:30", "Ana Pérez", REASON, "no"):
        patient.write(typed)
    patient.write("normal")
    sent = patient.write("confirmar")

    assert text_of(sent[0]).startswith("✅ ¡Listo! Enviamos tu solicitud")
    assert request_of(tapping, patient.person.phone).requested_time == DAY_1.replace(minute=30)


def test_a_tap_on_an_old_list_after_its_time_was_taken_offers_fresh_times(
    tapping: World, fake_twilio: FakeTwilio
) -> None:
    patient, other = phone_of(tapping, fake_twilio), phone_of(tapping, fake_twilio)
    patient.write("hola")
    patient.write("1")
    days = patient.write("1")[-1]
    old_times = patient.tap(days, f"day:{DAY_1.date().isoformat()}")[-1]
    patient.write("otro día")
    patient.write("2")  # the second day's times now
    for typed in ("hola", "1", "1", "1", "10:00", "Ana Ruiz", REASON, "no", "2"):
        other.write(typed)
    held = other.write("1")  # day 1's 10:00 is held for someone else
    assert text_of(held[0]).startswith("✅")

    first = tapping.practice.slots[0]
    answer = patient.tap(old_times, slot_choice(str(first.id), first.start_time.isoformat()))

    fresh = answer[-1]  # one bubble: the time is gone, and the fresh times
    assert len(answer) == 1 and fresh.rendered is not None
    gone, question = text_of(fresh).split("\n\n")
    assert gone == text("patient.slot_gone", "es")
    assert question.startswith("🕐 ¿A qué hora, el jueves 3 de diciembre?")
    day_two = tapping.practice.slots[4]
    assert day_two.start_time == DAY_2
    picked = patient.tap(fresh, slot_choice(str(day_two.id), day_two.start_time.isoformat()))
    assert text_of(picked[-1]) == "¿Cuál es tu nombre completo?"


def test_the_doctor_approves_from_the_pending_list_sent_as_a_list(
    tapping: World, fake_twilio: FakeTwilio
) -> None:
    patient = phone_of(tapping, fake_twilio)
    for typed in ("hola", "1", "1", "1", "10:00", "Ana Ruiz", REASON, "no", "2", "1"):
        patient.write(typed)
    code = request_of(tapping, patient.person.phone).code
    doctor = phone_of(tapping, fake_twilio, tapping.doctor())

    pending = doctor.write("PENDIENTES")[-1]

    assert pending.rendered is not None and pending.rendered.kind == LIST_PICKER
    assert pending.rendered.button == "Ver solicitudes"
    doctor.tap(pending, f"APROBAR {code}")
    assert request_of(tapping, patient.person.phone).status == "approved"


def test_inside_the_window_the_doctors_notice_comes_with_aprobar_and_rechazar(
    tapping: World, fake_twilio: FakeTwilio
) -> None:
    doctor = phone_of(tapping, fake_twilio, tapping.doctor())
    doctor.write("PENDIENTES")  # the doctor wrote: the 24-hour window is open, no template set
    patient = phone_of(tapping, fake_twilio)
    for typed in ("hola", "1", "1", "1", "10:00", "Ana Ruiz", REASON, "no", "2", "1"):
        patient.write(typed)
    code = request_of(tapping, patient.person.phone).code

    notice = doctor.arrived()[-1]
    assert notice.rendered is not None and notice.rendered.kind == QUICK_REPLY
    assert text_of(notice).startswith(f"🩺 Nueva solicitud {code}")
    assert [(c.id, c.title) for c in notice.rendered.choices] == [
        (f"APROBAR {code}", "Aprobar"),
        (f"RECHAZAR {code}", "Rechazar"),
    ]
    doctor.tap(notice, "Aprobar")
    assert request_of(tapping, patient.person.phone).status == "approved"


def test_a_resource_made_again_at_twilio_is_used_once_the_refused_send_is_retried(
    tapping: World, fake_twilio: FakeTwilio, sessions: sessionmaker[Session]
) -> None:
    """Delivery keeps the pool's SIDs a minute; a SID Twilio no longer knows is retried."""
    first = phone_of(tapping, fake_twilio)
    old = first.write("hola")[-1].content_sid  # the consent's buttons: the SID is now kept
    client = Client(ACCOUNT_SID, AUTH_TOKEN, http_client=fake_twilio.http_client())
    assert old is not None
    client.content.v1.contents(old).delete()
    sync(sessions, client, ACCOUNT_SID, ("es", "en"))  # made again: a new SID

    second = phone_of(tapping, fake_twilio)
    assert second.write("hola") == []  # refused (21655): nothing reached the patient yet
    tapping.clock.advance(minutes=5)
    tapping.tick()  # the retry, due by now
    consent = second.arrived()[-1]
    assert consent.content_sid not in (None, old) and consent.rendered is not None
    assert consent.rendered.choice("consent:1").title == "Sí, acepto"


def test_without_a_synced_pool_the_choices_go_as_numbered_text_in_twiml(
    tapping: World, fake_twilio: FakeTwilio, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        session.execute(delete(ContentResource))
    tapping.app.extensions.pop(TAPPABLE_KEY, None)  # a new process: the pool read afresh
    patient = tapping.patient()

    replies = patient.say("hola")

    assert replies[-1].endswith("¿Aceptas?\n1. Sí, acepto\n2. No acepto")
    with sessions() as session:
        queued = session.scalars(select(MessageLog).where(MessageLog.status == "queued")).all()
    assert queued == []
