"""The clinical intake: who the patient is and why they come, asked as the practice chose.

The practice sets each question `required`, `optional` or `off` (`practice.intake`).
`next_question` walks them in order and asks the first one that is on and not yet
answered (an answer is its key in the conversation's data); once none is left, the
questions turned off take their defaults (nothing; a WhatsApp contact, normal urgency)
and the summary follows. Answers live in the conversation's data only until the
request is sent; then they are dropped.

- Health questions (symptoms, history, medications, allergies) take "no" / "ninguno"
  / "nada" as the answer "none", whatever their setting. An optional question also
  takes "saltar" / "skip", and an optional name, age, sex, reason or contact "no"
  too: nothing is stored (an optional urgency takes only "saltar": a "no" there is
  about how urgent it is, and is asked again). A required question asks again.
- The reason question asks for the symptoms too, unless the practice asks for the
  symptoms on their own.
- When history, medications and allergies are all optional, one question (the gate)
  asks them together: "no" (or any word for none, or "saltar") answers all three as
  none; a clear "sí" asks each in turn; any other text is kept, as written, as the
  history answer, and medications and allergies are asked next. Nothing written is lost.
- A returning patient (same phone, this practice) gets their last answers to the
  personal questions (name, age, sex, history, medications, allergies, contact) as
  given, marked as kept: only why they come is asked. The summary shows the kept
  answers apart and offers "4" to answer those questions again (`forget_kept`).
"""

from __future__ import annotations

import re
from typing import Any

from app.booking.intake import ContactMethod, PatientIntake, Urgency
from bot_flows.engine import option_words
from bot_flows.patient_answers import (
    NAME_LIMIT,
    YES_NO,
    choice,
    clear_choice,
    email_of,
    not_understood,
    written,
)
from bot_flows.patient_states import PatientState, PatientTurn
from bot_flows.ports import StoredPatient
from bot_flows.reading import age_in, has_phrase, name_of
from bot_flows.texts import recognised, text

S = PatientState
GENDERS = ("female", "male", "other")
URGENCIES = (Urgency.LOW, Urgency.NORMAL, Urgency.HIGH, Urgency.URGENT)
CONTACTS = (ContactMethod.WHATSAPP, ContactMethod.PHONE, ContactMethod.EMAIL)
SEX_WORDS = option_words(*(f"sex.{gender}" for gender in GENDERS))
URGENCY_WORDS = option_words(*(f"urgency.{urgency.value}" for urgency in URGENCIES))
NEGATED_URGENCY = recognised("urgency.negated")
NEGATIONS = recognised("negation")
SKIP_WORDS = recognised("skip")
CALM_URGENCY = recognised("urgency.calm")
BETWEEN_URGENCIES = recognised("urgency.between")
# A "no" that stands on its own before the rest of the answer, whatever follows it.
ANSWERED_NO_FIRST = re.compile(
    r"\W*(?:" + "|".join(sorted(map(re.escape, NEGATIONS))) + r")\s*[,.;:!¡]\s*\w"
)
CONTACT_WORDS = option_words(*(f"contact.{contact.value}" for contact in CONTACTS))
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

