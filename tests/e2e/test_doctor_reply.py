"""The doctor answers a patient through the practice number, end to end.

A patient asks for a person (menu option 4) and writes a question; the relayed
question reaches the doctor; the doctor answers with RESPONDER and with WhatsApp's
reply gesture (Twilio's `OriginalRepliedMessageSid`); both answers go out from the
practice number, logged like any message, and the hand-off goes on. The clock stands
at Tuesday 1 December 2026, 09:00 in Mexico City (tests/conftest.py).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import Conversation
from bot_flows.texts import text
from tests.e2e.conftest import Person, World

pytestmark = pytest.mark.postgres


def es(key: str, **values: object) -> str:
    return text(key, "es", **values)


def asks_for_a_person(patient: Person) -> None:
    """A new patient accepts the privacy notice and picks "talk to the practice"."""
    patient.say("hola")
    patient.say("1")
    assert patient.say("4") == [es("patient.handoff")]


def national(phone: str) -> str:
    """A Mexican number as a doctor types it at home: "33 0000 0001"."""
    digits = phone.removeprefix("+52")
    return f"{digits[:2]} {digits[2:6]} {digits[6:]}"


def test_the_doctors_answers_reach_the_patient_from_the_practice_number(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    patient, doctor = world.patient(), world.doctor()
    asks_for_a_person(patient)
    assert patient.say("¿Puedo tomar ibuprofeno?") == []  # the bot stays quiet
    world.run_jobs()
    [relay] = world.outbox(doctor.phone, "doctor_patient_message")
    assert relay.provider_sid and relay.status == "sent"
    assert relay.body.endswith(f"RESPONDER {patient.phone} <texto>.")

    world.clock.advance(minutes=5)
    by_command = doctor.say(f"RESPONDER {national(patient.phone)} Sí, cada 8 horas con comida")
    world.clock.advance(minutes=1)
    by_reply = doctor.say("Y toma mucha agua 💧", OriginalRepliedMessageSid=relay.provider_sid)
    world.clock.advance(minutes=1)
    # "No" in a reply to a relay is words for the patient, never a rejection.
    by_no = doctor.say("No manejes si te da sueño", OriginalRepliedMessageSid=relay.provider_sid)
    ack = es("doctor.reply_sent", patient=patient.phone)
    assert by_command == by_reply == by_no == [ack]
    world.run_jobs()

    answers = world.outbox(patient.phone, "doctor_reply")
    doctor_name = world.practice.profile.name
    assert [(m.direction, m.phone, m.status, m.body) for m in answers] == [
        ("out", patient.phone, "sent", f"*{doctor_name}:* Sí, cada 8 horas con comida"),
        ("out", patient.phone, "sent", f"*{doctor_name}:* Y toma mucha agua 💧"),
        ("out", patient.phone, "sent", f"*{doctor_name}:* No manejes si te da sueño"),
    ]
    printed = capsys.readouterr().out
    assert printed.count(f"WhatsApp {world.practice.number} -> {patient.phone} (doctor_reply") == 3

    # The hand-off goes on: the patient's next words are passed on, not answered.
    assert patient.say("Gracias, doctora") == []
    with world.sessions() as session:
        conversation = session.scalars(
            select(Conversation).where(Conversation.phone == patient.phone)
        ).one()
    assert conversation.handoff_until is not None
    assert len(world.outbox(doctor.phone, "doctor_patient_message")) == 2


def test_the_hand_off_notice_can_be_answered_by_replying_to_it(world: World) -> None:
    patient, doctor = world.patient(), world.doctor()
    asks_for_a_person(patient)
    world.run_jobs()
    [notice] = world.outbox(doctor.phone, "doctor_handoff")
    assert f"RESPONDER {patient.phone}" in notice.body and notice.provider_sid
    doctor.say("Hola, te llamo en 5 minutos", OriginalRepliedMessageSid=notice.provider_sid)
    [answer] = world.outbox(patient.phone, "doctor_reply")
    assert answer.body.endswith(":* Hola, te llamo en 5 minutos")


def test_a_reply_to_a_new_request_notice_is_still_a_command(world: World) -> None:
    doctor = world.doctor()
    world.run_jobs()
    assert doctor.say("PENDIENTES", OriginalRepliedMessageSid="SM" + "0" * 32) == [
        es("doctor.nothing_pending")
    ]


def test_a_patient_silent_for_over_24_hours_cannot_get_free_text(world: World) -> None:
    patient, doctor = world.patient(), world.doctor()
    asks_for_a_person(patient)  # at 09:00 on Tuesday 1 December
    world.clock.advance(hours=25)
    [said] = doctor.say(f"RESPONDER {patient.phone} ¿Cómo sigues?")
    assert said == es(
        "doctor.reply_window_closed",
        patient=patient.phone,
        last_wrote="martes 1 de diciembre, 09:00",
    )
    assert world.outbox(patient.phone, "doctor_reply") == []


def test_a_number_that_never_wrote_gets_nothing(world: World) -> None:
    doctor = world.doctor()
    assert doctor.say("RESPONDER +52 33 9999 8888 Hola") == [
        es("doctor.reply_unknown_patient", phone="+523399998888")
    ]
    assert world.outbox("+523399998888") == []


@pytest.mark.parametrize("quoted", ["x" * 65, "SM\x00", "SM 1", "../SM1"])
def test_a_reply_quoting_no_message_of_ours_is_read_as_it_is(world: World, quoted: str) -> None:
    doctor = world.doctor()
    assert doctor.say("PENDIENTES", OriginalRepliedMessageSid=quoted) == [
        es("doctor.nothing_pending")
    ]
