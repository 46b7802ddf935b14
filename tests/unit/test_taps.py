"""Taps on lists and buttons: each option's id means what it showed, typed answers still work.

The fake practice's clock is Monday 30 November 2026, 09:00 in Mexico City
(`fake_patient_services.NOW`); its free times are from Tuesday 1 December on.
"""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta

from bot_flows.patient import PatientState
from bot_flows.taps import typed_answer
from tests.unit.fake_patient_services import NOW, FakePatientServices, Patient

S = PatientState


def test_a_first_booking_by_taps_alone_but_for_what_must_be_written() -> None:
    patient = Patient()
    welcome = patient.send("hola")
    menu = patient.tap(welcome, 1)  # Sí, acepto
    services = patient.tap(menu, 1)  # Agendar una cita
    days = patient.tap(services, 1)
    assert patient.chat.data["service"] == "Consulta general"
    times = patient.tap(days, 2)
    assert patient.chat.data["day"] == patient.chat.data["days"][1]
    patient.tap(times, 3)
    assert patient.chat.data["start"] == patient.chat.data["times"][2][1]
    urgency = patient.say("Ana Pérez", "34", "dolor de cabeza desde ayer", "no")
    summary = patient.tap(urgency, 2)
    assert summary.keys == ["patient.summary"]
    sent = patient.tap(summary, 1)
    assert sent.keys[0] == "patient.requested"
    assert [call[0] for call in patient.services.calls].count("hold") == 1


def test_the_same_booking_typed_reaches_the_same_place() -> None:
    patient = Patient()
    patient.say("hola", "1", "1", "1", "2", "3", "Ana Pérez", "34", "dolor de cabeza", "no", "2")
    assert patient.say("1").keys[0] == "patient.requested"


def test_a_tap_on_a_list_no_longer_asked_asks_the_current_question_again() -> None:
    patient = Patient()
    menu = patient.say("hola", "1")
    patient.tap(menu, 1)  # the services
    days = patient.send("1")
    assert patient.state == S.DAY
    stale = patient.tap(menu, 3)  # "Cancelar o cambiar" from the menu shown before
    assert stale.keys == ["patient.old_list", "patient.days"]
    assert patient.state == S.DAY
    assert patient.tap(days, 1).keys == ["patient.times"]


def test_a_tap_as_the_very_first_message_opens_the_conversation() -> None:
    """An old list tapped in a chat the bot no longer holds is no dead end: its title is read."""
    before = Patient()
    menu = before.say("hola", "1")
    returning = Patient(before.services)  # consent kept by the practice, the chat forgotten
    reply = returning.tap(menu, 1)  # "Agendar una cita"
    assert reply.keys == ["patient.old_list", "patient.welcome_back", "patient.services"]
    assert returning.state == S.SERVICE

    stranger = Patient()  # never consented: asked first, whatever was tapped
    reply = stranger.tap(menu, 1)
    assert reply.keys[0] == "patient.old_list" and stranger.state == S.CONSENT
    assert reply.said[-1].choices, "the reply ends in a question to answer"


def test_a_time_from_another_days_list_is_taken_when_still_free() -> None:
    patient = Patient()
    first_day_times = patient.say("hola", "1", "1", "1", "1")
    first_day = patient.chat.data["day"]
    patient.send("otro día")
    assert patient.state == S.DAY
    patient.send("2")  # now the second day's times are asked
    assert patient.chat.data["day"] != first_day
    reply = patient.tap(first_day_times, 2)
    assert reply.keys == ["patient.ask_name"]
    assert patient.chat.data["day"] == first_day
    assert patient.chat.data["start"] == patient.chat.data["times"][1][1]


def test_a_time_from_another_days_list_taken_since_is_said_gone_and_fresh_times_shown() -> None:
    patient = Patient()
    first_day_times = patient.say("hola", "1", "1", "1", "1")
    slot_id = uuid.UUID(patient.chat.data["times"][0][0])
    patient.say("otro día", "2")  # the second day's times are asked now
    patient.services._take(slot_id)  # someone else booked the first day's 1st time meanwhile
    reply = patient.tap(first_day_times, 1)
    assert reply.keys == ["patient.slot_gone", "patient.times"]
    assert patient.state == S.TIME
    assert str(slot_id) not in [slot for slot, _ in patient.chat.data["times"]]


def test_more_days_and_more_times_by_tap() -> None:
    services = FakePatientServices()
    days = [date(2026, 12, 1) + timedelta(days=n) for n in range(10)]  # from Tuesday 1 December
    every_half_hour = [time(8 + n // 2, 30 * (n % 2)) for n in range(20)]  # 08:00 to 17:30
    services.add_service("Consulta general", days, every_half_hour)
    patient = Patient(services)
    asked = patient.say("hola", "1", "1")  # one service: the days are asked at once
    first_page = list(patient.chat.data["days_shown"])
    more_days = patient.tap(asked, len(first_page) + 1)
    assert more_days.keys == ["patient.days"]
    assert patient.chat.data["days_shown"][0] > first_page[-1]
    times = patient.tap(more_days, 1)
    shown = [choice for choice in times.said[-1].choices if choice.id.startswith("slot:")]
    assert times.said[-1].choices[-1].id == "more:time"
    patient.tap(times, len(shown) + 1)  # Más horarios
    assert patient.chat.data["times_from"] == len(shown)


def test_a_day_of_the_window_not_on_the_page_is_its_date() -> None:
    data = {"days": ["2026-12-01", "2026-12-02", "2026-12-20"], "days_shown": ["2026-12-01"]}
    assert typed_answer(S.DAY, data, "day:2026-12-01") == "1"
    assert typed_answer(S.DAY, data, "day:2026-12-20") == "20/12/2026"
    assert typed_answer(S.DAY, data, "day:2027-01-05") is None
    assert typed_answer(S.TIME, data, "day:2026-12-01") is None  # not the question asked


def test_an_appointment_is_picked_by_its_code_and_cancelled_by_taps() -> None:
    patient = Patient()
    service = patient.services.service_list[0]
    for code, days in (("K7M3QX", 3), ("H4J9KP", 4)):
        patient.services.add_booking(code, service, NOW + timedelta(days=days, hours=1))
    pick = patient.say("hola", "1", "3")
    assert [c.id for c in pick.said[-1].choices] == ["code:K7M3QX", "code:H4J9KP"]
    action = patient.tap(pick, 2)
    assert patient.chat.data["booking"]["code"] == "H4J9KP"
    confirm = patient.tap(action, 1)  # Cancelarla
    assert confirm.keys == ["patient.policy", "patient.cancel_confirm"]
    assert patient.tap(confirm, 1).keys[0] == "patient.cancelled"
    assert [b.code for b in patient.services.booked()] == ["K7M3QX"]
