"""How names, ages and worded answers are read (bot_flows/reading.py) and what the flow does.

The fixed scenario is tests/unit/test_patient_states.py's (`reach`, Monday 30
November 2026 on the fake clock); the cases follow tests/data/patient_corpus.
"""

from __future__ import annotations

import pytest

from bot_flows.patient import PatientState
from bot_flows.reading import age_in, agreed, name_of
from tests.unit.test_patient_states import reach

S = PatientState


@pytest.mark.parametrize(
    ("answer", "name"),
    [
        ("maria guadalupe torres", "Maria Guadalupe Torres"),
        ("MARIA GUADALUPE TORRES", "Maria Guadalupe Torres"),  # no accent invented
        ("mi nombre es andrea del pilar castro", "Andrea del Pilar Castro"),
        ("Sofía de la Cruz", "Sofía de la Cruz"),  # written with capitals: kept as written
        ("Hola, soy Camila Soto Muñoz", "Camila Soto Muñoz"),
        ("Valentina Rojas 😊", "Valentina Rojas"),
        ("soy la señora Rosa Elena Vargas", "Rosa Elena Vargas"),
        ("Soy Lautaro Benítez, gracias", "Lautaro Benítez"),
        ("es para mi hija, se llama Renata Díaz", "Renata Díaz"),
        ("Hi I'm Michael O'Brien", "Michael O'Brien"),
        ("it's Jennifer Lopez-Garcia", "Jennifer Lopez-Garcia"),
        ("michael o'brien", "Michael O'Brien"),
    ],
)
def test_a_name_is_stored_capitalised_without_intros_greetings_or_emoji(
    answer: str, name: str
) -> None:
    assert name_of(answer) == (name, None)


@pytest.mark.parametrize(
    "answer",
    [
        "Daniela",  # only a first name
        "Pérez",  # only a surname
        "34",
        "para qué quieren mi nombre?",
        "el mismo de siempre",
        "Sarah Miller (it's for my daughter Chloe Miller)",  # whose name is it?
        "Ana Pérez, la de siempre",  # something after the name that is no age
    ],
)
def test_what_is_not_one_full_name_is_not_taken(answer: str) -> None:
    assert name_of(answer) == (None, None)


def test_an_age_said_with_the_name_answers_the_age_question_too() -> None:
    patient = reach(S.NAME)
    patient.send("Ana Pérez, 34 años")
    assert patient.chat.data["name"] == "Ana Pérez" and patient.chat.data["age"] == 34
    assert patient.state == S.SEX  # the age is not asked


def test_a_single_word_name_asks_for_the_full_name_and_keeps_nothing() -> None:
    patient = reach(S.NAME)
    reply = patient.send("Daniela")
    assert reply.keys == ["patient.bad_name", "patient.ask_name"]
    assert patient.state == S.NAME and "name" not in patient.chat.data


@pytest.mark.parametrize(
    ("answer", "age"),
    [
        ("treinta y cuatro", 34),
        ("treintaydos", 32),  # dictation runs the words together
        ("veintidós años", 22),
        ("twenty-nine", 29),
        ("cien", 100),
        ("tengo 2 hijos y 33 años", 33),  # "2 hijos" is not the age
        ("28 años y 3 meses", 28),
        ("32 weeks pregnant, I'm 27", 27),
        ("cumplo 30 el mes que viene", 29),
        ("tengo 31 po", 31),
        ("mi hija tiene 7", 7),
    ],
)
def test_an_age_is_read_in_digits_or_words(answer: str, age: int) -> None:
    assert age_in(answer) == age


@pytest.mark.parametrize(
    "answer",
    ["3o", "340", "como 40", "almost 40", "cuarenta y pico", "nací en 1990", "8 meses", "no sé"],
)
def test_an_approximate_or_doubtful_age_is_not_guessed(answer: str) -> None:
    assert age_in(answer) is None


def test_a_number_in_words_at_the_age_question_is_the_age_not_an_option() -> None:
    patient = reach(S.NAME)
    patient.say("Ana Pérez")
    patient.send("treinta y cuatro")
    assert patient.chat.data["age"] == 34


