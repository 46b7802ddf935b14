"""The patient's conversation, driven message by message through an in-memory services."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from app.booking.errors import (
    BookingError,
    ChatBookingClosed,
    IllegalTransition,
    MovePending,
    NotFound,
    SlotTaken,
)
from app.booking.intake import ContactMethod, Urgency
from bot_flows.patient import PatientState, says_nothing_personal
from bot_flows.patient_start import CONSENT_VERSION
from bot_flows.ports import StoredPatient
from tests.unit.fake_patient_services import (
    NOW,
    PRACTICE,
    FakePatientServices,
    Patient,
    Reply,
)
from tests.unit.test_patient_states import reach

S = PatientState
TUESDAY = date(2026, 12, 1)
TO_MENU = ("hola", "1")
TO_TIME = (*TO_MENU, "1", "1", "1")  # book, first service, first day
# The default settings ask the name, age, reason (with the symptoms), the health gate and urgency.
INTAKE = ("María Pérez", "34", "Dolor de garganta y fiebre desde hace 3 días", "no", "2")
EVERY_QUESTION = dict.fromkeys(PRACTICE.intake, "required")
INTAKE_IN_FULL = (
    "María Pérez", "34", "1", "Dolor de garganta", "Fiebre desde ayer", "Asma",
    "Salbutamol", "Penicilina", "2", "1",
)  # fmt: skip


def asking(intake: dict[str, str], *names: str, **settings: Any) -> FakePatientServices:
    """Services of a practice with these intake settings (the rest default)."""
    names = names or ("Consulta general", "Ultrasonido")
    practice = replace(PRACTICE, intake=intake)
    return FakePatientServices.with_services(*names, practice=practice, **settings)


def asking_every_question(*names: str, **settings: Any) -> FakePatientServices:
    return asking(EVERY_QUESTION, *names, **settings)


def at_summary(patient: Patient) -> None:
    patient.say(*TO_TIME, "2", *INTAKE)
    assert patient.state == S.SUMMARY


def test_a_first_message_gets_a_welcome_naming_the_doctor_and_the_privacy_question() -> None:
    patient = Patient()
    reply = patient.send("Hola buenas tardes")
    assert reply.keys == ["patient.welcome", "patient.consent"]
    assert "Dra. Ana López" in reply.text and "1. Sí, acepto" in reply.text
    assert patient.state == S.CONSENT


def test_accepting_records_the_versioned_consent_and_shows_the_menu() -> None:
    patient = Patient()
    reply = patient.say("hola", "Sí")
    assert ("record_consent", (True, CONSENT_VERSION)) in patient.services.calls
    assert reply.keys == ["patient.consent_thanks", "patient.menu"]
    assert patient.state == S.MENU


def test_declining_stores_only_the_refusal_and_a_later_message_offers_the_privacy_again() -> None:
    patient = Patient()
    reply = patient.say("hola", "2")
    assert reply.keys == ["patient.declined"]
    assert patient.services.calls == [
        ("has_consented", ()),
        ("record_consent", (False, CONSENT_VERSION)),
    ]
    assert patient.chat.data == {}
    assert patient.send("hola otra vez").keys == ["patient.consent"]
    assert patient.send("1").keys == ["patient.consent_thanks", "patient.menu"]


@pytest.mark.parametrize(
    ("answer", "accepted"),
    [
        ("1", True), ("Sí", True), ("si, acepto", True), ("SIIII", True), ("ok 👍", True),
        ("de acuerdo", True), ("1. Sí, acepto", True), ("opción 1", True), ("yes", True),
        ("uno", True), ("2", False), ("No", False), ("nooo", False), ("No acepto", False),
        ("2. No acepto", False), ("no, gracias", False), ("I don't accept", False),
    ],
)  # fmt: skip
def test_a_clear_answer_to_the_privacy_question_is_recorded(answer: str, accepted: bool) -> None:
    patient = Patient()
    patient.say("hola", answer)
    assert ("record_consent", (accepted, CONSENT_VERSION)) in patient.services.calls
    assert patient.state == (S.MENU if accepted else S.DECLINED)


@pytest.mark.parametrize(
    "answer",
    [
        "No entiendo", "no sé qué es esto", "quiero una cita, no?", "no tengo tiempo, ok",
        "1 no", "2. Sí, acepto", "sí y no", "3", "ok no", "👍", "si, pero no quiero dar mi nombre",
    ],
)  # fmt: skip
def test_an_unclear_answer_to_the_privacy_question_is_asked_again(answer: str) -> None:
    patient = Patient()
    patient.send("hola")
    assert patient.send(answer).keys == ["patient.not_understood", "patient.consent"]
    assert not any(name == "record_consent" for name, _ in patient.services.calls)
    assert patient.state == S.CONSENT


@pytest.mark.parametrize(
    ("message", "fixed"),
    [
        ("Hola 👋", True), ("Buenas tardes", True), ("1", True), ("Sí, acepto", True),
        ("no", True), ("menú", True), ("ayuda", True), ("English", True),
        ("hola, me duele la cabeza", False), ("no puedo respirar", False),
        ("tengo diabetes", False), ("¿cuánto cuesta?", False),
    ],
)  # fmt: skip
def test_only_fixed_words_before_consent_are_known_to_say_nothing_personal(
    message: str, fixed: bool
) -> None:
    assert says_nothing_personal(message) is fixed


@pytest.mark.parametrize("state", [S.CONSENT, S.DECLINED])
def test_before_consent_the_menu_is_never_shown(state: PatientState) -> None:
    patient = Patient()
    patient.say(*(["hola"] if state == S.CONSENT else ["hola", "no acepto"]))
    assert patient.send("menu").keys == ["patient.consent"]
    assert patient.send("4").keys == ["patient.not_understood", "patient.consent"]
    assert patient.state == S.CONSENT


def test_a_number_that_consented_before_skips_the_privacy_notice() -> None:
    patient = Patient(FakePatientServices.with_services("Consulta general", consented=True))
    reply = patient.send("hola")
    assert reply.keys == ["patient.welcome_back", "patient.menu"]
    assert not any(name == "record_consent" for name, _ in patient.services.calls)


def test_a_full_booking_in_spanish_sends_every_answer_and_forgets_them() -> None:
    patient = Patient(asking_every_question())
    service = patient.services.service_list[0]
    slot = patient.services.slot_at(service, TUESDAY, time(10, 30))
    patient.say(*TO_MENU)
    assert "1. Consulta general (30 min)" in patient.send("1").text
    days = patient.send("1").text
    assert "1. martes 1 de diciembre\n2. miércoles 2 de diciembre" in days
    assert "2. 10:30" in patient.send("1").text
    for answer in ("2", *INTAKE_IN_FULL[:-2]):
        patient.send(answer)
    patient.send("2")
    summary = patient.send("1")
    assert summary.keys == ["patient.summary"]
    assert "martes 1 de diciembre, 10:30" in summary.text and "Alergias: Penicilina" in summary.text
    done = patient.send("1")
    assert done.keys == ["patient.requested", "patient.menu"]
    assert "*K00001*" in done.text and "antes de las 09:" in done.text
    [(slot_id, intake)] = [args for name, args in patient.services.calls if name == "hold"]
    assert slot_id == slot.slot_id
    assert intake.phone == patient.services.phone
    assert intake.name == "María Pérez" and intake.age == 34 and intake.gender == "female"
    assert intake.chief_complaint == "Dolor de garganta"
    assert intake.symptoms == "Fiebre desde ayer"
    assert intake.medical_history == "Asma"
    assert intake.current_medications == "Salbutamol"
    assert intake.allergies == "Penicilina"
    assert intake.urgency is Urgency.NORMAL
    assert intake.contact_method is ContactMethod.WHATSAPP and intake.email is None
    assert patient.services.stored == StoredPatient("María Pérez", 34, "female")
    assert patient.chat.data == {} and patient.state == S.MENU


def test_no_to_health_questions_stores_nothing_and_email_is_asked_for() -> None:
    patient = Patient(asking_every_question())
    patient.say(*TO_TIME, "1", "Ana Paz", "30", "2", "Revisión", "no", "ninguno", "Ninguna", "nada")
    patient.say("1", "3", "ana@example.com", "1")
    [intake] = patient.services.intakes
    assert (intake.symptoms, intake.medical_history) == (None, None)
    assert (intake.current_medications, intake.allergies) == (None, None)
    assert intake.urgency is Urgency.LOW and intake.gender == "male"
    assert intake.contact_method is ContactMethod.EMAIL and intake.email == "ana@example.com"


def test_a_practice_without_approval_confirms_at_once() -> None:
    services = FakePatientServices.with_services("Consulta general", approval_required=False)
    patient = Patient(services)
    patient.say(*TO_MENU, "1", "1", "1", *INTAKE)  # one service: no service question
    reply = patient.send("confirmar")
    assert reply.keys == ["patient.booked", "patient.menu"]
    assert "confirmada para el martes 1 de diciembre, 10:00" in reply.text


def test_switching_to_english_asks_the_same_question_in_english_and_carries_on() -> None:
    patient = Patient()
    patient.say(*TO_TIME)
    reply = patient.send("English")
    assert reply.keys == ["patient.language_set", "patient.times"]
    assert "What time on Tuesday, December 1?" in reply.text and "10:30 AM" in reply.text
    assert patient.services.language == "en" and patient.chat.language == "en"
    summary = patient.say("2", *INTAKE)
    assert "Tuesday, December 1, 10:30 AM" in summary.text and "Allergies: none" in summary.text
    assert "We sent your request *K00001*" in patient.send("1").text
    back = patient.send("español")
    assert back.keys == ["patient.language_set", "patient.menu"]
    assert "seguimos en español" in back.text and patient.chat.language == "es"


def test_english_as_the_very_first_message_welcomes_in_english() -> None:
    reply = Patient().send("english")
    assert reply.keys == ["patient.language_set", "patient.welcome", "patient.consent"]
    assert "Do you accept?" in reply.text


FIRST_BOOKING = (
    "hola", "1", "1", "1", "1", "1", "María Pérez", "34",
    "Dolor de garganta y fiebre desde hace 3 días", "no", "2", "1",
)  # fmt: skip


def test_a_first_booking_with_the_default_settings_takes_twelve_messages() -> None:
    """greeting, consent, menu, service, day, time, name, age, reason, gate, urgency, confirm."""
    patient = Patient()
    replies = [patient.send(message) for message in FIRST_BOOKING]
    assert len(FIRST_BOOKING) <= 12
    assert [reply.keys[-1] for reply in replies[5:]] == [
        "patient.ask_name", "patient.ask_age", "patient.ask_reason", "patient.ask_health",
        "patient.ask_urgency", "patient.summary", "patient.menu",
    ]  # fmt: skip
    assert "Cuéntame tus síntomas y desde cuándo" in replies[7].text
    assert replies[-1].keys == ["patient.requested", "patient.menu"]
    [intake] = patient.services.intakes
    assert intake.chief_complaint == "Dolor de garganta y fiebre desde hace 3 días"
    assert (intake.symptoms, intake.medical_history) == (None, None)
    assert (intake.current_medications, intake.allergies, intake.gender) == (None, None, None)
    assert intake.urgency is Urgency.NORMAL and intake.contact_method is ContactMethod.WHATSAPP


def returning(patient: Patient) -> Patient:
    """`patient` three days after a first booking whose request then ended (withdrawn)."""
    patient.say(*TO_TIME, "1", "María Pérez", "34", "Control", "Asma", "no", "Penicilina", "2")
    patient.send("1")
    patient.services.withdraw()
    patient.now += timedelta(days=3)
    return patient


def test_a_returning_patient_books_in_seven_messages_and_is_asked_only_why() -> None:
    patient = returning(Patient())
    assert patient.state == S.MENU  # where the last conversation rested
    booking = ("quiero una cita", "2", "1", "1", "Me duele la rodilla", "2", "1")
    replies = [patient.send(message) for message in booking]
    assert len(booking) <= 7
    assert replies[3].keys == ["patient.ask_reason"]
    summary = replies[5]
    assert summary.keys == ["patient.summary_kept"]
    assert "Motivo: Me duele la rodilla\nUrgencia: normal" in summary.text
    assert (
        "Tus datos de la vez pasada:\nNombre: María Pérez\nEdad: 34 años\n"
        "Antecedentes: Asma\nMedicamentos: no\nAlergias: Penicilina"
    ) in summary.text
    assert "1. Confirmar\n2. Empezar de nuevo\n3. Cancelar\n4. Cambiar mis datos" in summary.text
    assert replies[6].keys == ["patient.requested", "patient.menu"]
    _, second = patient.services.intakes
    assert (second.name, second.age, second.chief_complaint) == (
        "María Pérez",
        34,
        "Me duele la rodilla",
    )
    assert (second.medical_history, second.current_medications, second.allergies) == (
        "Asma", None, "Penicilina",
    )  # fmt: skip
    assert patient.chat.data == {}


def test_a_returning_patient_may_change_their_details_from_the_summary() -> None:
    patient = returning(Patient())
    patient.say("1", "2", "1", "1", "Revisión", "2")
    assert patient.send("4").keys == ["patient.ask_name"]
    assert patient.chat.data["reason"] == "Revisión"  # why they come is not asked again
    summary = patient.say("María Pérez López", "35", "no")
    assert summary.keys == ["patient.summary"] and "4. Cambiar" not in summary.text
    assert "Nombre: María Pérez López\nEdad: 35 años\nMotivo: Revisión" in summary.text
    patient.send("1")
    second = patient.services.intakes[-1]
    assert (second.name, second.age, second.medical_history, second.allergies) == (
        "María Pérez López", 35, None, None,
    )  # fmt: skip


def test_four_at_a_first_summary_is_not_an_option() -> None:
    patient = Patient()
    at_summary(patient)
    assert patient.send("4").keys == ["patient.not_understood", "patient.summary"]


def test_a_returning_patient_is_asked_what_they_never_told() -> None:
    """Details kept on the contact only (before any request): health questions are asked."""
    stored = StoredPatient("María Pérez", None, "female")
    patient = Patient(asking({"sex": "required"}, stored=stored))
    assert patient.say(*TO_TIME, "1").keys == ["patient.ask_age"]
    assert patient.send("40").keys == ["patient.ask_reason"]
    assert patient.send("Control").keys == ["patient.ask_health"]
    summary = patient.say("no", "2")
    assert "Edad: 40 años\nMotivo: Control" in summary.text
    assert "de la vez pasada:\nNombre: María Pérez\nSexo: femenino\n\n" in summary.text


def test_a_practice_asking_every_question_asks_them_all_in_order() -> None:
    patient = Patient(asking_every_question())
    patient.say(*TO_TIME)
    asked = [patient.send(answer).keys[-1] for answer in ("1", *INTAKE_IN_FULL[:-1], "3")]
    assert asked == [
        "patient.ask_name", "patient.ask_age", "patient.ask_sex", "patient.ask_reason_brief",
        "patient.ask_symptoms", "patient.ask_history", "patient.ask_medications",
        "patient.ask_allergies", "patient.ask_urgency", "patient.ask_contact",
        "patient.ask_email",
    ]  # fmt: skip
    summary = patient.send("maria@example.com")
    for label in ("Nombre", "Edad", "Sexo", "Motivo", "Síntomas", "Antecedentes", "Medicamentos"):
        assert f"\n{label}: " in summary.text
    assert "Alergias: Penicilina\nUrgencia: normal\nContacto: correo (maria@example.com)" in (
        summary.text
    )


def test_a_required_health_question_takes_no_but_not_skip() -> None:
    patient = Patient(asking_every_question())
    patient.say(*TO_TIME, "1", *INTAKE_IN_FULL[:4])
    assert patient.send("saltar").keys == ["patient.answer_needed", "patient.ask_symptoms"]
    assert patient.send("ninguno").keys == ["patient.ask_history"]
    assert patient.chat.data["symptoms"] is None


def test_questions_turned_off_are_never_asked_and_the_summary_leaves_them_out() -> None:
    off = dict.fromkeys(("age", "history", "medications", "allergies", "urgency"), "off")
    patient = Patient(asking(off))
    patient.say(*TO_TIME, "1")
    assert patient.send("María Pérez").keys == ["patient.ask_reason"]
    summary = patient.send("Revisión anual")
    assert summary.keys == ["patient.summary"]
    assert summary.text.endswith(
        "\n\nNombre: María Pérez\nMotivo: Revisión anual\n\n"
        "1. Confirmar\n2. Empezar de nuevo\n3. Cancelar"
    )
    patient.send("1")
    [intake] = patient.services.intakes
    assert (intake.age, intake.gender, intake.medical_history, intake.allergies) == (
        None, None, None, None,
    )  # fmt: skip
    assert intake.urgency is Urgency.NORMAL and intake.contact_method is ContactMethod.WHATSAPP


def test_optional_questions_may_be_skipped() -> None:
    optional = dict.fromkeys(("name", "age", "sex", "urgency", "contact"), "optional")
    patient = Patient(asking(optional))
    patient.say(*TO_TIME, "1")
    for skipped, next_key in [
        ("saltar", "patient.ask_age"), ("no", "patient.ask_sex"), ("paso", "patient.ask_reason"),
        ("Control", "patient.ask_health"), ("no", "patient.ask_urgency"),
    ]:  # fmt: skip
        assert patient.send(skipped).keys == [next_key]
    # "no" is not how urgent it is: asked again; "saltar" leaves it normal.
    assert patient.send("no").keys == ["patient.not_understood", "patient.ask_urgency"]
    assert patient.send("saltar").keys == ["patient.ask_contact"]
    assert patient.send("skip").keys == ["patient.summary"]
    patient.send("1")
    [intake] = patient.services.intakes
    assert (intake.name, intake.age, intake.gender) == ("", None, None)
    assert intake.urgency is Urgency.NORMAL and intake.contact_method is ContactMethod.WHATSAPP


def test_a_required_name_is_not_no() -> None:
    patient = Patient()
    patient.say(*TO_TIME, "1")
    assert patient.send("no").keys == ["patient.answer_needed", "patient.ask_name"]


TO_GATE = (*TO_TIME, "1", "María Pérez", "34", "Control")


@pytest.mark.parametrize("none", ["no", "No", "ninguna", "nada", "saltar", "nope", "no gracias"])
def test_no_at_the_health_gate_answers_all_three(none: str) -> None:
    patient = Patient()
    assert patient.say(*TO_GATE).keys == ["patient.ask_health"]
    assert patient.send(none).keys == ["patient.ask_urgency"]
    data = patient.chat.data
    assert (data["history"], data["medications"], data["allergies"]) == (None, None, None)


def test_yes_at_the_health_gate_asks_each_one() -> None:
    patient = Patient()
    patient.say(*TO_GATE)
    assert patient.send("sí").keys == ["patient.ask_history"]
    assert patient.send("Hipertensión").keys == ["patient.ask_medications"]
    assert patient.send("Losartán").keys == ["patient.ask_allergies"]
    assert patient.send("ninguna").keys == ["patient.ask_urgency"]
    data = patient.chat.data
    assert (data["history"], data["medications"], data["allergies"]) == (
        "Hipertensión", "Losartán", None,
    )  # fmt: skip


@pytest.mark.parametrize(
    "written", ["Tengo diabetes y tomo metformina", "sí, soy alérgica a la penicilina", "asma"]
)
def test_other_words_at_the_health_gate_are_kept_as_the_history(written: str) -> None:
    patient = Patient()
    patient.say(*TO_GATE)
    assert patient.send(written).keys == ["patient.ask_medications"]
    assert patient.chat.data["history"] == written
    assert patient.send("no").keys == ["patient.ask_allergies"]
    summary = patient.say("no", "2")
    assert f"Antecedentes: {written}\nMedicamentos: no\nAlergias: no" in summary.text


def test_the_gate_is_not_used_when_a_health_question_is_required() -> None:
    patient = Patient(asking({"allergies": "required"}))
    patient.say(*TO_GATE[:-1])
    assert patient.send("Control").keys == ["patient.ask_history"]


@pytest.mark.parametrize("age", ["150", "abc", "34 o 35", "👍", "como 40", "8 meses"])
def test_an_impossible_age_repeats_the_question(age: str) -> None:
    patient = Patient()
    patient.say(*TO_TIME, "1", "María Pérez")
    reply = patient.send(age)
    assert reply.keys == ["patient.bad_age", "patient.ask_age"]
    assert patient.state == S.AGE


@pytest.mark.parametrize("age", ["34", "34 años", "Tengo 34 🙂", "0", "120", " 7 "])
def test_an_age_is_read_from_the_words_around_it(age: str) -> None:
    patient = Patient()
    patient.say(*TO_TIME, "1", "María Pérez")
    patient.send(age)
    assert patient.state == S.REASON
    assert patient.chat.data["age"] == int("".join(c for c in age if c.isdigit()))


@pytest.mark.parametrize(
    "email", ["maria@", "maria at example.com", "@example.com", "a@b", "x y@z.com", "a@b.c"]
)
def test_a_bad_email_repeats_the_question(email: str) -> None:
    patient = Patient(asking_every_question())
    patient.say(*TO_TIME, "1", *INTAKE_IN_FULL[:-1], "3")
    reply = patient.send(email)
    assert reply.keys == ["patient.bad_email", "patient.ask_email"]


def test_a_name_of_only_emoji_is_asked_again() -> None:
    patient = Patient()
    patient.say(*TO_TIME, "1")
    assert patient.send("🙂🙂").keys == ["patient.write_words", "patient.ask_name"]


def test_the_reason_is_required() -> None:
    patient = Patient()
    patient.say(*TO_TIME, "1", "María Pérez", "34")
    assert patient.send("no").keys == ["patient.reason_needed", "patient.ask_reason"]
    assert patient.send("saltar").keys == ["patient.reason_needed", "patient.ask_reason"]


def test_a_time_taken_meanwhile_offers_the_nearest_and_books_one() -> None:
    patient = Patient()
    at_summary(patient)
    patient.services.taken_meanwhile.add(uuid.UUID(patient.chat.data["slot_id"]))
    reply = patient.send("1")
    assert reply.keys == ["patient.slot_taken", "patient.nearest"]
    assert "1. martes 1 de diciembre, 10:00\n2. martes 1 de diciembre, 11:00\n3." in reply.text
    summary = patient.send("2")
    assert summary.keys == ["patient.summary"] and "11:00" in summary.text
    assert patient.send("1").keys == ["patient.requested", "patient.menu"]
    [booking] = patient.services.booked()
    assert booking.start == datetime(2026, 12, 1, 17, 0, tzinfo=UTC)  # 11:00 in Mexico City


def test_an_open_request_is_named_and_nothing_lingers() -> None:
    patient = Patient()
    service = patient.services.service_list[0]
    patient.services.add_booking("H4J9KP", service, NOW + timedelta(days=3), kind="request")
    at_summary(patient)
    reply = patient.send("1")
    assert reply.keys == ["patient.open_request", "patient.menu"]
    assert "*H4J9KP*" in reply.text
    assert patient.chat.data == {}


def test_starting_over_forgets_the_answers() -> None:
    patient = Patient()
    at_summary(patient)
    assert patient.send("2").keys == ["patient.services"]
    assert "name" not in patient.chat.data


@pytest.mark.parametrize("answer", ["no quiero cancelar", "si pero cambia la hora", "ok no"])
def test_an_unclear_answer_at_the_summary_sends_and_discards_nothing(answer: str) -> None:
    patient = Patient()
    at_summary(patient)
    assert patient.send(answer).keys == ["patient.not_understood", "patient.summary"]
    assert patient.services.intakes == [] and "reason" in patient.chat.data


def test_cancelling_at_the_summary_sends_nothing() -> None:
    patient = Patient()
    at_summary(patient)
    assert patient.send("3").keys == ["patient.discarded", "patient.menu"]
    assert patient.services.intakes == [] and patient.chat.data == {}


def test_a_time_may_be_typed_instead_of_its_number() -> None:
    patient = Patient()
    patient.say(*TO_TIME)
    patient.send("a las 11:00")
    assert patient.chat.data["start"] == "2026-12-01T17:00:00+00:00"


def test_a_day_filled_meanwhile_offers_the_days_again() -> None:
    patient = Patient()
    patient.say(*TO_MENU, "1", "1")
    service = patient.services.service_list[0]
    patient.services.free[service.id] = [
        slot for slot in patient.services.free[service.id] if slot.start.day != 1
    ]
    reply = patient.send("1")
    assert reply.keys == ["patient.day_full", "patient.days"]
    assert "1. miércoles 2 de diciembre" in reply.text


def test_no_free_days_says_so_and_offers_the_waitlist() -> None:
    patient = Patient(FakePatientServices.with_services())
    patient.services.add_service("Consulta general", [], [])
    reply = patient.say(*TO_MENU, "1")
    assert reply.keys == ["patient.no_days_left", "patient.waitlist_join"]
    assert "viernes 29 de enero" in reply.text  # the booking window's last day: 60 days ahead
    assert patient.send("no").keys == ["patient.waitlist_not_joined", "patient.menu"]


def test_no_services_says_so() -> None:
    patient = Patient(FakePatientServices())
    assert patient.say(*TO_MENU, "1").keys == ["patient.no_services", "patient.menu"]


def test_my_appointments_lists_code_service_time_and_status() -> None:
    patient = Patient()
    service = patient.services.service_list[0]
    patient.services.add_booking("K7M3QX", service, NOW + timedelta(days=1, hours=1, minutes=30))
    patient.services.add_booking("H4J9KP", service, NOW + timedelta(days=2), kind="request")
    reply = patient.say(*TO_MENU, "2")
    assert reply.keys == ["patient.bookings", "patient.menu"]
    assert "*K7M3QX* · Consulta general · martes 1 de diciembre, 10:30 · confirmada" in reply.text
    assert "*H4J9KP* · Consulta general · miércoles 2 de diciembre, 09:00" in reply.text
    assert "esperando respuesta del consultorio" in reply.text


def test_no_appointments_says_so() -> None:
    assert Patient().say(*TO_MENU, "mis citas").keys == ["patient.no_bookings", "patient.menu"]


def with_appointment(kind: str = "reservation") -> Patient:
    patient = Patient()
    service = patient.services.service_list[0]
    patient.services.add_booking("K7M3QX", service, NOW + timedelta(days=3, hours=1), kind=kind)
    return patient


def test_cancelling_shows_the_policy_and_asks_to_confirm() -> None:
    patient = with_appointment()
    reply = patient.say(*TO_MENU, "3")
    assert reply.keys == ["patient.action"]
    reply = patient.send("1")
    assert reply.keys == ["patient.policy", "patient.cancel_confirm"]
    assert "Cancela con 24 horas de anticipación." in reply.text
    assert patient.send("1").keys == ["patient.cancelled", "patient.menu"]
    assert ("cancel", ("K7M3QX",)) in patient.services.calls and patient.services.booked() == []


@pytest.mark.parametrize(
    "answer", ["sí, pero mejor no", "ok, déjame pensarlo", "no sé", "vale, mejor la conservo"]
)
def test_an_unclear_answer_to_cancelling_cancels_nothing(answer: str) -> None:
    patient = with_appointment()
    patient.say(*TO_MENU, "3", "1")
    assert patient.send(answer).keys[:2] == ["patient.not_understood", "patient.policy"]
    assert len(patient.services.booked()) == 1 and patient.state == S.CANCEL


@pytest.mark.parametrize(
    ("answer", "cancelled"),
    [("1. Sí, cancelar", True), ("Sí", True), ("no, conservarla", False), ("2", False)],
)
def test_a_clear_answer_to_cancelling_is_carried_out(answer: str, cancelled: bool) -> None:
    patient = with_appointment()
    patient.say(*TO_MENU, "3", "1")
    patient.send(answer)
    assert len(patient.services.booked()) == (0 if cancelled else 1) and patient.state == S.MENU


def test_keeping_an_appointment_changes_nothing() -> None:
    patient = with_appointment()
    patient.say(*TO_MENU, "3", "1")
    assert patient.send("no").keys == ["patient.kept", "patient.menu"]
    assert len(patient.services.booked()) == 1


def test_a_pending_request_is_withdrawn() -> None:
    patient = with_appointment(kind="request")
    reply = patient.say(*TO_MENU, "3", "cancelar")
    assert reply.keys == ["patient.withdraw_confirm"]
    assert patient.send("1").keys == ["patient.withdrawn", "patient.menu"]
    assert ("withdraw", ()) in patient.services.calls and patient.services.booked() == []


def test_a_pending_request_cannot_be_moved() -> None:
    patient = with_appointment(kind="request")
    reply = patient.say(*TO_MENU, "3", "2")
    assert reply.keys == ["patient.move_request", "patient.action"]


def test_several_bookings_are_picked_by_number() -> None:
    patient = with_appointment()
    service = patient.services.service_list[1]
    patient.services.add_booking("P2Q8RT", service, NOW + timedelta(days=4))
    reply = patient.say(*TO_MENU, "3")
    assert reply.keys == ["patient.pick_booking"]
    assert "2. *P2Q8RT* · Ultrasonido" in reply.text
    assert "*P2Q8RT*" in patient.send("2").text


def test_rescheduling_picks_a_day_and_time_of_the_same_service_and_asks_to_confirm() -> None:
    patient = with_appointment()  # Thursday 3 December, 10:00
    patient.services.approval_required = False
    service = patient.services.service_list[0]
    new_slot = patient.services.slot_at(service, date(2026, 12, 2), time(11, 0))
    assert patient.say(*TO_MENU, "3", "2").keys == ["patient.days"]
    assert patient.send("2").keys == ["patient.times"]
    asked = patient.send("3")
    assert asked.keys == ["patient.move_confirm"] and patient.state == S.MOVE_CONFIRM
    assert asked.text == (
        "¿Cambiar tu cita *K7M3QX* del jueves 3 de diciembre, 10:00 al miércoles 2 de "
        "diciembre, 11:00?\n1. Sí, cambiarla\n2. No, dejarla como está"
    )
    assert not [call for call in patient.services.calls if call[0] == "reschedule"]
    reply = patient.send("1. Sí, cambiarla")  # the option as shown
    assert reply.keys == ["patient.moved", "patient.menu"]
    assert "ahora es el miércoles 2 de diciembre, 11:00" in reply.text
    assert ("reschedule", ("K7M3QX", new_slot.slot_id)) in patient.services.calls


def test_a_move_at_a_practice_that_approves_waits_for_the_doctor() -> None:
    patient = with_appointment()
    patient.say(*TO_MENU, "3", "2", "2", "3")
    reply = patient.send("sí")
    assert reply.keys == ["patient.move_asked", "patient.menu"]
    assert "Dra. Ana López" in reply.text and "tu cita sigue como está" in reply.text
    [kept, asked] = patient.services.bookings()  # Wednesday 11:00 waits, Thursday stands
    assert (asked.code, asked.kind, asked.replaces) == ("K7M3QX", "reservation", None)
    assert (kept.kind, kept.replaces) == ("request", "K7M3QX")
    listed = patient.send("2")
    assert "cambio de tu cita *K7M3QX*, esperando respuesta" in listed.text


@pytest.mark.parametrize("answer", ["2", "no", "No, dejarla como está", "dejarla"])
def test_no_keeps_the_appointment_as_it_is(answer: str) -> None:
    patient = with_appointment()
    patient.say(*TO_MENU, "3", "2", "2", "3")
    reply = patient.send(answer)
    assert reply.keys == ["patient.kept", "patient.menu"]
    assert not [call for call in patient.services.calls if call[0] == "reschedule"]
    assert [b.code for b in patient.services.bookings()] == ["K7M3QX"]


@pytest.mark.parametrize(
    "answer", ["tal vez", "sí pero más tarde", "3", "no sé", "cambiar a las 5"]
)
def test_an_unclear_answer_to_the_move_asks_again_and_changes_nothing(answer: str) -> None:
    patient = with_appointment()
    patient.say(*TO_MENU, "3", "2", "2", "3")
    reply = patient.send(answer)
    assert reply.keys == ["patient.not_understood", "patient.move_confirm"]
    assert patient.state == S.MOVE_CONFIRM
    assert not [call for call in patient.services.calls if call[0] == "reschedule"]
    assert patient.send("1").keys == ["patient.move_asked", "patient.menu"]


def test_an_appointment_whose_move_waits_for_the_doctor_cannot_move_again() -> None:
    patient = with_appointment()
    patient.say(*TO_MENU, "3", "2", "2", "3", "1")
    reply = patient.say("3", "2", "2")  # the appointment, after its move's request; "change"
    assert reply.keys == ["patient.move_pending", "patient.menu"]
    assert "miércoles 2 de diciembre, 11:00" in reply.text
    assert [call[0] for call in patient.services.calls].count("reschedule") == 1


def test_a_move_asked_meanwhile_in_another_chat_is_explained() -> None:
    patient = with_appointment()
    patient.say(*TO_MENU, "3", "2", "2", "3")
    patient.services.refusals["reschedule"] = MovePending("M00001")
    assert patient.send("1").keys == ["patient.move_pending_now", "patient.menu"]


def test_a_waiting_move_can_be_withdrawn_and_the_appointment_stays() -> None:
    patient = with_appointment()
    patient.say(*TO_MENU, "3", "2", "2", "3", "1")
    [asked] = [b for b in patient.services.bookings() if b.replaces]
    patient.say("3", "1", "1")  # the move's request, listed first, then "cancel"
    assert patient.send("1").keys == ["patient.withdrawn", "patient.menu"]
    assert ("cancel", (asked.code,)) in patient.services.calls
    assert [b.code for b in patient.services.bookings()] == ["K7M3QX"]


def test_a_time_taken_while_rescheduling_offers_the_times_again() -> None:
    patient = with_appointment()
    patient.say(*TO_MENU, "3", "2", "1", "1")
    patient.services.refusals["reschedule"] = SlotTaken()
    reply = patient.send("1")
    assert reply.keys == ["patient.slot_taken", "patient.times"]
    assert patient.state == S.MOVE_TIME


def test_a_booking_gone_meanwhile_is_explained() -> None:
    patient = with_appointment()
    patient.say(*TO_MENU, "3", "1")
    patient.services.refusals["cancel"] = NotFound("K7M3QX")
    assert patient.send("1").keys == ["patient.booking_gone", "patient.menu"]


def in_reminder(patient: Patient, code: str = "K7M3QX") -> None:
    patient.say(*TO_MENU)
    patient.chat.state = S.REMINDER  # as the reminder job leaves it
    patient.chat.data = {"code": code}


def test_reminder_1_confirms_attendance() -> None:
    patient = with_appointment()
    in_reminder(patient)
    reply = patient.send("1", wait=timedelta(hours=30))  # a reminder is no stale booking
    assert reply.keys == ["patient.attendance_thanks", "patient.menu"]
    assert ("confirm_attendance", ("K7M3QX",)) in patient.services.calls


@pytest.mark.parametrize(
    ("button", "keys"),
    [
        ("reminder:1", ["patient.attendance_thanks", "patient.menu"]),
        ("reminder:2", ["patient.policy", "patient.cancel_confirm"]),
        ("reminder:3", ["patient.days"]),
    ],
)
def test_the_reminders_buttons_answer_as_the_typed_numbers(button: str, keys: list[str]) -> None:
    patient = with_appointment()
    in_reminder(patient)
    assert patient.send("Confirmo", choice=button).keys == keys  # the Body is the title


def test_reminder_2_cancels_after_showing_the_policy() -> None:
    patient = with_appointment()
    in_reminder(patient)
    assert patient.send("2").keys == ["patient.policy", "patient.cancel_confirm"]
    assert patient.send("1").keys == ["patient.cancelled", "patient.menu"]


def test_reminder_3_reschedules() -> None:
    patient = with_appointment()
    in_reminder(patient)
    assert patient.send("3").keys == ["patient.days"]
    patient.say("1", "1")
    assert patient.send("1").keys == ["patient.move_asked", "patient.menu"]


def test_a_reminder_about_a_booking_gone_says_so() -> None:
    patient = with_appointment()
    in_reminder(patient, code="ZZZZZZ")
    assert patient.send("2").keys == ["patient.booking_gone", "patient.menu"]
    in_reminder(patient, code="ZZZZZZ")
    assert patient.send("1").keys == ["patient.booking_gone", "patient.menu"]


def test_talking_to_the_practice_keeps_the_bot_quiet_for_a_day() -> None:
    patient = Patient()
    reply = patient.say(*TO_MENU, "4")
    assert reply.keys == ["patient.handoff"]
    assert patient.services.handoffs == 1
    assert patient.chat.handoff_until == patient.now + timedelta(hours=24)
    for message in ("hola?", "1", "ayuda", "english"):
        assert patient.send(message).keys == []
    assert patient.send("", media=True).keys == []
    assert patient.send("hola", wait=timedelta(hours=24)).keys == ["patient.back", "patient.menu"]


def test_during_a_hand_off_each_message_is_passed_on_to_the_doctor() -> None:
    patient = Patient()
    patient.say(*TO_MENU, "4")
    for message in ("  ¿Me pueden llamar hoy?  ", "1", "ayuda", "English"):
        patient.send(message)
    patient.send("", media=True)  # nothing to pass on
    assert patient.services.forwarded == [
        ("¿Me pueden llamar hoy?", False), ("1", False), ("ayuda", False), ("English", False),
    ]  # fmt: skip
    patient.send("menu")  # the patient's own way back: not passed on, the bot answers again
    patient.send("2")
    assert len(patient.services.forwarded) == 4


def test_a_long_message_is_passed_on_capped() -> None:
    patient = Patient()
    patient.say(*TO_MENU, "4")
    patient.send("Necesito hablar con la doctora. " * 100)
    [(text, _)] = patient.services.forwarded
    assert len(text) == 500 and text.endswith("…") and text.startswith("Necesito hablar")


def test_menu_ends_the_hand_off_early() -> None:
    patient = Patient()
    patient.say(*TO_MENU, "4")
    assert patient.send("Menú").keys == ["patient.menu"]
    assert patient.chat.handoff_until is None
    assert patient.send("2").keys == ["patient.no_bookings", "patient.menu"]


def test_a_day_of_silence_mid_booking_starts_over_politely() -> None:
    patient = Patient()
    patient.say(*TO_TIME, "1", "María Pérez")
    reply = patient.send("34", wait=timedelta(hours=25))
    assert reply.keys == ["patient.idle_reset", "patient.menu"]
    assert patient.chat.data == {} and patient.state == S.MENU


def test_a_day_of_silence_at_the_menu_needs_no_reset() -> None:
    patient = Patient()
    patient.say(*TO_MENU)
    assert patient.send("2", wait=timedelta(days=3)).keys == ["patient.no_bookings", "patient.menu"]


def test_media_gets_a_text_only_answer_and_the_same_question() -> None:
    patient = Patient()
    patient.say(*TO_TIME, "1", "María Pérez")
    reply = patient.send("", media=True)
    assert reply.keys == ["patient.text_only", "patient.ask_age"]
    assert patient.state == S.AGE


def test_a_picture_with_a_caption_is_read_as_text() -> None:
    patient = Patient()
    patient.say(*TO_TIME, "1", "María Pérez")
    patient.send("34", media=True)
    assert patient.state == S.REASON


def test_media_as_a_first_message_is_welcomed() -> None:
    assert Patient().send("", media=True).keys == ["patient.welcome", "patient.consent"]


@pytest.mark.parametrize("two", ["2", "2.", "2️⃣", "dos", " 2 ", "opción 2", "*2*", "Dos"])
def test_numbers_are_read_however_they_are_written(two: str) -> None:
    patient = Patient()
    patient.say(*TO_MENU)
    assert patient.send(two).keys == ["patient.no_bookings", "patient.menu"]


@pytest.mark.parametrize(
    ("words", "key"),
    [
        ("quiero agendar una cita", "patient.services"),
        ("cancelar una cita", "patient.no_bookings"),
        ("hablar con una persona", "patient.handoff"),
        ("5", "patient.not_understood"),
        ("1 o 2", "patient.not_understood"),
    ],
)
def test_the_menu_understands_a_few_words(words: str, key: str) -> None:
    patient = Patient()
    patient.say(*TO_MENU)
    assert patient.send(words).keys[0] == key


def test_emoji_right_to_left_text_and_very_long_answers_are_kept_capped() -> None:
    patient = Patient(asking({"symptoms": "optional"}))
    patient.say(*TO_TIME, "1")
    patient.send("👩‍⚕️ مريم " + "x" * 300)
    summary = patient.say("34", "ألم في الحلق 🤒", "tos 🤧 " * 1000, "no", "2")
    assert summary.keys == ["patient.summary"] and len(summary.text) < 1000
    assert patient.send("1").keys == ["patient.requested", "patient.menu"]
    [intake] = patient.services.intakes
    assert intake.name.startswith("مريم") and len(intake.name) <= 120  # emoji are no name
    assert intake.chief_complaint == "ألم في الحلق 🤒"
    assert intake.symptoms is not None and len(intake.symptoms) <= 500


@pytest.mark.parametrize("typed", ["10:30", "10.30", "a las 10:30 porfa", "10:30 am", "10h30"])
def test_typed_times_are_matched_to_the_offered_ones(typed: str) -> None:
    patient = Patient()
    patient.say(*TO_TIME)
    patient.send(typed)
    assert patient.chat.data["start"] == "2026-12-01T16:30:00+00:00"


@pytest.mark.parametrize("typed", ["4:00 pm", "10:45"])
def test_a_time_not_free_shows_the_nearest_free_ones(typed: str) -> None:
    patient = Patient()
    patient.say(*TO_TIME)
    reply = patient.send(typed)
    assert reply.keys == ["patient.time_not_free", "patient.times"]
    assert patient.state == S.TIME and "slot_id" not in patient.chat.data


@pytest.mark.parametrize("typed", ["25", "quizás", "👀"])
def test_an_answer_naming_no_time_asks_again(typed: str) -> None:
    patient = Patient()
    patient.say(*TO_TIME)
    assert patient.send(typed).keys == ["patient.not_understood", "patient.times"]


LONG_DAY = [time(9 + n // 2, 30 * (n % 2)) for n in range(20)]  # 09:00 to 18:30


def long_day(rescheduling: bool = False) -> tuple[Patient, Reply]:
    """A patient shown the 20 free times of a long Tuesday: 9 a page, then "more"."""
    services = FakePatientServices.with_services()
    service = services.add_service("Consulta general", [TUESDAY], LONG_DAY)
    patient = Patient(services)
    if rescheduling:
        services.add_booking("K7M3QX", service, NOW + timedelta(days=3))
        return patient, patient.say(*TO_MENU, "3", "2", "1")
    return patient, patient.say(*TO_MENU, "1", "1")


def test_a_long_day_shows_nine_times_a_page_and_a_number_for_the_rest() -> None:
    """Nine times and "more" are ten options: one WhatsApp list when they go tappable."""
    patient, times = long_day()
    assert "9. 13:00\n10. Más horarios ➡️" in times.text and "13:30" not in times.text
    more = patient.send("10")
    assert more.keys == ["patient.times"] and patient.state == S.TIME
    assert "1. 13:30\n" in more.text and "9. 17:30\n10. Más horarios" in more.text
    last = patient.send("10")
    assert "1. 18:00\n2. 18:30" in last.text and "Más horarios" not in last.text
    patient.send("2")
    assert patient.chat.data["start"] == "2026-12-02T00:30:00+00:00"  # 18:30 in Mexico City


@pytest.mark.parametrize("words", ["más horarios", "Más", "otros horarios", "more times"])
def test_more_times_may_be_asked_for_in_words(words: str) -> None:
    patient, _ = long_day()
    assert "1. 13:30" in patient.send(words).text


@pytest.mark.parametrize(
    "typed",
    ["16:30", "4:30 pm", "4:30 p. m.", "16.30", "1630", "a las 16h30", "4:30 de la tarde"],
)
def test_any_free_time_of_the_day_may_be_typed_even_if_not_shown(typed: str) -> None:
    patient, _ = long_day()
    patient.send(typed)
    assert patient.chat.data["start"] == "2026-12-01T22:30:00+00:00"  # 16:30 in Mexico City
    assert patient.state == S.NAME


@pytest.mark.parametrize(
    ("typed", "start"),
    [("4 pm", "22:00"), ("4 de la tarde", "22:00"), ("18 hrs", "00:00"), ("9 am", "15:00")],
)
def test_an_hour_typed_alone_is_a_time_not_an_option_number(typed: str, start: str) -> None:
    patient, _ = long_day()
    patient.send(typed)
    assert patient.chat.data["start"].endswith(f"T{start}:00+00:00")


@pytest.mark.parametrize("typed", ["19:00", "16:45", "4:30 am"])
def test_a_typed_time_that_is_not_free_offers_the_nearest(typed: str) -> None:
    patient, _ = long_day()
    reply = patient.send(typed)
    assert reply.keys == ["patient.time_not_free", "patient.times"]
    assert "slot_id" not in patient.chat.data
    # Three times are offered, and "4" shows the whole day again.
    assert reply.text.count("\n") >= 4 and "4. Ver todos los horarios" in reply.text


@pytest.mark.parametrize("typed", ["25:00", "2530"])
def test_a_time_that_cannot_be_asks_again(typed: str) -> None:
    patient, _ = long_day()
    assert patient.send(typed).keys == ["patient.not_understood", "patient.times"]
    assert "slot_id" not in patient.chat.data


def test_rescheduling_offers_more_times_and_takes_a_typed_one() -> None:
    patient, times = long_day(rescheduling=True)
    assert "10. Más horarios" in times.text
    assert "1. 13:30" in patient.send("10").text and patient.state == S.MOVE_TIME
    assert patient.send("18:00").keys == ["patient.move_confirm"]
    assert patient.send("1").keys == ["patient.move_asked", "patient.menu"]


def test_a_refusal_the_flow_cannot_explain_keeps_the_summary() -> None:
    patient = Patient()
    at_summary(patient)
    patient.services.refusals["hold"] = BookingError("could not find a free request code")
    assert patient.send("1").keys == ["patient.try_again", "patient.summary"]
    assert patient.send("1").keys == ["patient.requested", "patient.menu"]


def test_the_last_free_time_taken_meanwhile_offers_the_waitlist_with_the_answers_given() -> None:
    services = FakePatientServices.with_services()
    services.add_service("Consulta general", [TUESDAY], [time(10, 0)])
    patient = Patient(services)
    patient.say(*TO_MENU, "1", "1", "1", *INTAKE)
    services.taken_meanwhile.add(uuid.UUID(patient.chat.data["slot_id"]))
    reply = patient.send("1")
    assert reply.keys == ["patient.slot_taken", "patient.no_days_left", "patient.waitlist_join"]
    assert patient.send("3").keys == ["patient.summary"]  # the answers given are kept
    assert patient.send("1").keys == ["patient.waitlist_joined", "patient.menu"]
    assert patient.chat.data == {} and services.waiting


def test_an_appointment_that_cannot_move_any_more_is_explained() -> None:
    patient = with_appointment()
    patient.say(*TO_MENU, "3", "2", "1", "1")
    patient.services.refusals["reschedule"] = IllegalTransition("reservation", "K7M3QX", "x", "y")
    assert patient.send("1").keys == ["patient.cannot_move", "patient.menu"]


def test_a_booking_without_a_known_service_cannot_move_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    patient = with_appointment()
    [booking] = patient.services.booked()
    monkeypatch.setattr(patient.services, "bookings", lambda: [replace(booking, service_id=None)])
    assert patient.say(*TO_MENU, "3", "2").keys == ["patient.cannot_move", "patient.menu"]


def test_a_practice_without_a_policy_just_asks_to_confirm() -> None:
    services = FakePatientServices.with_services("Consulta general")
    services.practice = replace(services.practice, cancellation_policy=None)
    patient = Patient(services)
    services.add_booking("K7M3QX", services.service_list[0], NOW + timedelta(days=3))
    assert patient.say(*TO_MENU, "3", "1").keys == ["patient.cancel_confirm"]


@pytest.mark.parametrize(
    ("answer", "urgency"),
    [
        ("no es urgente", Urgency.LOW),
        ("nada urgente", Urgency.LOW),
        ("poco urgente", Urgency.LOW),
        ("No es urgente, puede esperar", Urgency.LOW),
        ("not urgent", Urgency.LOW),
        ("it's not urgent", Urgency.LOW),
        ("urgente", Urgency.URGENT),
        ("es urgente!!", Urgency.URGENT),
        ("4", Urgency.URGENT),
        ("alta", Urgency.HIGH),
        ("normal", Urgency.NORMAL),
    ],
)
def test_urgency_is_read_as_meant_never_as_the_word_it_denies(
    answer: str, urgency: Urgency
) -> None:
    patient = reach(S.URGENCY)
    patient.send(answer)
    assert patient.state == S.CONTACT and patient.chat.data["urgency"] == urgency.value


@pytest.mark.parametrize(
    "answer", ["no, es urgente", "no sé si es urgente", "alta pero no urgente", "no normal"]
)
def test_urgency_that_both_denies_and_names_is_asked_again(answer: str) -> None:
    patient = reach(S.URGENCY)
    reply = patient.send(answer)
    assert patient.state == S.URGENCY and reply.keys[0] == "patient.not_understood"
    assert "urgency" not in patient.chat.data


@pytest.mark.parametrize(
    ("answer", "name"),
    [
        ("Me llamo Ana Pérez", "Ana Pérez"),
        ("mi nombre es José Luis Ramírez", "José Luis Ramírez"),
        ("Soy María Pérez.", "María Pérez"),
        ("My name is John Smith", "John Smith"),
        ("Ana Pérez", "Ana Pérez"),
        ("Soledad Soto", "Soledad Soto"),
    ],
)
def test_a_name_is_stored_without_the_words_that_introduce_it(answer: str, name: str) -> None:
    patient = reach(S.NAME)
    patient.send(answer)
    assert patient.chat.data["name"] == name and patient.state == S.AGE


@pytest.mark.parametrize(
    "answer", ["gracias", "Muchas gracias!", "ok gracias 👍", "👍", "Thanks!", "listo"]
)
def test_thanks_at_the_menu_is_answered_kindly_without_the_menu_again(answer: str) -> None:
    patient = reach(S.MENU)
    reply = patient.send(answer)
    assert reply.keys == ["patient.you_are_welcome"] and patient.state == S.MENU


@pytest.mark.parametrize("answer", ["hola", "Buenas tardes", "hello"])
def test_a_greeting_at_the_menu_is_greeted_back_with_the_menu(answer: str) -> None:
    patient = reach(S.MENU)
    assert patient.send(answer).keys == ["patient.greeted", "patient.menu"]


@pytest.mark.parametrize(("answer", "state"), [("la dos", S.DAY), ("una ecografía", S.SERVICE)])
def test_a_number_word_before_other_words_is_not_an_option(answer: str, state: S) -> None:
    """A number word with more words is not an option: "una" in "una ecografía" is an article."""
    services = FakePatientServices.with_services("Consulta general", "Ultrasonido obstétrico")
    patient = Patient(services)
    patient.say(*TO_MENU, "1")
    patient.send(answer)
    assert patient.state == state
    if state == S.DAY:
        assert patient.chat.data["service"] == "Ultrasonido obstétrico"


def test_a_phone_the_no_show_policy_refuses_is_told_kindly_before_any_question() -> None:
    practice = replace(PRACTICE, no_show_limit=2, phone="+525555501234")
    services = FakePatientServices.with_services("Consulta general", practice=practice)
    services.chat_closed = True
    patient = Patient(services)
    patient.say(*TO_MENU)
    reply = patient.send("1")
    assert reply.keys[0] == "patient.chat_closed" and "+525555501234" in reply.text
    assert patient.state == PatientState.MENU
    assert not services.intakes


def test_a_policy_reached_while_booking_loses_the_answers_and_says_how_to_book() -> None:
    services = FakePatientServices.with_services("Consulta general")
    services.refusals["hold"] = ChatBookingClosed()
    patient = Patient(services)
    patient.say(*TO_MENU, "1", "1", "1", *INTAKE)
    reply = patient.send("confirmar")
    assert reply.keys[0] == "patient.chat_closed_no_phone"
    assert "*4*" in reply.text and patient.state == PatientState.MENU
    assert patient.chat.data == {}


@pytest.mark.parametrize("approval", [False, True])
def test_a_patient_the_policy_asks_to_reconfirm_is_told_with_the_booking(approval: bool) -> None:
    services = FakePatientServices.with_services(
        "Consulta general", approval_required=approval, must_reconfirm=True
    )
    patient = Patient(services)
    patient.say(*TO_MENU, "1", "1", "1", *INTAKE)
    reply = patient.send("confirmar")
    assert reply.keys[0] == ("patient.requested" if approval else "patient.booked")
    assert "te pediremos confirmar tu asistencia" in reply.text
    other = Patient(FakePatientServices.with_services("Consulta general"))
    other.say(*TO_MENU, "1", "1", "1", *INTAKE)
    assert "confirmar tu asistencia" not in other.send("confirmar").text
