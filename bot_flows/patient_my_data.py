"""MIS DATOS / MY DATA: see what the practice holds about this phone, correct it, withdraw
consent, or ask for erasure. Every request is noted in the rights register by the services.

The data is read by the services bound to the writer's phone, shown once on entering,
and never kept in the conversation's data: health answers do not linger there.
"""

from __future__ import annotations

from bot_flows.engine import option_words, positions
from bot_flows.patient_answers import (
    NAME_LIMIT,
    YES_NO,
    choice,
    clear_choice,
    far_day_label,
    not_understood,
    when_label,
    written,
)
from bot_flows.patient_intake import GENDERS, SEX_WORDS, age_text, sex_text
from bot_flows.patient_states import CONSENT_VERSION, PatientState, PatientTurn
from bot_flows.ports import HeldBooking, HeldData
from bot_flows.reading import age_in, name_of
from bot_flows.texts import recognised, text
from bot_flows.understanding import phrases, says

S = PatientState
# Words that ask for one's data, at the menu: "mis datos", "borrar mis datos", "my data".
ASKS_FOR_DATA = phrases("my_data")
OPTION_WORDS = option_words("my_data.fix", "my_data.withdraw", "my_data.erase", "my_data.back")
FIX_WORDS = option_words("fix.name", "fix.age", "fix.sex")
SKIP_WORDS = recognised("skip")
SHOWN = 80  # characters of each answer repeated: WhatsApp messages are short
STATUS_TEXT = {
    "pending": "patient.my_data.status.pending",
    "approved": "patient.my_data.status.confirmed",
    "confirmed": "patient.my_data.status.confirmed",
    "rejected": "patient.my_data.status.rejected",
    "expired": "patient.my_data.status.expired",
    "cancelled": "patient.my_data.status.cancelled",
    "completed": "patient.my_data.status.completed",
    "no_show": "patient.my_data.status.no_show",
}
ANSWER_TEXT = {
    "reason": "patient.my_data.reason",
    "symptoms": "patient.my_data.symptoms",
    "history": "patient.my_data.history",
    "medications": "patient.my_data.medications",
    "allergies": "patient.my_data.allergies",
}
LANGUAGE_TEXT = {"es": "patient.my_data.language.es", "en": "patient.my_data.language.en"}


def asks_for_data(words: str) -> bool:
    return says(ASKS_FOR_DATA, words)


def show_my_data(turn: PatientTurn) -> PatientState:
    """What is held about this phone: identity, then each booking with its answers."""
    held = turn.services.my_data()
    turn.say("patient.my_data.held", **_identity(turn, held))
    for booking in held.bookings:
        turn.say("patient.my_data.booking", **_booking(turn, booking))
    if not held.bookings:
        turn.say("patient.my_data.no_bookings")
    return S.MY_DATA


def back(turn: PatientTurn) -> PatientState:
    """Where MIS DATOS leads back to: the menu, or the privacy notice for a phone that
    declined or withdrew (its rights need no consent; booking does)."""
    return S.MENU if turn.services.has_consented() else S.CONSENT


def ask_my_data(turn: PatientTurn) -> None:
    turn.offer("patient.my_data.options", positions(S.MY_DATA, 4))


def answer_my_data(turn: PatientTurn) -> PatientState:
    match choice(turn, 4, OPTION_WORDS):
        case 1:
            return S.MY_DATA_FIX
        case 2:
            return S.MY_DATA_WITHDRAW
        case 3:
            return S.MY_DATA_ERASE
        case 4:
            return back(turn)
    return not_understood(turn, S.MY_DATA)


def ask_fix(turn: PatientTurn) -> None:
    turn.offer("patient.my_data.fix", positions(S.MY_DATA_FIX, 3))


def answer_fix(turn: PatientTurn) -> PatientState:
    match choice(turn, 3, FIX_WORDS):
        case 1:
            return S.MY_DATA_NAME
        case 2:
            return S.MY_DATA_AGE
        case 3:
            return S.MY_DATA_SEX
    return not_understood(turn, S.MY_DATA_FIX)


def answer_new_name(turn: PatientTurn) -> PatientState:
    """Read as the intake reads a name: one full name, nothing else."""
    if turn.is_none() or turn.words in SKIP_WORDS:
        turn.say("patient.answer_needed")
        return S.MY_DATA_NAME
    answer = written(turn, NAME_LIMIT)
    if answer is None:
        turn.say("patient.write_words")
        return S.MY_DATA_NAME
    name, _ = name_of(answer)
    if name is None:
        turn.say("patient.bad_name")
        return S.MY_DATA_NAME
    return _corrected(turn, name=name)


