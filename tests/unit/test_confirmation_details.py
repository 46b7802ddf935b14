"""What the patient's confirmation says of the practice: the doctor by name and grammar,
the address, the price and the cancellation policy, each only when the practice set it.

The fake practice's clock is fixed (tests/unit/fake_patient_services.NOW, Monday
2026-11-30 09:00 in Mexico City); the first free time is Tuesday 2026-12-01 10:00.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tests.unit.fake_patient_services import PRACTICE, FakePatientServices, Patient
from tests.unit.test_patient_flow import INTAKE, TO_MENU

ADDRESS = "Av. Insurgentes Sur 1234, consultorio 502"
POLICY = "Cancela con 24 horas de anticipación."
EVERYTHING = {"address": ADDRESS, "show_prices": True, "currency": "MXN"}
NOTHING = {"address": None, "show_prices": False, "currency": None, "cancellation_policy": None}


def confirmation(language: str = "es", approval_required: bool = False, **practice: Any) -> str:
    """The text of the patient's last message after booking the only service (500.00)."""
    services = FakePatientServices.with_services(
        "Consulta general",
        practice=replace(PRACTICE, **practice),
        approval_required=approval_required,
    )
    patient = Patient(services, language=language)
    greeting = {"es": TO_MENU, "en": ("Hello, I need an appointment", "1")}[language]
    patient.say(*greeting, "1", "1", "1", *INTAKE)  # one service: no service question
    reply = patient.send("1")
    expected = "patient.requested" if approval_required else "patient.booked"
    assert reply.keys == [expected, "patient.menu"]
    return reply.text


def test_a_booking_shows_the_address_the_price_and_the_policy() -> None:
    text = confirmation(**EVERYTHING)
    assert f"confirmada para el martes 1 de diciembre, 10:00.\n📍 {ADDRESS}\n" in text
    assert "\n💵 Precio: $500.00\n" in text
    assert f"\n📋 {POLICY}" in text


def test_a_request_shows_them_too_and_whose_answer_to_wait_for() -> None:
    text = confirmation(approval_required=True, **EVERYTHING)
    assert "Tendrás la respuesta de la Dra. Ana López antes de las" in text
    assert f"📍 {ADDRESS}" in text and "💵 Precio: $500.00" in text and POLICY in text


def test_what_the_practice_did_not_set_is_left_out() -> None:
    text = confirmation(**NOTHING)
    assert text.startswith(
        "✅ ¡Listo! Tu cita *K00001* quedó confirmada para el martes 1 de diciembre, 10:00.\n\n"
    )
    assert "📍" not in text and "💵" not in text and "📋" not in text


def test_prices_stay_hidden_unless_the_practice_shows_them() -> None:
    text = confirmation(address=ADDRESS, show_prices=False, currency="MXN")
    assert "💵" not in text and "500" not in text
    assert f"📍 {ADDRESS}" in text


def test_in_english_the_price_names_its_currency() -> None:
    text = confirmation(language="en", **EVERYTHING)
    assert "\n💵 Price: MX$500.00\n" in text and f"📍 {ADDRESS}" in text


def test_the_doctor_is_named_with_the_right_article_for_a_title_given_apart() -> None:
    doctor = {"name": "Juan Ruiz", "doctor_title": "Dr.", "doctor_gender": "m"}
    text = confirmation(approval_required=True, **doctor)
    assert "Tendrás la respuesta del Dr. Juan Ruiz antes de las" in text


def test_a_doctor_without_gender_is_named_without_an_article() -> None:
    doctor = {"name": "Sam Ruiz", "doctor_title": "Lic.", "doctor_gender": "x"}
    text = confirmation(approval_required=True, **doctor)
    assert "Tendrás la respuesta de Lic. Sam Ruiz antes de las" in text


def test_a_confirmed_booking_links_its_calendar_file_and_a_request_does_not() -> None:
    for approval_required in (False, True):
        services = FakePatientServices.with_services(
            "Consulta general",
            practice=replace(PRACTICE, address=ADDRESS),
            approval_required=approval_required,
            calendar_base="https://citas.example",
        )
        patient = Patient(services)
        patient.say(*TO_MENU, "1", "1", "1", *INTAKE)
        text = patient.send("1").text
        link = (
            "\n📅 Agrégala a tu calendario: https://citas.example/calendar/appointment/K00001.ics"
        )
        assert (link in text) is not approval_required
        if not approval_required:
            assert f"📍 {ADDRESS}\n" in text and f"{link}\n\n" in text  # the last detail