# The questions in the order they are asked, by the names of the practice's settings.
QUESTIONS: tuple[tuple[str, PatientState], ...] = (
    ("name", S.NAME), ("age", S.AGE), ("sex", S.SEX), ("reason", S.REASON),
    ("symptoms", S.SYMPTOMS), ("history", S.HISTORY), ("medications", S.MEDICATIONS),
    ("allergies", S.ALLERGIES), ("urgency", S.URGENCY), ("contact", S.CONTACT),
)  # fmt: skip
DATA_KEY = {"sex": "gender"}  # where the answer is kept, when not under the question's name
# What a question turned off (or an optional one skipped) leaves; None where not named.
UNANSWERED: dict[str, str] = {
    "name": "", "urgency": Urgency.NORMAL.value, "contact": ContactMethod.WHATSAPP.value,
}  # fmt: skip
HEALTH = ("history", "medications", "allergies")
# A returning patient's answers taken as given: who they are, never why they come.
KEPT = ("name", "age", "sex", *HEALTH, "contact")
SUMMARY_LABEL = {
    "name": "patient.field.name", "age": "patient.field.age", "sex": "patient.field.sex",
    "reason": "patient.field.reason", "symptoms": "patient.field.symptoms",
    "history": "patient.field.history", "medications": "patient.field.medications",
    "allergies": "patient.field.allergies", "urgency": "patient.field.urgency",
    "contact": "patient.field.contact",
}  # fmt: skip
# The intake's states in the order they may come; the gate stands before the history.
ORDER = (
    S.NAME, S.AGE, S.SEX, S.REASON, S.SYMPTOMS, S.HEALTH, S.HISTORY, S.MEDICATIONS,
    S.ALLERGIES, S.URGENCY, S.CONTACT,
)  # fmt: skip
# Where "4. Cambiar mis datos" may lead: the first kept question the practice asks.
ASKED_ON_CHANGE = frozenset({
    S.NAME, S.AGE, S.SEX, S.HEALTH, S.HISTORY, S.MEDICATIONS, S.ALLERGIES, S.CONTACT,
})  # fmt: skip


def key_of(question: str) -> str:
    return DATA_KEY.get(question, question)


def after(state: PatientState) -> frozenset[str]:
    """Where an answer to `state` may lead: any later question the practice asks, or the summary."""
    if state == S.HEALTH:  # "sí" asks the history; other words are the history
        return frozenset({S.HISTORY, S.MEDICATIONS, S.URGENCY, S.CONTACT, S.SUMMARY})
    return frozenset({*ORDER[ORDER.index(state) + 1 :], S.SUMMARY})


def start_intake(turn: PatientTurn) -> PatientState:
    """The first question to ask; a returning patient's last answers are kept first."""
    stored = turn.services.stored_patient()
    if stored is not None:
        _keep(turn, stored)
    return next_question(turn)


def next_question(turn: PatientTurn) -> PatientState:
    """The first question the practice asks that is not answered yet, or the summary."""
    data, settings = turn.data, turn.services.practice.intake
    if data.get("red_flag"):
        # We already told them to call the emergency number; asking "how urgent?" would jar.
        data.setdefault("urgency", Urgency.URGENT.value)
    for question, state in QUESTIONS:
        if settings[question] == "off" or key_of(question) in data:
            continue
        return S.HEALTH if question == "history" and _gated(turn) else state
    for question, _ in QUESTIONS:
        data.setdefault(key_of(question), UNANSWERED.get(question))
    return S.SUMMARY


def _gated(turn: PatientTurn) -> bool:
    """Whether the three health questions are asked as one: all optional, none answered."""
    settings = turn.services.practice.intake
    optional = all(settings[question] == "optional" for question in HEALTH)
    return optional and not any(question in turn.data for question in HEALTH)


def _keep(turn: PatientTurn, stored: StoredPatient) -> None:
    """Take a returning patient's last answers to the questions the practice asks.

    An unknown name, age or sex is asked; a health answer from their last request is
    kept even when it was none. A contact by e-mail is kept only with its address.
    """
    known: dict[str, Any] = {"name": stored.name or None, "age": stored.age, "sex": stored.gender}
    if stored.from_request:
        known |= {"history": stored.history, "medications": stored.medications}
        known["allergies"] = stored.allergies
    if stored.contact and (stored.contact != ContactMethod.EMAIL.value or stored.email):
        known["contact"] = stored.contact
    settings, kept = turn.services.practice.intake, []
    for question in KEPT:
        value = known.get(question)
        usable = question in known and (value is not None or question in HEALTH)
        if usable and settings[question] != "off" and key_of(question) not in turn.data:
            turn.data[key_of(question)] = value
            kept.append(question)
    if "contact" in kept and stored.email:
        turn.data["email"] = stored.email
    if kept:
        turn.data["kept"] = kept


def forget_kept(turn: PatientTurn) -> PatientState:
    """ "Cambiar mis datos": the kept answers are dropped and their questions asked again."""
    for question in turn.data.pop("kept", []):
        turn.data.pop(key_of(question), None)
        if question == "contact":
            turn.data.pop("email", None)
    return next_question(turn)


