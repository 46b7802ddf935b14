"""No dead end after a rejection or an expiry: the notice offers the nearest free times,
and two messages send the request again with the same answers.

The world's clock and free times are tests/e2e/conftest.py's: the patient books the
first time of the first day (Wednesday 2 December 2026, 10:00 in Mexico City).
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import World
from tests.e2e.test_conversation import book, conversation_of, es, request_of

pytestmark = pytest.mark.postgres


def test_a_rejection_offers_times_and_two_messages_book_again_with_the_same_answers(
    world: World,
) -> None:
    patient, doctor = world.patient(), world.doctor()
    book(patient)
    first = request_of(world, patient.phone)
    doctor.say(f"RECHAZAR {first.code} ese día no doy consulta")
    [told] = world.outbox(patient.phone, "patient_rejected")
    assert "Motivo: ese día no doy consulta" in told.body
    # The rejected time is not offered again; the nearest others are, numbered.
    assert "1. miércoles 2 de diciembre, 10:30" in told.body
    assert "2. miércoles 2 de diciembre, 11:00" in told.body
    offered = told.body.split("Horarios libres cercanos:\n")[1]
    assert "Responde con el número" in offered and "10:00" not in offered
    assert conversation_of(world, patient.phone).state == "booking_rebook"

    world.clock.advance(minutes=1)  # the new request is the later one
    confirm = patient.say("1")
    assert confirm[0].startswith("¿Enviamos a Dra. Prueba") and "10:30" in confirm[0]
    sent = patient.say("1")
    assert sent[0].startswith("✅ ¡Listo! Enviamos tu solicitud")
    again = request_of(world, patient.phone)
    assert again.code != first.code and again.status == "pending"
    assert (again.patient_name, again.patient_age, again.chief_complaint) == (
        first.patient_name, first.patient_age, first.chief_complaint,
    )  # fmt: skip
    assert again.urgency_level == first.urgency_level
    assert conversation_of(world, patient.phone).data == {}
    [notice] = world.outbox(doctor.phone, "doctor_new_request")[-1:]
    assert again.code in notice.body and "10:30" in notice.body


def test_a_hold_lapsing_at_its_deadline_offers_times_the_same_way(world: World) -> None:
    patient = world.patient()
    book(patient)
    first = request_of(world, patient.phone)
    world.clock.advance(minutes=31)
    world.run_jobs()  # the hold's own expiry job, due at its deadline
    assert request_of(world, patient.phone).status == "expired"
    [told] = world.outbox(patient.phone, "patient_expired")
    # The lapsed time is free again: offered first, then the nearest others.
    assert "1. miércoles 2 de diciembre, 10:00" in told.body
    assert "Responde con el número" in told.body
    assert patient.say("2")[0].startswith("¿Enviamos a Dra. Prueba")
    patient.say("sí")
    again = request_of(world, patient.phone)
    assert again.code != first.code and again.status == "pending"
    assert again.chief_complaint == first.chief_complaint


def test_a_patient_mid_booking_is_not_disturbed(world: World) -> None:
    patient, doctor = world.patient(), world.doctor()
    book(patient)
    code = request_of(world, patient.phone).code
    patient.say("1")  # starts another booking meanwhile: the day question
    doctor.say(f"RECHAZAR {code}")
    [told] = world.outbox(patient.phone, "patient_rejected")
    assert "• miércoles" in told.body and "Escribe *menu* para agendar uno." in told.body
    assert conversation_of(world, patient.phone).state == "booking_day"
    assert patient.say("1")[0].startswith("🕐 ¿A qué hora")


def test_the_menu_word_leaves_the_offer(world: World) -> None:
    patient, doctor = world.patient(), world.doctor()
    book(patient)
    doctor.say(f"RECHAZAR {request_of(world, patient.phone).code}")
    assert patient.say("menu") == [es("patient.menu")]
    assert conversation_of(world, patient.phone).data == {}
