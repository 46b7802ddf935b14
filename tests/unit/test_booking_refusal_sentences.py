"""The booking engine's newer refusals, as the patient and the doctor read them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.booking.errors import AlreadyStarted, UpcomingAppointmentExists
from bot_flows.patient import PatientState
from tests.unit.fake_patient_services import NOW, FakePatientServices, Patient
from tests.unit.test_doctor_commands import WEDNESDAY_1030, ask, make_services
from tests.unit.test_patient_flow import INTAKE, TO_MENU, TO_TIME

S = PatientState


def with_appointment() -> Patient:
    patient = Patient()
    service = patient.services.service_list[0]
    patient.services.add_booking("K7M3QX", service, NOW + timedelta(days=3, hours=1))
    return patient


def test_a_second_upcoming_appointment_names_the_first_and_the_menu_options() -> None:
    services = FakePatientServices.with_services(
        "Consulta general", "Ultrasonido", approval_required=False
    )
    patient = Patient(services)
    patient.say(*TO_TIME, "2", *INTAKE)
    assert patient.state == S.SUMMARY
    services.refusals["hold"] = UpcomingAppointmentExists("K7M3QX")
    reply = patient.send("1")
    assert reply.keys == ["patient.upcoming_appointment", "patient.menu"]
    assert "*K7M3QX*" in reply.text and "*2*" in reply.text and "*3*" in reply.text
    assert patient.state == S.MENU and patient.chat.data == {}
    assert services.intakes == []


def test_cancelling_an_appointment_that_has_started_is_explained() -> None:
    patient = with_appointment()
    patient.say(*TO_MENU, "3", "1")
    patient.services.refusals["cancel"] = AlreadyStarted("K7M3QX")
    reply = patient.send("1")
    assert reply.keys == ["patient.already_started", "patient.menu"]
    assert "*K7M3QX* ya empezó" in reply.text


def test_moving_an_appointment_that_has_started_is_explained() -> None:
    patient = with_appointment()
    patient.say(*TO_MENU, "3", "2", "1", "1")
    assert patient.state == S.MOVE_CONFIRM
    patient.services.refusals["reschedule"] = AlreadyStarted("K7M3QX")
    assert patient.send("1").keys == ["patient.already_started", "patient.menu"]


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_doctor_is_told_to_close_a_started_appointment_instead(language: str) -> None:
    services = make_services(language)
    services.add_appointment("K7M3QX", WEDNESDAY_1030)
    services.refuse_with = AlreadyStarted("K7M3QX")
    reply = ask(services, "CANCELAR K7M3QX")
    assert reply.keys == ["doctor.refused.already_started"]
    closing = ("COMPLETADA K7M3QX", "NOASISTIO K7M3QX")
    if language == "en":
        closing = ("COMPLETED K7M3QX", "NOSHOW K7M3QX")
    assert all(command in reply.body for command in closing)