def _skipped(turn: PatientTurn, question: str) -> bool:
    """Whether an optional question was left unanswered; then its default is stored."""
    if turn.services.practice.intake[question] != "optional":
        return False
    none = turn.is_none() and question != "urgency"  # "no" says how urgent it is
    if not none and turn.words not in SKIP_WORDS:
        return False
    turn.data[key_of(question)] = UNANSWERED.get(question)
    return True


def answer_name(turn: PatientTurn) -> PatientState:
    if _skipped(turn, "name"):
        return next_question(turn)
    if turn.is_none() or turn.words in SKIP_WORDS:
        turn.say("patient.answer_needed")  # "no" is nobody's name
        return S.NAME
    answer = written(turn, NAME_LIMIT)
    if answer is None:
        turn.say("patient.write_words")
        return S.NAME
    name, age = name_of(answer)
    if name is None:  # "Daniela", "34", "para qué?": the full name is the question
        turn.say("patient.bad_name")
        return S.NAME
    turn.data["name"] = name
    if age is not None and turn.services.practice.intake["age"] != "off":
        turn.data.setdefault("age", age)  # "Ana Pérez, 34 años"
    return next_question(turn)


def age_of(turn: PatientTurn) -> int | None:
    """An age in whole years, in digits or words ("34 años", "treinta y cuatro"); see `age_in`."""
    return age_in(turn.text)


def answer_age(turn: PatientTurn) -> PatientState:
    if _skipped(turn, "age"):
        return next_question(turn)
    age = age_of(turn)
    if age is None:
        turn.say("patient.bad_age")
        return S.AGE
    turn.data["age"] = age
    return next_question(turn)


def answer_sex(turn: PatientTurn) -> PatientState:
    if _skipped(turn, "sex"):
        return next_question(turn)
    answer = choice(turn, 3, SEX_WORDS)
    if answer is None:
        return not_understood(turn, S.SEX)
    turn.data["gender"] = GENDERS[answer - 1]
    return next_question(turn)


def ask_reason(turn: PatientTurn) -> None:
    """One question for why they come and how they feel, unless symptoms are asked apart."""
    apart = turn.services.practice.intake["symptoms"] != "off"
    turn.say("patient.ask_reason_brief" if apart else "patient.ask_reason")


def answer_reason(turn: PatientTurn) -> PatientState:
    """The reason is the free-text answer the doctor needs to decide: "no" is not one."""
    if _skipped(turn, "reason"):
        return next_question(turn)
    reason = None if turn.is_none() or turn.words in SKIP_WORDS else written(turn)
    if reason is None:
        turn.say("patient.reason_needed")
        return S.REASON
    turn.data["reason"] = reason
    return next_question(turn)


def answer_health(turn: PatientTurn) -> PatientState:
    """The gate: "no" answers the three health questions, "sí" asks each, other words are kept.

    Other words ("tengo diabetes") are the history answer as written; medications
    and allergies are asked next, so nothing the patient wrote is lost or guessed at.
    """
    yes_or_no = clear_choice(turn, 2, YES_NO)
    if turn.is_none() or turn.words in SKIP_WORDS or yes_or_no == 2:
        turn.data.update(dict.fromkeys(HEALTH))
        return next_question(turn)
    if yes_or_no == 1:
        return S.HISTORY
    return _health_answer(turn, "history", S.HEALTH)


def answer_symptoms(turn: PatientTurn) -> PatientState:
    return _health_answer(turn, "symptoms", S.SYMPTOMS)


def answer_history(turn: PatientTurn) -> PatientState:
    return _health_answer(turn, "history", S.HISTORY)


def answer_medications(turn: PatientTurn) -> PatientState:
    return _health_answer(turn, "medications", S.MEDICATIONS)


def answer_allergies(turn: PatientTurn) -> PatientState:
    return _health_answer(turn, "allergies", S.ALLERGIES)


