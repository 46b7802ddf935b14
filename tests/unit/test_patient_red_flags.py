"""Emergency words: recognised in Spanish and English, answered at once, flagged urgent."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.booking.intake import Urgency
from bot_flows.patient import PatientState
from bot_flows.red_flags import RedFlag, red_flag
from tests.unit.fake_patient_services import Patient
from tests.unit.test_patient_flow import asking_every_question

S = PatientState
TO_MENU = ("hola", "1")
TO_REASON = (*TO_MENU, "1", "1", "1", "1", "María Pérez", "58")  # the default questions

SIGNS = {
    RedFlag.CHEST_PAIN: [
        "Tengo dolor de pecho", "DOLOR EN EL PECHO desde hace una hora", "me duele mucho el pecho",
        "siento opresión en el pecho", "creo que es un infarto", "dolor torácico",
        "Dolor fuerte de pécho 😰", "I have chest pain", "sharp pain in my chest",
        "my chest hurts", "Heart attack?", "dolor pecho", "pain in chest", "dolor toráxico",
        "dolor toracico", "ataque cardíaco", "ataque al corason", "le dio un paro cardiaco",
        "creo que me está infartando",
    ],
    RedFlag.BREATHING: [
        "no puedo respirar", "me falta el aire", "Dificultad para respirar",
        "mi hijo se está ahogando", "me estoy ahogando", "I can't breathe",
        "shortness of breath", "trouble breathing", "he cannot breathe", "me cuesta respirar",
        "a mi papá le cuesta mucho respirar", "mi bebé no respira", "dejó de respirar",
        "no me entra el aire", "he's not breathing", "she stopped breathing", "i cant breath",
    ],
    RedFlag.BLEEDING: [
        "sangrado abundante", "estoy sangrando mucho", "no para de sangrar", "HEMORRAGIA",
        "vomitando sangre", "heavy bleeding", "bleeding a lot", "it won't stop bleeding",
        "coughing blood", "sangrado vaginal abundante", "sangra mucho", "hemoragia",
    ],
    RedFlag.UNCONSCIOUS: [
        "se desmayó", "mi mamá perdió el conocimiento", "está inconsciente",
        "tuvo una convulsión", "he passed out", "she fainted", "lost consciousness",
        "had a seizure", "se desmalló", "está inconsiente", "convulsión", "le dan convulsiones",
        "convulciona",
    ],
    RedFlag.STROKE: [
        "creo que es un derrame cerebral", "tiene la cara caída", "no puede hablar bien",
        "habla arrastrada", "embolia", "possible stroke", "face drooping", "slurred speech",
        "can't move my arm",
    ],
    RedFlag.SUICIDE: [
        "pienso en suicidarme", "quiero quitarme la vida", "me quiero morir",
        "ya no quiero vivir", "pensamientos suicidas", "I want to kill myself",
        "I want to die", "thinking about ending my life", "self-harm", "me quiero matar",
        "quiero morir", "me voy a matar", "tengo ganas de morirme", "pienso en el suisidio",
    ],
}  # fmt: skip
NEAR_MISSES = [
    "dolor de cabeza", "me duele la espalda", "análisis de sangre", "quiero dar pecho a mi bebé",
    "ejercicios para respirar mejor", "alergia al polen", "chequeo del corazón",
    "control de presión arterial", "el doctor no responde", "quiero vivir mejor", "mareo leve",
    "sangrado nasal leve hace un mes", "chest x-ray", "breathing exercises", "heart checkup",
    "headache", "back pain", "", "🙂", "1", "pechuga de pollo", "dolor al dar pecho",
    "me cuesta dormir", "ataque de tos", "ataque de risa", "me quiero matricular",
    "respiro mejor con el inhalador", "sangrado leve", "sangra poco al cepillarme",
    "revisión del corazón", "breathe in and out", "chest workout",
]  # fmt: skip
# A negation is not read: the warning costs a sentence, silence could cost a life.
WARNED_ANYWAY = ["no tengo dolor de pecho", "ya no me falta el aire", "tuve un infarto en 2019"]


@pytest.mark.parametrize(
    ("message", "sign"), [(message, sign) for sign, msgs in SIGNS.items() for message in msgs]
)
def test_emergency_signs_are_recognised_in_both_languages(message: str, sign: RedFlag) -> None:
    assert red_flag(message) is sign


@pytest.mark.parametrize("message", NEAR_MISSES)
def test_near_misses_are_not_emergencies(message: str) -> None:
    assert red_flag(message) is None


@pytest.mark.parametrize("message", WARNED_ANYWAY)
def test_negated_or_past_signs_are_still_warned_about(message: str) -> None:
    assert red_flag(message) is not None


def test_an_emergency_reason_gets_the_number_at_once_and_the_request_is_urgent() -> None:
    patient = Patient()
    patient.say(*TO_REASON)
    reply = patient.send("Dolor de pecho muy fuerte")
    assert reply.keys == ["patient.emergency", "patient.ask_health"]
    assert "Llama ahora al 911" in reply.text
    # "How urgent?" is not asked after telling them to call the emergency number.
    summary = patient.send("no")
    assert summary.keys == ["patient.summary"] and "Urgencia: URGENTE" in summary.text
    patient.send("1")
    assert patient.services.intakes[0].urgency is Urgency.URGENT
    assert patient.chat.data == {}


def test_an_emergency_mentioned_at_the_menu_makes_the_next_request_urgent() -> None:
    patient = Patient()
    patient.say(*TO_MENU)
    reply = patient.send("I can't breathe well since yesterday")
    assert reply.keys == ["patient.emergency", "patient.not_understood", "patient.menu"]
    patient.say("1", "1", "1", "1", "Ana Ruiz", "30", "Control", "no", "1")
    assert patient.services.intakes[0].urgency is Urgency.URGENT


def test_an_emergency_after_a_low_urgency_answer_still_makes_it_urgent() -> None:
    patient = Patient(asking_every_question())
    patient.say(*TO_REASON, "2", "Control", "no", "no", "no", "no", "1", "3")
    assert patient.send("se desmayó mi esposo").keys == [
        "patient.emergency",
        "patient.bad_email",
        "patient.ask_email",
    ]
    patient.say("ana@example.com", "1")
    assert patient.services.intakes[0].urgency is Urgency.URGENT


def test_before_consent_the_warning_is_given_and_nothing_is_noted() -> None:
    patient = Patient()
    reply = patient.send("tengo dolor en el pecho")
    assert reply.keys == ["patient.emergency", "patient.welcome", "patient.consent"]
    assert patient.chat.data == {}
    assert patient.send("me quiero morir").keys == ["patient.emergency", "patient.consent"]
    assert patient.chat.data == {}


@pytest.mark.parametrize("message", ["no puedo respirar", "No, me duele el pecho", "2 infarto"])
def test_emergency_words_at_the_consent_question_record_no_answer(message: str) -> None:
    patient = Patient()
    patient.send("hola")
    reply = patient.send(message)
    assert reply.keys == ["patient.emergency", "patient.consent"]
    assert not any(name == "record_consent" for name, _ in patient.services.calls)
    assert patient.state == S.CONSENT


def test_the_warning_breaks_the_silence_of_a_hand_off() -> None:
    patient = Patient()
    patient.say(*TO_MENU, "4")
    assert patient.send("hola?").keys == []
    reply = patient.send("no puedo respirar")
    assert reply.keys == ["patient.emergency"]
    assert patient.chat.handoff_until is not None
    assert patient.services.forwarded == [("hola?", False), ("no puedo respirar", True)]


def test_the_warning_comes_with_a_reset_after_a_day_of_silence() -> None:
    patient = Patient()
    patient.say(*TO_REASON)
    reply = patient.send("hemorragia", wait=timedelta(hours=30))
    assert reply.keys == ["patient.idle_reset", "patient.emergency", "patient.menu"]
    assert patient.chat.data == {"red_flag": True}


def test_the_flag_is_forgotten_once_the_request_is_sent() -> None:
    patient = Patient()
    patient.say(*TO_REASON, "dolor de pecho", "no", "1")
    patient.say("1", "1", "1", "1", "Control")  # returning: only the reason is asked again
    assert patient.state == S.URGENCY