@pytest.mark.parametrize(
    ("answer", "urgency"),
    [
        ("no hay apuro", "low"),
        ("sin apuro po", "low"),
        ("tranqui, es un control nomás", "low"),
        ("no rush", "low"),
        ("normal, nada grave", "normal"),
        ("normalito", "normal"),
        ("urjente", "urgent"),
    ],
)
def test_urgency_in_everyday_words(answer: str, urgency: str) -> None:
    patient = reach(S.URGENCY)
    patient.send(answer)
    assert patient.chat.data["urgency"] == urgency and patient.state != S.URGENCY


@pytest.mark.parametrize("answer", ["medio urgente", "kinda urgent", "alta, sin apuro"])
def test_an_urgency_between_two_levels_is_asked_again(answer: str) -> None:
    patient = reach(S.URGENCY)
    assert patient.send(answer).keys == ["patient.not_understood", "patient.ask_urgency"]
    assert "urgency" not in patient.chat.data


@pytest.mark.parametrize(
    ("answer", "accepted"),
    [
        ("va", True),
        ("bueno, está bien", True),
        ("I agree", True),
        ("nel", False),
        ("prefiero que no", False),
        ("I don't agree", False),
    ],
)
def test_consent_in_everyday_words(answer: str, accepted: bool) -> None:
    patient = reach(S.CONSENT)
    patient.send(answer)
    assert patient.services.consented is accepted and patient.state != S.CONSENT


def test_a_thumbs_up_is_no_consent() -> None:
    patient = reach(S.CONSENT)
    assert patient.send("👍").keys == ["patient.not_understood", "patient.consent"]
    assert patient.state == S.CONSENT


def test_a_thumbs_up_agrees_in_any_skin_tone_and_only_alone() -> None:
    assert agreed("👍") and agreed("👍🏽") and agreed(" 👌 ")
    assert not agreed("👍 no") and not agreed("🙏") and not agreed("")


@pytest.mark.parametrize(
    ("answer", "state", "said"),
    [
        ("👍", S.MENU, "patient.requested"),
        ("sí, todo correcto", S.MENU, "patient.requested"),
        ("looks good!", S.MENU, "patient.requested"),
        ("está mal el nombre", S.SERVICE, None),
        ("sí pero cámbiame la hora", S.SERVICE, None),
        ("mejor no, olvídalo", S.MENU, "patient.discarded"),
        ("ya no quiero el turno", S.MENU, "patient.discarded"),
    ],
)
def test_the_summary_in_everyday_words(answer: str, state: PatientState, said: str) -> None:
    patient = reach(S.SUMMARY)
    keys = patient.send(answer).keys
    assert patient.state == state and (said is None or said in keys)


@pytest.mark.parametrize("answer", ["no", "espera", "no quiero cancelar", "no confirmo"])
def test_an_unclear_summary_answer_is_asked_again(answer: str) -> None:
    patient = reach(S.SUMMARY)
    assert patient.send(answer).keys == ["patient.not_understood", "patient.summary"]
    assert not patient.services.intakes


@pytest.mark.parametrize(
    ("answer", "state"),
    [
        ("ahí nos vemos 👍", S.MENU),
        ("👍", S.MENU),
        ("dale, voy", S.MENU),
        ("see you then!", S.MENU),
        ("cancelo la cita", S.CANCEL),
        ("ya no voy a ir, cancélela porfa", S.CANCEL),
        ("la puedo mover para otro día?", S.MOVE_DAY),
    ],
)
def test_the_reminder_in_everyday_words(answer: str, state: PatientState) -> None:
    patient = reach(S.REMINDER)
    patient.send(answer)
    assert patient.state == state


@pytest.mark.parametrize("answer", ["no voy a poder ir", "can't make it", "gracias por recordarme"])
def test_not_going_is_asked_about_cancel_or_move(answer: str) -> None:
    patient = reach(S.REMINDER)
    assert patient.send(answer).keys == ["patient.not_understood", "patient.reminder"]
    assert patient.state == S.REMINDER
