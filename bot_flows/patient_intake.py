"""The clinical intake: who the patient is and why they come, one question at a time.

Answers live in the conversation's data only until the request is sent; then
they are dropped. "no" / "ninguno" / "ninguna" answers the optional questions.
"""

from __future__ import annotations

import re
from typing import Any

from app.booking.intake import ContactMethod, PatientIntake, Urgency
from bot_flows.engine import fold, option_words
from bot_flows.patient_answers import (
    NAME_LIMIT,
    choice,
    clear_choice,
    email_of,
    not_understood,
    written,
)
from bot_flows.patient_states import PatientState, PatientTurn
from bot_flows.ports import StoredPatient
from bot_flows.texts import recognised, text

S = PatientState
GENDERS = ("female", "male", "other")
URGENCIES = (Urgency.LOW, Urgency.NORMAL, Urgency.HIGH, Urgency.URGENT)
CONTACTS = (ContactMethod.WHATSAPP, ContactMethod.PHONE, ContactMethod.EMAIL)
SEX_WORDS = option_words(*(f"sex.{gender}" for gender in GENDERS))
URGENCY_WORDS = option_words(*(f"urgency.{urgency.value}" for urgency in URGENCIES))
NEGATED_URGENCY = recognised("urgency.negated")
NEGATIONS = recognised("negation")
# Longest first: "mi nombre es Ana" drops three words, not two.
NAME_INTROS = sorted((tuple(p.split()) for p in recognised("name.intro")), key=len, reverse=True)
# A "no" that stands on its own before the rest of the answer, whatever follows it.
ANSWERED_NO_FIRST = re.compile(
    r"\W*(?:" + "|".join(sorted(map(re.escape, NEGATIONS))) + r")\s*[,.;:!¡]\s*\w"
)
CONTACT_WORDS = option_words(*(f"contact.{contact.value}" for contact in CONTACTS))
# A clear yes or no, or "no, I want to change them".
REUSE_WORDS = option_words("yes", ("no", "reuse.change"))
SEX_TEXT = {
    "female": "patient.sex.female",
    "male": "patient.sex.male",
    "other": "patient.sex.other",
}
CONTACT_TEXT = {
    "whatsapp": "patient.contact.whatsapp",
    "phone": "patient.contact.phone",
    "email": "patient.contact.email",
}
URGENCY_TEXT = {
    "low": "urgency.low", "normal": "urgency.normal", "high": "urgency.high",
    "urgent": "urgency.urgent",
}  # fmt: skip
SHOWN = 80  # characters of each answer the summary repeats: WhatsApp messages are short
DIGITS = re.compile(r"\d+")


def start_intake(turn: PatientTurn) -> PatientState:
    """A returning patient may reuse what they told us last time."""
    stored = turn.services.stored_patient()
    if stored is None or not stored.name:
        return S.NAME
    turn.data["stored"] = {"name": stored.name, "age": stored.age, "gender": stored.gender}
    return S.REUSE


def ask_reuse(turn: PatientTurn) -> None:
    stored = turn.data["stored"]
    turn.say(
        "patient.reuse",
        name=stored["name"],
        age=age_text(turn, stored["age"]),
        sex=sex_text(turn, stored["gender"]),
    )


def answer_reuse(turn: PatientTurn) -> PatientState:
    """A clear yes or no: "sí, pero cambió mi edad" is asked again, not taken for yes."""
    answer = clear_choice(turn, 2, REUSE_WORDS)
    if answer is None:
        return not_understood(turn, S.REUSE)
    stored = turn.data.pop("stored")
    if answer == 2:
        return S.NAME
    turn.data.update(name=stored["name"], age=stored["age"], gender=stored["gender"])
    if stored["age"] is None:
        return S.AGE
    return S.SEX if stored["gender"] is None else S.REASON


def answer_name(turn: PatientTurn) -> PatientState:
    name = _without_intro(written(turn, NAME_LIMIT))
    if name is None:
        turn.say("patient.write_words")
        return S.NAME
    turn.data["name"] = name
    return S.AGE


def _without_intro(answer: str | None) -> str | None:
    """The name in "Me llamo Ana Pérez" or "soy Ana": the words that introduce it dropped."""
    if answer is None:
        return None
    words = answer.split()
    for intro in NAME_INTROS:
        size = len(intro)
        if len(words) > size and tuple(fold(word) for word in words[:size]) == intro:
            return " ".join(words[size:]).strip(" .,;:!") or None
    return answer


def age_of(turn: PatientTurn) -> int | None:
    """An age in digits: "34", "34 años", "tengo 34"; nothing outside 0-120.

    Number words are not read: "treinta y cuatro" would otherwise be taken for 4.
    """
    digits = DIGITS.findall(turn.words)
    age = int(digits[0]) if len(digits) == 1 else None
    return age if age is not None and 0 <= age <= 120 else None


def answer_age(turn: PatientTurn) -> PatientState:
    age = age_of(turn)
    if age is None:
        turn.say("patient.bad_age")
        return S.AGE
    turn.data["age"] = age
    return S.REASON if turn.data.get("gender") else S.SEX


def answer_sex(turn: PatientTurn) -> PatientState:
    answer = choice(turn, 3, SEX_WORDS)
    if answer is None:
        return not_understood(turn, S.SEX)
    turn.data["gender"] = GENDERS[answer - 1]
    return S.REASON


def answer_reason(turn: PatientTurn) -> PatientState:
    """The reason is the one free-text answer the doctor needs to decide: "no" is not one."""
    reason = None if turn.is_none() else written(turn)
    if reason is None:
        turn.say("patient.reason_needed")
        return S.REASON
    turn.data["reason"] = reason
    return S.SYMPTOMS


