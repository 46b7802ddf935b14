"""The patient's language: told from the first message's words, then the number's country.

The rule: words first, whatever the country ("hi" is English from Mexico too, "hola"
Spanish from the US); a message whose words tell nothing ("1", "ok", "👋", a name)
takes the number's country's language, else the practice's. The other language is
offered under the welcome when the practice or the country would have chosen it.
Mid-conversation, two clear sentences in a row in the other language switch to it.
"""

from __future__ import annotations

import json
import re

import pytest

from bot_flows.language import clearly_written_in, opening, written_in
from bot_flows.patient import WRITTEN_IN, PatientState
from tests.unit.fake_patient_services import FakePatientServices, Patient, Reply
from tests.unit.test_patient_states import reach

S = PatientState
US, MX, DE = "+14155550123", "+525512345678", "+4915112345678"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
WELCOME = ["patient.welcome", "patient.consent"]


def first(message: str, phone: str) -> tuple[Patient, Reply]:
    """A new number's first message, and the bot's answer to it."""
    patient = Patient(FakePatientServices.with_services("Consulta general", phone=phone))
    return patient, patient.send(message)


@pytest.mark.parametrize(
    ("message", "phone", "language", "offer"),
    [
        ("Hi, I'd like to book an appointment", US, "en", "es"),
        ("Hello! I would like an appointment please", MX, "en", "es"),
        ("hi", MX, "en", "es"),  # "hi" is English from anywhere
        ("hi", US, "en", "es"),
        ("1", US, "en", "es"),  # nothing in the words: the country's
        ("ok", US, "en", "es"),
        ("👋", US, "en", "es"),
        ("hola", US, "es", "en"),  # words first; the country's language is offered
        ("Hola buenas tardes, quiero una cita", US, "es", "en"),
        ("hola", MX, "es", None),  # as before
        ("1", MX, "es", None),
        ("1", DE, "es", None),  # a country of neither language: the practice's
        ("Hola, I'd like an appointment", MX, "en", "es"),  # more English than Spanish
    ],
)
def test_a_first_message_opens_in_its_language_and_offers_the_other(
    message: str, phone: str, language: str, offer: str | None
) -> None:
    patient, reply = first(message, phone)
    offered = [f"patient.offer_language.{offer}"] if offer else []
    assert reply.keys == [WELCOME[0], *offered, WELCOME[1]]
    assert patient.chat.language == language
    assert patient.services.language == (None if language == "es" else language)
    assert patient.state == S.CONSENT


def test_an_english_opening_reads_in_english_with_a_spanish_way_back() -> None:
    _, reply = first("Hi, I'd like to book an appointment", US)
    assert "I'm Dra. Ana López's assistant" in reply.text and "Do you accept?" in reply.text
    assert "Escribe *español* para continuar en español." in reply.text


def test_the_offered_language_is_taken_at_once() -> None:
    patient, _ = first("hola", US)
    reply = patient.send("English")
    assert reply.keys == ["patient.language_set", "patient.consent"]
    assert patient.chat.language == "en" and patient.services.language == "en"


def test_a_first_message_naming_a_language_gets_it_without_an_offer() -> None:
    patient, reply = first("english", MX)
    assert reply.keys == ["patient.language_set", *WELCOME]
    assert patient.chat.language == "en"


ENGLISH_ANSWERS = (
    "My throat hurts and I have had a fever since yesterday",
    "I take ibuprofen for the pain and I am allergic to penicillin",
)


def answers(patient: Patient) -> str:
    """The conversation's data, its slots' and services' random ids left out."""
    return UUID.sub("id", json.dumps(patient.chat.data, sort_keys=True))


def test_two_clear_english_answers_switch_to_english_and_keep_both_answers() -> None:
    patient, in_english = reach(S.REASON), reach(S.REASON)
    in_english.chat.language = in_english.services.language = "en"

    expected = [in_english.send(answer) for answer in ENGLISH_ANSWERS]
    first_reply = patient.send(ENGLISH_ANSWERS[0])
    assert first_reply.keys == expected[0].keys and patient.chat.language == "es"
    second_reply = patient.send(ENGLISH_ANSWERS[1])

    assert second_reply.keys == ["patient.language_set", *expected[1].keys]
    assert second_reply.text.startswith("Sure, we'll continue in English.")
    assert patient.chat.language == "en" and patient.services.language == "en"
    assert patient.state == in_english.state
    assert answers(patient) == answers(in_english)
    assert ENGLISH_ANSWERS[0] in json.dumps(patient.chat.data)


def test_a_spanish_sentence_between_two_english_ones_keeps_spanish() -> None:
    patient = reach(S.REASON)
    patient.send(ENGLISH_ANSWERS[0])
    patient.send("Tomo ibuprofeno desde ayer")
    patient.send(ENGLISH_ANSWERS[1])
    assert patient.chat.language == "es" and patient.services.language is None


def test_a_name_never_counts_towards_a_switch() -> None:
    patient = reach(S.NAME)
    patient.send("I'm John Smith, this is my name")
    assert patient.chat.language == "es" and WRITTEN_IN not in patient.chat.data


@pytest.mark.parametrize(
    "message",
    ["ok", "no", "1", "34", "👍", "thanks", "Mary Smith", "John", "Ana María", "ok thanks", "yes"],
)
def test_single_or_ambiguous_words_are_not_a_clear_sentence(message: str) -> None:
    assert clearly_written_in(message) is None


@pytest.mark.parametrize(
    ("message", "language"),
    [
        ("Hi, I'd like to book an appointment", "en"),
        ("good morning", "en"),
        ("Buenos días, quisiera una cita por favor", "es"),
        ("Me duele la garganta", "es"),
        ("ok", None),
        ("👋", None),
        ("Ana", None),
    ],
)
def test_a_message_is_written_in_the_language_it_holds_more_telling_words_of(
    message: str, language: str | None
) -> None:
    assert written_in(message) == language


def test_the_country_tells_english_only_for_english_speaking_numbers() -> None:
    assert opening("1", "+15145550123", "es").language == "en"  # Canada
    assert opening("1", "+18095550123", "es").language == "es"  # Dominican Republic (+1 809)
    assert opening("1", "+442079460000", "es").language == "en"  # United Kingdom
    assert opening("1", "+5491155550000", "en") == opening("1", MX, "en")  # Spanish, offers en
