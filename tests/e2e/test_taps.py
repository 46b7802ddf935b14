"""Taps through the webhook: the ids Twilio sends back (ListId) mean what the list showed.

The world's clock and free times are tests/e2e/conftest.py's: one service, four free
times on Wednesday 2 and on Thursday 3 December 2026 from 10:00 (Mexico City).
"""

from __future__ import annotations

import pytest

from app.models import TimeSlot
from bot_flows.patient_booking import slot_choice as time_choice
from tests.e2e.conftest import DAY_1, DAY_2, Person, World
from tests.e2e.test_conversation import INTAKE, es, request_of

pytestmark = pytest.mark.postgres


def tap(person: Person, choice: str, title: str) -> list[str]:
    """What WhatsApp sends for a tapped list item: its id, and its title as the body."""
    return person.say(title, ListId=choice, ListTitle=title)


def slot_choice(slot: TimeSlot) -> str:
    """The id the times list gave `slot` (`patient_booking.slot_choice`)."""
    return time_choice(str(slot.id), slot.start_time.isoformat())


def test_a_first_booking_by_taps_and_the_few_words_only_a_person_can_write(world: World) -> None:
    patient = world.patient()
    patient.say("hola")
    tap(patient, "consent:1", "Sí, acepto")
    days = tap(patient, "menu:1", "Agendar una cita")  # one service: the days at once
    assert days[0].startswith("📅 ¿Qué día")
    times = tap(patient, f"day:{DAY_1.date().isoformat()}", "miércoles 2 de diciembre")
    assert times[0].startswith("🕐 ¿A qué hora, el miércoles 2 de diciembre?")
    second = world.practice.slots[1]
    assert tap(patient, slot_choice(second), "10:30") == [es("patient.ask_name")]
    patient.says(*INTAKE[:4])
    summary = tap(patient, "intake_urgency:2", "Normal")
    assert summary[0].startswith("📋 Revisa tu solicitud")
    sent = tap(patient, "booking_summary:1", "Confirmar")
    assert sent[0].startswith("✅ ¡Listo! Enviamos tu solicitud")
    assert request_of(world, patient.phone).requested_time == second.start_time


def test_a_tap_on_an_old_list_asks_the_current_question_again(world: World) -> None:
    patient = world.patient()
    patient.says("hola", "1")
    answer = tap(patient, f"day:{DAY_1.date().isoformat()}", "miércoles 2 de diciembre")
    assert answer[0] == es("patient.old_list")  # the days are not what the menu asks
    assert answer[1].startswith("¿Qué necesitas?")


def test_a_time_from_an_old_days_list_taken_since_is_said_gone(world: World) -> None:
    patient, other = world.patient(), world.patient()
    patient.says("hola", "1", "1", "1")  # the first day's times
    patient.say("otro día")
    patient.say("2")  # now the second day's times are asked
    first = world.practice.slots[0]
    other.says("hola", "1", "1", "1", "1", *INTAKE, "1")  # someone else takes day 1's 10:00
    answer = tap(patient, slot_choice(first), "10:00")
    assert answer[0] == es("patient.slot_gone")
    assert answer[1].startswith("🕐 ¿A qué hora, el jueves 3 de diciembre?")
    day_two = world.practice.slots[4]
    assert day_two.start_time == DAY_2
    assert tap(patient, slot_choice(day_two), "10:00") == [es("patient.ask_name")]


def test_the_doctor_approves_by_tapping_a_request_of_the_pending_list(world: World) -> None:
    patient, doctor = world.patient(), world.doctor()
    patient.says("hola", "1", "1", "1", "1", *INTAKE, "1")
    code = request_of(world, patient.phone).code
    assert code in doctor.say("PENDIENTES")[0]
    # The list's item for the request carries the command as its id.
    tap(doctor, f"APROBAR {code}", f"Aprobar {code}")
    assert request_of(world, patient.phone).status == "approved"