def answer_symptoms(turn: PatientTurn) -> PatientState:
    return S.HISTORY if _optional(turn, "symptoms") else S.SYMPTOMS


def answer_history(turn: PatientTurn) -> PatientState:
    return S.MEDICATIONS if _optional(turn, "history") else S.HISTORY


def answer_medications(turn: PatientTurn) -> PatientState:
    return S.ALLERGIES if _optional(turn, "medications") else S.MEDICATIONS


def answer_allergies(turn: PatientTurn) -> PatientState:
    if not _optional(turn, "allergies"):
        return S.ALLERGIES
    if turn.data.get("red_flag"):
        # We already told them to call the emergency number; asking "how urgent?" would jar.
        turn.data["urgency"] = Urgency.URGENT.value
        return S.CONTACT
    return S.URGENCY


def answer_urgency(turn: PatientTurn) -> PatientState:
    """Urgency as meant: "no es urgente" is low, never the urgent its words contain.

    A message that both denies and names an urgency in some other way ("no, es
    urgente", "no sé si es urgente") is asked again rather than guessed.
    """
    low = URGENCIES.index(Urgency.LOW) + 1
    if ANSWERED_NO_FIRST.match(turn.text.casefold()):
        return not_understood(turn, S.URGENCY)  # "no, es urgente": a no, then an urgency
    rest = f" {turn.words} "
    negated = [phrase for phrase in NEGATED_URGENCY if f" {phrase} " in rest]
    for phrase in negated:
        rest = rest.replace(f" {phrase} ", " ")
    if negated:
        others = {URGENCY_WORDS[word] for word in rest.split() if word in URGENCY_WORDS}
        answer: int | None = low if others <= {low} else None  # "alta pero no urgente"
    else:
        answer = choice(turn, 4, URGENCY_WORDS)
        denied = not NEGATIONS.isdisjoint(turn.words.split())
        if answer is not None and denied and not turn.words.isdigit():
            answer = None
    if answer is None:
        return not_understood(turn, S.URGENCY)
    turn.data["urgency"] = URGENCIES[answer - 1].value
    return S.CONTACT


def answer_contact(turn: PatientTurn) -> PatientState:
    answer = choice(turn, 3, CONTACT_WORDS)
    if answer is None:
        return not_understood(turn, S.CONTACT)
    contact = CONTACTS[answer - 1]
    turn.data["contact"] = contact.value
    if contact is ContactMethod.EMAIL:
        return S.EMAIL
    turn.data.pop("email", None)
    return S.SUMMARY


def answer_email(turn: PatientTurn) -> PatientState:
    email = email_of(turn)
    if email is None:
        turn.say("patient.bad_email")
        return S.EMAIL
    turn.data["email"] = email
    return S.SUMMARY


def intake_done(data: dict[str, Any]) -> bool:
    """Whether every answer is in, so a newly chosen time goes straight to the summary."""
    return "contact" in data and (data["contact"] != "email" or "email" in data)


def intake_from(data: dict[str, Any], phone: str) -> PatientIntake:
    """The request's intake; an emergency sign mentioned on the way makes it urgent."""
    urgent = bool(data.get("red_flag"))
    return PatientIntake(
        phone=phone,
        name=data["name"],
        age=data["age"],
        gender=data["gender"],
        email=data.get("email"),
        chief_complaint=data["reason"],
        symptoms=data.get("symptoms"),
        medical_history=data.get("history"),
        current_medications=data.get("medications"),
        allergies=data.get("allergies"),
        urgency=Urgency.URGENT if urgent else Urgency(data["urgency"]),
        contact_method=ContactMethod(data["contact"]),
    )


def stored_from(data: dict[str, Any]) -> StoredPatient:
    return StoredPatient(name=data["name"], age=data["age"], gender=data["gender"])


def summary_values(turn: PatientTurn) -> dict[str, str]:
    """The answers as the summary repeats them, each kept short."""
    data = turn.data
    urgency = Urgency.URGENT.value if data.get("red_flag") else data["urgency"]
    return {
        "name": _short(turn, data["name"]),
        "age": age_text(turn, data["age"]),
        "sex": sex_text(turn, data["gender"]),
        "reason": _short(turn, data["reason"]),
        "symptoms": _short(turn, data.get("symptoms")),
        "history": _short(turn, data.get("history")),
        "medications": _short(turn, data.get("medications")),
        "allergies": _short(turn, data.get("allergies")),
        "urgency": text(URGENCY_TEXT[urgency], turn.language),
        "contact": text(CONTACT_TEXT[data["contact"]], turn.language, email=data.get("email")),
    }


def age_text(turn: PatientTurn, age: int | None) -> str:
    if age is None:
        return text("age_unknown", turn.language)
    return text("age", turn.language, age=age)


def sex_text(turn: PatientTurn, gender: str | None) -> str:
    return text(SEX_TEXT.get(gender or "", "not_given"), turn.language)


def _optional(turn: PatientTurn, field: str) -> bool:
    """Store an optional answer ("no" stores nothing); False if it said nothing readable."""
    if turn.is_none():
        turn.data[field] = None
        return True
    answer = written(turn)
    if answer is None:
        turn.say("patient.write_words")
        return False
    turn.data[field] = answer
    return True


def _short(turn: PatientTurn, answer: str | None) -> str:
    if answer is None:
        return text("patient.nothing", turn.language)
    return answer if len(answer) <= SHOWN else answer[: SHOWN - 1].rstrip() + "…"
