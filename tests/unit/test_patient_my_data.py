"""MIS DATOS: a patient sees what the practice holds, corrects it, withdraws consent, asks
for erasure; each request is noted in the rights register (the fake's `rights`)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot_flows.patient import PatientState
from bot_flows.patient_start import CONSENT_VERSION
from bot_flows.ports import StoredPatient
from tests.unit.fake_patient_services import FakePatientServices, Patient
from tests.unit.test_patient_states import TO_MENU, TO_MY_DATA

S = PatientState
BOOKED = (*TO_MENU, "1", "1", "1", "1", "María Pérez", "34", "Dolor de garganta", "no", "2", "1")


def booked_patient(phone: str = "+525512345678") -> Patient:
    """A patient who sent a request with a sore throat as the reason, now at the menu."""
    services = FakePatientServices.with_services("Consulta general", "Ultrasonido", phone=phone)
    patient = Patient(services)
    patient.say(*BOOKED)
    assert patient.state == S.MENU and patient.services.intakes
    return patient


@pytest.mark.parametrize(
    "words",
    [
        "mis datos", "MIS DATOS", "Mis datos personales", "borrar mis datos",
        "quiero que borren mis datos", "retirar consentimiento",
        "ya no quiero que usen mis datos", "my data", "MY DATA",
    ],
)  # fmt: skip
def test_the_words_for_ones_data_reach_it_from_the_menu(words: str) -> None:
    patient = Patient()
    patient.say(*TO_MENU)
    reply = patient.send(words)
    assert patient.state == S.MY_DATA
    assert reply.keys[0] == "patient.my_data.held" and reply.keys[-1] == "patient.my_data.options"


def test_a_returning_patients_first_message_can_ask_for_their_data() -> None:
    patient = Patient(FakePatientServices.with_services("Consulta", consented=True))
    reply = patient.send("hola, quiero ver mis datos")
    assert reply.keys[:2] == ["patient.welcome_back", "patient.my_data.held"]
    assert patient.state == S.MY_DATA


def test_before_consent_the_words_only_show_the_privacy_notice() -> None:
    patient = Patient()
    assert patient.send("mis datos").keys == ["patient.welcome", "patient.consent"]
    assert "my_data" not in {name for name, _ in patient.services.calls}


def test_the_menus_help_names_my_data() -> None:
    patient = Patient()
    patient.say(*TO_MENU)
    assert "*mis datos*" in patient.send("ayuda").text


def test_seeing_shows_identity_bookings_and_answers_and_is_noted_answered() -> None:
    patient = booked_patient()
    reply = patient.send("mis datos")
    assert "María Pérez" in reply.text and "34 años" in reply.text
    assert "Consulta general" in reply.text and "K00001" in reply.text
    assert "Motivo: Dolor de garganta" in reply.text and "esperando respuesta" in reply.text
    assert patient.services.rights == [("access", True)]
    # Nothing read is kept in the conversation: health answers do not linger there.
    assert "Dolor" not in repr(patient.chat.data)


def test_a_new_patient_sees_that_nothing_is_held_but_the_consent() -> None:
    patient = Patient()
    patient.say(*TO_MENU)
    reply = patient.send("my data")
    assert "patient.my_data.no_bookings" in reply.keys
    assert "no indicado" in reply.text


def test_the_name_is_corrected_as_the_intake_reads_it() -> None:
    patient = booked_patient()
    patient.say("mis datos", "1", "1")
    assert patient.state == S.MY_DATA_NAME
    assert patient.send("Ana").keys[0] == "patient.bad_name"  # one word is not a full name
    reply = patient.send("me llamo maría josé pérez")
    assert reply.keys[0] == "patient.my_data.corrected" and patient.state == S.MENU
    assert ("correct_identity", ("María José Pérez", None, None)) in patient.services.calls
    assert patient.services.rights == [("access", True), ("correction", True)]
    assert "María José Pérez" in patient.send("mis datos").text


def test_age_and_sex_are_corrected() -> None:
    patient = booked_patient()
    patient.say("mis datos", "1", "2")
    assert patient.send("treinta").keys[0] == "patient.my_data.corrected"
    patient.say("mis datos", "1", "3")
    assert patient.send("femenino").keys[0] == "patient.my_data.corrected"
    assert patient.services.stored == StoredPatient("María Pérez", 30, "female", contact=None)


def test_a_bad_age_is_asked_again() -> None:
    patient = booked_patient()
    patient.say("mis datos", "1", "2")
    assert patient.send("muchos").keys[0] == "patient.bad_age"
    assert patient.state == S.MY_DATA_AGE


def test_withdrawing_is_confirmed_first_and_then_the_confirmation_is_the_last_message() -> None:
    patient = booked_patient()
    patient.say("mis datos", "2")
    assert patient.send("2").keys[0] == "patient.my_data.kept" and patient.services.consented
    patient.say("mis datos", "2")
    reply = patient.send("1")
    assert reply.keys == ["patient.my_data.withdrawn"]
    assert patient.state == S.DECLINED and patient.chat.data == {}
    assert ("withdraw_consent", (CONSENT_VERSION,)) in patient.services.calls
    assert not patient.services.consented
    assert patient.services.rights[-1] == ("withdrawal", True)


def test_after_withdrawing_the_bot_treats_the_phone_as_one_that_declined() -> None:
    patient = booked_patient()
    patient.say("mis datos", "2", "1")
    calls = len(patient.services.calls)
    # Writing again only shows the privacy notice; nothing is booked or read meanwhile.
    assert patient.send("quiero una cita", wait=timedelta(hours=1)).keys == ["patient.consent"]
    assert patient.send("menu").keys == ["patient.consent"]
    assert {name for name, _ in patient.services.calls[calls:]} <= {"has_consented"}


def test_erasure_cancels_what_is_pending_and_says_what_went_and_what_is_kept_until_when() -> None:
    patient = booked_patient()
    [pending] = patient.services.bookings()
    patient.say("mis datos", "3")
    reply = patient.send("1")
    assert reply.keys == [
        "patient.my_data.erased_cancelled",
        "patient.my_data.erased",
        "patient.my_data.record_kept",
    ]
    assert pending.code in reply.text
    # The fake keeps one attended visit of 2026-11-20 for Mexico's 5 years.
    assert "hasta el 20 de noviembre de 2031." in reply.text and "(consultas: 1)" in reply.text
    assert patient.state == S.DECLINED and patient.chat.data == {}
    assert ("erase_my_data", (CONSENT_VERSION,)) in patient.services.calls
    assert patient.services.rights[-1] == ("erasure", False)
    # Then the phone is one the bot never met: the privacy notice, nothing read.
    calls = len(patient.services.calls)
    assert patient.send("hola", wait=timedelta(hours=1)).keys == ["patient.consent"]
    assert {name for name, _ in patient.services.calls[calls:]} <= {"has_consented"}


def test_a_phone_that_withdrew_still_sees_and_erases_its_data_but_cannot_book() -> None:
    """Its rights need no consent: "mis datos" works after a withdrawal; going back from
    there shows the privacy notice, not the menu."""
    patient = booked_patient()
    patient.say("mis datos", "2", "1")
    assert patient.state == S.DECLINED
    assert patient.send("mis datos", wait=timedelta(hours=1)).keys[0] == "patient.my_data.held"
    assert patient.send("4").keys == ["patient.consent"] and patient.state == S.CONSENT
    assert patient.send("mis datos").keys[0] == "patient.my_data.held"
    patient.say("3")
    assert patient.send("1").keys[1] == "patient.my_data.erased"
    assert patient.state == S.DECLINED


def test_erasure_declined_records_nothing() -> None:
    patient = booked_patient()
    patient.say("mis datos", "3")
    assert patient.send("no").keys[0] == "patient.my_data.kept"
    assert patient.services.rights == [("access", True)]


def test_another_phones_data_is_never_shown() -> None:
    """Each services object is bound to the writer's phone (the real one queries by it, see
    tests/integration/test_rights.py): another patient's request never shows here."""
    booked_patient("+525599999999")
    mine = Patient(FakePatientServices.with_services("Consulta general"))
    reply = mine.say(*TO_MY_DATA)
    assert "Dolor" not in reply.text and "María Pérez" not in reply.text
    assert "patient.my_data.no_bookings" in reply.keys


def test_english_speakers_see_it_in_english() -> None:
    patient = booked_patient()
    patient.send("english")
    reply = patient.send("my data")
    assert "Reason: Dolor de garganta" in reply.text and "Withdraw consent" in reply.text