def answer_urgency(turn: PatientTurn) -> PatientState:
    """Urgency as meant: "no es urgente" is low, never the urgent its words contain.

    A message that both denies and names an urgency in some other way ("no, es
    urgente", "no sé si es urgente") is asked again rather than guessed.
    """
    if _skipped(turn, "urgency"):
        return next_question(turn)
    low = URGENCIES.index(Urgency.LOW) + 1
    if ANSWERED_NO_FIRST.match(turn.text.casefold()):
        return not_understood(turn, S.URGENCY)  # "no, es urgente": a no, then an urgency
    if any(has_phrase(turn.words, phrase) for phrase in BETWEEN_URGENCIES):
        return not_understood(turn, S.URGENCY)  # "medio urgente": normal, or high?
    rest = f" {turn.words} "
    calm = [phrase for phrase in CALM_URGENCY if f" {phrase} " in rest]
    for phrase in calm:  # "no hay apuro", "normal, nada grave": low, or the level named
        rest = rest.replace(f" {phrase} ", " ")
    if calm:
        named = {URGENCY_WORDS[word] for word in rest.split() if word in URGENCY_WORDS}
        normal = URGENCIES.index(Urgency.NORMAL) + 1
        level = named.pop() if len(named) == 1 else low if not named else None
        if level is None or level > normal:
            return not_understood(turn, S.URGENCY)
        turn.data["urgency"] = URGENCIES[level - 1].value
        return next_question(turn)
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
    return next_question(turn)


def answer_contact(turn: PatientTurn) -> PatientState:
    if _skipped(turn, "contact"):
        return next_question(turn)
    answer = choice(turn, 3, CONTACT_WORDS)
    if answer is None:
        return not_understood(turn, S.CONTACT)
    contact = CONTACTS[answer - 1]
    turn.data["contact"] = contact.value
    if contact is ContactMethod.EMAIL:
        return S.EMAIL
    turn.data.pop("email", None)
    return next_question(turn)


def answer_email(turn: PatientTurn) -> PatientState:
    email = email_of(turn)
    if email is None:
        turn.say("patient.bad_email")
        return S.EMAIL
    turn.data["email"] = email
    return next_question(turn)


def intake_done(data: dict[str, Any]) -> bool:
    """Whether every answer is in, so a newly chosen time goes straight to the summary.

    Questions turned off are in too: `next_question` gave them their defaults.
    """
    answered = all(key_of(question) in data for question, _ in QUESTIONS)
    return answered and (data["contact"] != "email" or "email" in data)


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
    """The answers as the summary repeats them, each kept short: those given now, and those kept.

    Questions the practice does not ask are left out.
    """
    data, settings = turn.data, turn.services.practice.intake
    urgency = Urgency.URGENT.value if data.get("red_flag") else data["urgency"]
    shown = {
        "name": _short(turn, data["name"] or None),
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
    kept = data.get("kept", [])
    lines: dict[bool, list[str]] = {False: [], True: []}
    for question, _ in QUESTIONS:
        if settings[question] != "off":
            line = text(SUMMARY_LABEL[question], turn.language, value=shown[question])
            lines[question in kept].append(line)
    return {"answers": "\n".join(lines[False]), "kept": "\n".join(lines[True])}


def age_text(turn: PatientTurn, age: int | None) -> str:
    if age is None:
        return text("age_unknown", turn.language)
    return text("age", turn.language, age=age)


def sex_text(turn: PatientTurn, gender: str | None) -> str:
    return text(SEX_TEXT.get(gender or "", "not_given"), turn.language)


def _health_answer(turn: PatientTurn, question: str, here: PatientState) -> PatientState:
    """A health question's answer: "no" is none; written words are kept as written."""
    if _skipped(turn, question) or turn.is_none():
        turn.data[question] = None
        return next_question(turn)
    if turn.words in SKIP_WORDS:
        turn.say("patient.answer_needed")
        return here
    answer = written(turn)
    if answer is None:
        turn.say("patient.write_words")
        return here
    turn.data[question] = answer
    return next_question(turn)


def _short(turn: PatientTurn, answer: str | None) -> str:
    if answer is None:
        return text("patient.nothing", turn.language)
    return answer if len(answer) <= SHOWN else answer[: SHOWN - 1].rstrip() + "…"