def answer_new_age(turn: PatientTurn) -> PatientState:
    age = age_in(turn.text)
    if age is None:
        turn.say("patient.bad_age")
        return S.MY_DATA_AGE
    return _corrected(turn, age=age)


def answer_new_sex(turn: PatientTurn) -> PatientState:
    answer = choice(turn, 3, SEX_WORDS)
    if answer is None:
        return not_understood(turn, S.MY_DATA_SEX)
    return _corrected(turn, gender=GENDERS[answer - 1])


def ask_withdraw(turn: PatientTurn) -> None:
    turn.offer("patient.my_data.withdraw_confirm", positions(S.MY_DATA_WITHDRAW, 2))


def answer_withdraw(turn: PatientTurn) -> PatientState:
    """Withdrawn: the confirmation is the last message; the bot then treats the phone as
    one that declined (nothing kept from its messages, the privacy notice if it writes)."""
    answer = clear_choice(turn, 2, YES_NO)
    if answer is None:
        return not_understood(turn, S.MY_DATA_WITHDRAW)
    if answer == 2:
        turn.say("patient.my_data.kept")
        return back(turn)
    turn.services.withdraw_consent(CONSENT_VERSION)
    turn.data.clear()
    turn.say("patient.my_data.withdrawn")
    turn.ask_next = False
    return S.DECLINED


def ask_erase(turn: PatientTurn) -> None:
    turn.offer("patient.my_data.erase_confirm", positions(S.MY_DATA_ERASE, 2))


def answer_erase(turn: PatientTurn) -> PatientState:
    """Erased: what went and what the law keeps until when are the last messages; the bot
    then treats the phone as one it never met (a new privacy notice if it writes)."""
    answer = clear_choice(turn, 2, YES_NO)
    if answer is None:
        return not_understood(turn, S.MY_DATA_ERASE)
    if answer == 2:
        turn.say("patient.my_data.kept")
        return back(turn)
    done = turn.services.erase_my_data(CONSENT_VERSION)
    turn.data.clear()
    if done.cancelled:
        turn.say("patient.my_data.erased_cancelled", codes=", ".join(done.cancelled))
    turn.say("patient.my_data.erased", bookings=done.bookings, messages=done.messages)
    if done.kept_until is not None:
        until = far_day_label(done.kept_until, turn.language)
        turn.say("patient.my_data.record_kept", visits=done.kept_visits, until=until)
    else:
        turn.say("patient.my_data.nothing_kept")
    turn.ask_next = False
    return S.DECLINED


def _corrected(
    turn: PatientTurn, name: str | None = None, age: int | None = None, gender: str | None = None
) -> PatientState:
    turn.services.correct_identity(name=name, age=age, gender=gender)
    turn.say("patient.my_data.corrected")
    return back(turn)


def _identity(turn: PatientTurn, held: HeldData) -> dict[str, str]:
    unknown = text("patient.my_data.unknown", turn.language)
    language = LANGUAGE_TEXT.get(held.language or "")
    return {
        "name": held.name or unknown,
        "age": age_text(turn, held.age) if held.age is not None else unknown,
        "sex": sex_text(turn, held.gender),
        "spoken": text(language, turn.language) if language else unknown,
    }


def _booking(turn: PatientTurn, booking: HeldBooking) -> dict[str, str]:
    given = {
        "reason": booking.reason,
        "symptoms": booking.symptoms,
        "history": booking.history,
        "medications": booking.medications,
        "allergies": booking.allergies,
    }
    answers = [
        text(ANSWER_TEXT[key], turn.language, value=_short(value))
        for key, value in given.items()
        if value
    ]
    status = STATUS_TEXT.get(booking.status, "patient.my_data.status.pending")
    return {
        "code": booking.code,
        "service": booking.service,
        "when": when_label(turn, booking.start.isoformat()),
        "status": text(status, turn.language),
        "answers": "\n".join(answers) or text("patient.my_data.no_answers", turn.language),
    }


def _short(answer: str) -> str:
    return answer if len(answer) <= SHOWN else answer[: SHOWN - 1].rstrip() + "…"
