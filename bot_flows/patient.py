"""The patient's WhatsApp conversation, written as a table: state -> (question, answer).

Read `FLOW` top to bottom; `patient.mmd` draws the same table. Before any state
answers, `answer_patient` applies what holds everywhere: during a hand-off the bot
is quiet and passes each message on to the doctor, 24 h of silence start a
half-finished booking over, emergency words get the
emergency number at once, and "menu", "ayuda", "english" and media-only messages
are understood in every state. No health question is asked before consent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot_flows.engine import Flow, Said, Step, Turn, enter, fold, run
from bot_flows.patient_answers import asking
from bot_flows.patient_booking import (
    answer_nearest,
    answer_service,
    answer_summary,
    answer_time,
    ask_day,
    ask_nearest,
    ask_service,
    ask_summary,
    ask_time,
    drop_answers,
    pick_day,
)
from bot_flows.patient_intake import (
    answer_age,
    answer_allergies,
    answer_contact,
    answer_email,
    answer_history,
    answer_medications,
    answer_name,
    answer_reason,
    answer_reuse,
    answer_sex,
    answer_symptoms,
    answer_urgency,
    ask_reuse,
)
from bot_flows.patient_manage import (
    answer_action,
    answer_cancel,
    answer_move_time,
    answer_pick,
    answer_reminder,
    ask_action,
    ask_cancel,
    ask_pick,
    ask_reminder,
)
from bot_flows.patient_start import (
    GREETINGS,
    answer_consent,
    answer_menu,
    ask_consent,
    ask_menu,
    first_message,
    is_consent_answer,
    nothing_to_ask,
    offer_privacy_again,
    say_declined,
    say_handed_off,
    welcome_back,
)
from bot_flows.patient_states import AT_REST, BEFORE_CONSENT, OPENINGS, PatientState, PatientTurn
from bot_flows.ports import PatientServices
from bot_flows.red_flags import red_flag

__all__ = ["Chat", "Incoming", "PatientState", "answer_patient", "says_nothing_personal"]

S = PatientState
HANDOFF_TIME = timedelta(hours=24)
FORWARD_LIMIT = 500  # characters of a message passed on to the doctor: one screen
IDLE_TIME = timedelta(hours=24)
MENU_WORDS = frozenset({"menu", "inicio", "menu principal", "main menu", "volver al menu"})
HELP_WORDS = frozenset({"ayuda", "help", "ayudame", "ayuda por favor", "help me"})
LANGUAGE_WORDS = {
    "english": "en", "ingles": "en", "in english": "en", "en ingles": "en",
    "espanol": "es", "spanish": "es", "en espanol": "es", "in spanish": "es",
    "castellano": "es",
}  # fmt: skip


@dataclass
class Chat:
    """The stored conversation, changed in place by `answer_patient`."""

    state: str
    data: dict[str, Any]  # JSON only: ids as str, dates as ISO strings
    language: str
    last_activity: datetime | None
    handoff_until: datetime | None


@dataclass(frozen=True)
class Incoming:
    text: str  # already cleaned of control characters and capped
    has_media: bool


FLOW: Flow[PatientServices] = {
    # state            question          answer -> next state
    S.NEW:         Step(nothing_to_ask,  first_message),
    S.CONSENT:     Step(ask_consent,     answer_consent),
    S.DECLINED:    Step(say_declined,    offer_privacy_again),
    S.MENU:        Step(ask_menu,        answer_menu),
    S.HANDOFF:     Step(say_handed_off,  welcome_back),
    S.SERVICE:     Step(ask_service,     answer_service),
    S.DAY:         Step(ask_day,         pick_day(S.DAY, then=S.TIME)),
    S.TIME:        Step(ask_time,        answer_time),
    S.REUSE:       Step(ask_reuse,       answer_reuse),
    S.NAME:        Step(asking("patient.ask_name"),        answer_name),
    S.AGE:         Step(asking("patient.ask_age"),         answer_age),
    S.SEX:         Step(asking("patient.ask_sex"),         answer_sex),
    S.REASON:      Step(asking("patient.ask_reason"),      answer_reason),
    S.SYMPTOMS:    Step(asking("patient.ask_symptoms"),    answer_symptoms),
    S.HISTORY:     Step(asking("patient.ask_history"),     answer_history),
    S.MEDICATIONS: Step(asking("patient.ask_medications"), answer_medications),
    S.ALLERGIES:   Step(asking("patient.ask_allergies"),   answer_allergies),
    S.URGENCY:     Step(asking("patient.ask_urgency"),     answer_urgency),
    S.CONTACT:     Step(asking("patient.ask_contact"),     answer_contact),
    S.EMAIL:       Step(asking("patient.ask_email"),       answer_email),
    S.SUMMARY:     Step(ask_summary,     answer_summary),
    S.TAKEN:       Step(ask_nearest,     answer_nearest),
    S.PICK:        Step(ask_pick,        answer_pick),
    S.ACTION:      Step(ask_action,      answer_action),
    S.CANCEL:      Step(ask_cancel,      answer_cancel),
    S.MOVE_DAY:    Step(ask_day,         pick_day(S.MOVE_DAY, then=S.MOVE_TIME)),
    S.MOVE_TIME:   Step(ask_time,        answer_move_time),
    S.REMINDER:    Step(ask_reminder,    answer_reminder),
}  # fmt: skip

CHOOSE = "patient.help.choose"
WRITE = "patient.help.write"
OPTIONAL = "patient.help.optional"
# What "ayuda" explains in each state (before its question is asked again).
HELP: dict[str, str] = {
    S.CONSENT: "patient.help.consent",
    S.DECLINED: "patient.help.consent",
    S.MENU: "patient.help.menu",
    S.SERVICE: CHOOSE, S.DAY: CHOOSE, S.TIME: "patient.help.time", S.REUSE: CHOOSE,
    S.NAME: WRITE, S.AGE: "patient.help.age", S.SEX: CHOOSE, S.REASON: WRITE,
    S.SYMPTOMS: OPTIONAL, S.HISTORY: OPTIONAL, S.MEDICATIONS: OPTIONAL, S.ALLERGIES: OPTIONAL,
    S.URGENCY: CHOOSE, S.CONTACT: CHOOSE, S.EMAIL: "patient.help.email",
    S.SUMMARY: CHOOSE, S.TAKEN: CHOOSE, S.PICK: CHOOSE, S.ACTION: CHOOSE, S.CANCEL: CHOOSE,
    S.MOVE_DAY: CHOOSE, S.MOVE_TIME: "patient.help.time", S.REMINDER: CHOOSE,
}  # fmt: skip

SLOT = ("service_id", "service", "slot_id", "start")
ANSWERS = (*SLOT, "name", "age", "gender", "reason", "urgency", "contact")
# What each state's question reads from the conversation's data. A stored state
# without it (an older version's data, a hand-edited row) starts afresh.
NEEDS: dict[str, tuple[str, ...]] = {
    S.SERVICE: ("services",),
    S.DAY: ("service_id", "service", "days"),
    S.TIME: ("service_id", "service", "day", "times"),
    S.REUSE: (*SLOT, "stored"),
    S.NAME: SLOT, S.AGE: SLOT, S.SEX: SLOT, S.REASON: SLOT, S.SYMPTOMS: SLOT,
    S.HISTORY: SLOT, S.MEDICATIONS: SLOT, S.ALLERGIES: SLOT, S.URGENCY: SLOT,
    S.CONTACT: SLOT, S.EMAIL: SLOT,
    S.SUMMARY: ANSWERS,
    S.TAKEN: (*ANSWERS, "nearest"),
    S.PICK: ("bookings",),
    S.ACTION: ("booking",),
    S.CANCEL: ("booking",),
    S.MOVE_DAY: ("booking", "service_id", "service", "days"),
    S.MOVE_TIME: ("booking", "service_id", "service", "day", "times"),
    S.REMINDER: ("code",),
}  # fmt: skip


def answer_patient(
    chat: Chat, message: Incoming, now: datetime, services: PatientServices
) -> list[Said]:
    """Answer one message: move `chat` on and return what to send back (nothing in hand-off)."""
    turn: PatientTurn = Turn(message.text, chat.data, chat.language, now, services)
    if chat.handoff_until is not None and chat.handoff_until > now:
        _while_handed_off(chat, message, turn)
    else:
        state = _respond(chat, message, turn)
        if state == S.HANDOFF and chat.state != S.HANDOFF:
            chat.handoff_until = now + HANDOFF_TIME
        if state == S.MENU:
            drop_answers(turn)  # the menu holds no half-given answers
        chat.state = state
    chat.language = turn.language
    chat.last_activity = now
    return turn.said


def _respond(chat: Chat, message: Incoming, turn: PatientTurn) -> str:
    state = _resumable(chat.state, turn)
    if _idle(chat, turn.now) and state not in AT_REST:
        turn.data.clear()
        turn.say("patient.idle_reset")
        _watch_for_red_flags(S.MENU, turn)
        return enter(FLOW, S.MENU, turn)
    _watch_for_red_flags(state, turn)
    if turn.words in LANGUAGE_WORDS:
        _switch_language(turn, LANGUAGE_WORDS[turn.words])
        return run(FLOW, state, turn) if state in OPENINGS else enter(FLOW, state, turn)
    if state in OPENINGS:
        return run(FLOW, state, turn)
    if not message.text.strip():
        turn.say("patient.text_only")
        return enter(FLOW, state, turn)
    if turn.words in HELP_WORDS:
        turn.say(HELP[state])
        return enter(FLOW, state, turn)
    if turn.words in MENU_WORDS:
        return enter(FLOW, S.CONSENT if state in BEFORE_CONSENT else S.MENU, turn)
    return run(FLOW, state, turn)


def says_nothing_personal(text: str) -> bool:
    """Whether `text` is one of the fixed words a patient sends before consent.

    A greeting, "menu", "ayuda", a language or an answer to the privacy question
    can be kept as written; anything else may already be about their health.
    """
    words = fold(text)
    fixed = words in GREETINGS or words in MENU_WORDS or words in HELP_WORDS
    return fixed or words in LANGUAGE_WORDS or is_consent_answer(text)


def _while_handed_off(chat: Chat, message: Incoming, turn: PatientTurn) -> None:
    """The practice is answering in person: each message goes on to the doctor.

    The bot stays quiet, except that "menu" is the patient's own way back to it, and
    emergency words get the emergency number at once (the doctor's copy says urgent).
    """
    if turn.words in MENU_WORDS:
        chat.handoff_until = None
        chat.state = enter(FLOW, S.MENU, turn)
        return
    urgent = _watch_for_red_flags(S.HANDOFF, turn)
    written = message.text.strip()
    if written:
        if len(written) > FORWARD_LIMIT:
            written = written[: FORWARD_LIMIT - 1].rstrip() + "…"
        turn.services.forward_to_practice(written, urgent)


def _resumable(state: str, turn: PatientTurn) -> PatientState:
    """The stored state, or NEW when it is unknown or its data is missing."""
    if state in FLOW and all(key in turn.data for key in NEEDS.get(state, ())):
        return S(state)
    turn.data.clear()
    return S.NEW


def _idle(chat: Chat, now: datetime) -> bool:
    return chat.last_activity is not None and now - chat.last_activity > IDLE_TIME


def _watch_for_red_flags(state: PatientState, turn: PatientTurn) -> bool:
    """Emergency words get the emergency number at once, and make the request urgent.

    Before consent nothing is noted: the warning is all we may do with it.
    """
    if red_flag(turn.text) is None:
        return False
    turn.say("patient.emergency", phone=turn.services.practice.emergency_number)
    if state not in BEFORE_CONSENT:
        turn.data["red_flag"] = True
    return True


def _switch_language(turn: PatientTurn, language: str) -> None:
    turn.services.set_language(language)
    turn.language = language
    turn.say("patient.language_set")
