"""The patient's WhatsApp conversation, written as a table: state -> (question, answer).

Read `FLOW` top to bottom; `patient.mmd` draws the same table. Before any state
answers, `answer_patient` applies what holds everywhere: during a hand-off the bot
is quiet and passes each message on to the doctor, 24 h of silence start a
half-finished booking over, emergency words get the
emergency number at once, and "menu", "ayuda", "english" and media-only messages
are understood in every state; two clear sentences in a row in the other language
switch to it. No health question is asked before consent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot_flows.engine import Flow, Said, Step, Turn, enter, fold, positions, run
from bot_flows.language import LANGUAGE_WORDS, clearly_written_in
from bot_flows.patient_answers import DIGIT, asking
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
    offer_times,
    pick_day,
    slot_tapped,
)
from bot_flows.patient_intake import (
    ASKED_ON_CHANGE,
    ORDER,
    after,
    answer_age,
    answer_allergies,
    answer_contact,
    answer_email,
    answer_health,
    answer_history,
    answer_medications,
    answer_name,
    answer_reason,
    answer_sex,
    answer_symptoms,
    answer_urgency,
    ask_reason,
)
from bot_flows.patient_manage import (
    answer_action,
    answer_cancel,
    answer_move_confirm,
    answer_move_time,
    answer_pick,
    answer_reminder,
    ask_action,
    ask_cancel,
    ask_move_confirm,
    ask_pick,
    ask_reminder,
)
from bot_flows.patient_my_data import (
    answer_erase,
    answer_fix,
    answer_my_data,
    answer_new_age,
    answer_new_name,
    answer_new_sex,
    answer_withdraw,
    ask_erase,
    ask_fix,
    ask_my_data,
    ask_withdraw,
)
from bot_flows.patient_rebook import (
    OFFERED,
    answer_rebook,
    answer_rebook_confirm,
    ask_rebook,
    ask_rebook_confirm,
)
from bot_flows.patient_start import (
    GREETINGS,
    act_on,
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
from bot_flows.patient_waitlist import (
    OFFER,
    answer_waitlist_join,
    answer_waitlist_offer,
    ask_waitlist_join,
    ask_waitlist_offer,
    asks_to_wait,
)
from bot_flows.ports import PatientServices
from bot_flows.red_flags import red_flag
from bot_flows.taps import TIME_STATES, tapped_slot, typed_answer
from bot_flows.texts import recognised
from bot_flows.understanding import intent_of

__all__ = ["Chat", "Incoming", "PatientState", "answer_patient", "says_nothing_personal"]

S = PatientState
HANDOFF_TIME = timedelta(hours=24)
FORWARD_LIMIT = 500  # characters of a message passed on to the doctor: one screen
IDLE_TIME = timedelta(hours=24)
# Answers there are names and addresses: in no language.
NO_LANGUAGE = frozenset({S.NAME, S.EMAIL, S.MY_DATA_NAME})
WRITTEN_IN = "written_in"  # data: the other language of the last clear sentence
MENU_WORDS = recognised("menu")
HELP_WORDS = recognised("help")


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
    choice: str | None = None  # the id of the list item or button tapped (`engine.Choice`)


# Where a booking's choices are asked, what the patient asks for instead in words
# ("mejor quiero cancelar mi cita", "quiero hablar con la doctora") is done.
CHOOSING = frozenset({S.SERVICE, S.DAY, S.TIME, S.MOVE_DAY, S.MOVE_TIME})
ELSEWHERE = frozenset({"change", "bookings", "person"})
CHOOSE = "patient.help.choose"
WRITE = "patient.help.write"
OPTIONAL = "patient.help.optional"
SLOT = ("service_id", "service", "slot_id", "start")
ANSWERS = (*SLOT, "name", "age", "gender", "reason", "urgency", "contact")

# Each state: the question asked on entering it, how its answer is read, what "ayuda"
# says there, what the question reads from the conversation's data, and where the
# answer may lead (patient.mmd draws exactly these moves).
FLOW: Flow[PatientServices] = {
    S.NEW: Step(
        ask=nothing_to_ask,
        answer=first_message,
        help=None,
        needs=(),
        goes_to=frozenset(
            {
                *(S.CONSENT, S.MENU, S.SERVICE, S.DAY, S.PICK, S.ACTION, S.HANDOFF),
                *(S.WAITLIST_JOIN, S.MY_DATA),
            }
        ),
    ),
    S.CONSENT: Step(
        ask=ask_consent,
        answer=answer_consent,
        help="patient.help.consent",
        needs=(),
        goes_to=frozenset(
            {S.CONSENT, S.DECLINED, S.MENU, S.SERVICE, S.DAY, S.WAITLIST_JOIN, S.MY_DATA}
        ),
    ),
    S.DECLINED: Step(
        ask=say_declined,
        answer=offer_privacy_again,
        help="patient.help.consent",
        needs=(),
        goes_to=frozenset({S.CONSENT, S.MY_DATA}),
    ),
    S.MENU: Step(
        ask=ask_menu,
        answer=answer_menu,
        help="patient.help.menu",
        needs=(),
        goes_to=frozenset(
            {S.MENU, S.HANDOFF, S.SERVICE, S.DAY, S.PICK, S.ACTION, S.WAITLIST_JOIN, S.MY_DATA}
        ),
    ),
    S.HANDOFF: Step(
        ask=say_handed_off,
        answer=welcome_back,
        help=None,
        needs=(),
        goes_to=frozenset({S.MENU, S.HANDOFF}),
    ),
    S.SERVICE: Step(
        ask=ask_service,
        answer=answer_service,
        help=CHOOSE,
        needs=("services",),
        goes_to=frozenset({S.SERVICE, S.DAY, S.WAITLIST_JOIN}),
    ),
    S.DAY: Step(
        ask=ask_day,
        answer=pick_day(S.DAY, then=S.TIME),
        help=CHOOSE,
        needs=("service_id", "service", "days"),
        goes_to=frozenset({S.DAY, S.TIME, S.WAITLIST_JOIN}),
    ),
    S.TIME: Step(
        ask=ask_time,
        answer=answer_time,
        help="patient.help.time",
        needs=("service_id", "service", "day", "times"),
        goes_to=frozenset({S.TIME, S.DAY, *ORDER, S.SUMMARY, S.WAITLIST_JOIN}),
    ),
    # No time suits: the waitlist, for a part of the day; the intake follows as for a time.
    S.WAITLIST_JOIN: Step(
        ask=ask_waitlist_join,
        answer=answer_waitlist_join,
        help=CHOOSE,
        needs=("service_id", "service", "wait_until"),
        goes_to=frozenset({S.MENU, *ORDER, S.SUMMARY}),
    ),
    # Intake: each answer leads to the next question the practice asks (`after`).
    S.NAME: Step(
        ask=asking("patient.ask_name"),
        answer=answer_name,
        help=WRITE,
        needs=SLOT,
        goes_to=after(S.NAME),
    ),
    S.AGE: Step(
        ask=asking("patient.ask_age"),
        answer=answer_age,
        help="patient.help.age",
        needs=SLOT,
        goes_to=after(S.AGE),
    ),
    S.SEX: Step(
        ask=asking("patient.ask_sex", positions(S.SEX, 3)),
        answer=answer_sex,
        help=CHOOSE,
        needs=SLOT,
        goes_to=after(S.SEX),
    ),
    S.REASON: Step(
        ask=ask_reason,
        answer=answer_reason,
        help=WRITE,
        needs=SLOT,
        goes_to=after(S.REASON),
    ),
    S.SYMPTOMS: Step(
        ask=asking("patient.ask_symptoms"),
        answer=answer_symptoms,
        help=OPTIONAL,
        needs=SLOT,
        goes_to=after(S.SYMPTOMS),
    ),
    S.HEALTH: Step(
        ask=asking("patient.ask_health"),
        answer=answer_health,
        help=OPTIONAL,
        needs=SLOT,
        goes_to=after(S.HEALTH),
    ),
    S.HISTORY: Step(
        ask=asking("patient.ask_history"),
        answer=answer_history,
        help=OPTIONAL,
        needs=SLOT,
        goes_to=after(S.HISTORY),
    ),
    S.MEDICATIONS: Step(
        ask=asking("patient.ask_medications"),
        answer=answer_medications,
        help=OPTIONAL,
        needs=SLOT,
        goes_to=after(S.MEDICATIONS),
    ),
    S.ALLERGIES: Step(
        ask=asking("patient.ask_allergies"),
        answer=answer_allergies,
        help=OPTIONAL,
        needs=SLOT,
        goes_to=after(S.ALLERGIES),
    ),
    S.URGENCY: Step(
        ask=asking("patient.ask_urgency", positions(S.URGENCY, 4)),
        answer=answer_urgency,
        help=CHOOSE,
        needs=SLOT,
        goes_to=after(S.URGENCY),
    ),
    S.CONTACT: Step(
        ask=asking("patient.ask_contact", positions(S.CONTACT, 3)),
        answer=answer_contact,
        help=CHOOSE,
        needs=SLOT,
        goes_to=after(S.CONTACT) | {S.EMAIL},
    ),
    S.EMAIL: Step(
        ask=asking("patient.ask_email"),
        answer=answer_email,
        help="patient.help.email",
        needs=SLOT,
        goes_to=frozenset({S.SUMMARY}),
    ),
    S.SUMMARY: Step(
        ask=ask_summary,
        answer=answer_summary,
        help=CHOOSE,
        needs=ANSWERS,
        goes_to=frozenset(
            {S.MENU, S.SERVICE, S.DAY, S.SUMMARY, S.TAKEN, *ASKED_ON_CHANGE, S.WAITLIST_JOIN}
        ),
    ),
    S.TAKEN: Step(
        ask=ask_nearest,
        answer=answer_nearest,
        help=CHOOSE,
        needs=(*ANSWERS, "nearest"),
        goes_to=frozenset({S.SUMMARY}),
    ),
    # After a rejection or an expiry (the notice's times): the same answers, another time.
    S.REBOOK: Step(
        ask=ask_rebook,
        answer=answer_rebook,
        help="patient.help.rebook",
        needs=OFFERED,
        goes_to=frozenset(
            {
                *(S.REBOOK, S.REBOOK_CONFIRM, S.MENU, S.HANDOFF, S.SERVICE, S.DAY, S.PICK),
                *(S.ACTION, S.WAITLIST_JOIN, S.MY_DATA),
            }
        ),
    ),
    S.REBOOK_CONFIRM: Step(
        ask=ask_rebook_confirm,
        answer=answer_rebook_confirm,
        help=CHOOSE,
        needs=(*OFFERED, "slot_id", "start"),
        goes_to=frozenset({S.REBOOK, S.REBOOK_CONFIRM, S.MENU}),
    ),
    S.PICK: Step(
        ask=ask_pick,
        answer=answer_pick,
        help=CHOOSE,
        needs=("bookings",),
        goes_to=frozenset({S.ACTION}),
    ),
    S.ACTION: Step(
        ask=ask_action,
        answer=answer_action,
        help=CHOOSE,
        needs=("booking",),
        goes_to=frozenset({S.MENU, S.ACTION, S.CANCEL, S.MOVE_DAY}),
    ),
    S.CANCEL: Step(
        ask=ask_cancel,
        answer=answer_cancel,
        help=CHOOSE,
        needs=("booking",),
        goes_to=frozenset({S.MENU}),
    ),
    S.MOVE_DAY: Step(
        ask=ask_day,
        answer=pick_day(S.MOVE_DAY, then=S.MOVE_TIME),
        help=CHOOSE,
        needs=("booking", "service_id", "service", "days"),
        goes_to=frozenset({S.MOVE_DAY, S.MENU, S.MOVE_TIME}),
    ),
    S.MOVE_TIME: Step(
        ask=ask_time,
        answer=answer_move_time,
        help="patient.help.time",
        needs=("booking", "service_id", "service", "day", "times"),
        goes_to=frozenset({S.MOVE_TIME, S.MOVE_DAY, S.MOVE_CONFIRM}),
    ),
    S.MOVE_CONFIRM: Step(
        ask=ask_move_confirm,
        answer=answer_move_confirm,
        help=CHOOSE,
        needs=("booking", "service_id", "service", "day", "slot_id", "start"),
        goes_to=frozenset({S.MENU, S.MOVE_DAY, S.MOVE_TIME}),
    ),
    S.REMINDER: Step(
        ask=ask_reminder,
        answer=answer_reminder,
        help=CHOOSE,
        needs=("code",),
        goes_to=frozenset({S.MENU, S.ACTION, S.CANCEL, S.MOVE_DAY}),
    ),
    # A place freed, offered from the waitlist (the offer's transaction enters this state).
    S.WAITLIST_OFFER: Step(
        ask=ask_waitlist_offer,
        answer=answer_waitlist_offer,
        help="patient.help.waitlist_offer",
        needs=OFFER,
        goes_to=frozenset({S.WAITLIST_OFFER, S.MENU}),
    ),
    # MIS DATOS (from the menu's words): what the services read for this phone is shown on
    # entering; the rights register notes each request (access, correction, withdrawal,
    # erasure). A withdrawal's confirmation is the last message: then as a declined consent.
    S.MY_DATA: Step(
        ask=ask_my_data,
        answer=answer_my_data,
        help=CHOOSE,
        needs=(),
        goes_to=frozenset({S.MY_DATA_FIX, S.MY_DATA_WITHDRAW, S.MY_DATA_ERASE, S.MENU, S.CONSENT}),
    ),
    S.MY_DATA_FIX: Step(
        ask=ask_fix,
        answer=answer_fix,
        help=CHOOSE,
        needs=(),
        goes_to=frozenset({S.MY_DATA_NAME, S.MY_DATA_AGE, S.MY_DATA_SEX}),
    ),
    S.MY_DATA_NAME: Step(
        ask=asking("patient.ask_name"),
        answer=answer_new_name,
        help=WRITE,
        needs=(),
        goes_to=frozenset({S.MENU, S.CONSENT}),
    ),
    S.MY_DATA_AGE: Step(
        ask=asking("patient.ask_age"),
        answer=answer_new_age,
        help="patient.help.age",
        needs=(),
        goes_to=frozenset({S.MENU, S.CONSENT}),
    ),
    S.MY_DATA_SEX: Step(
        ask=asking("patient.ask_sex", positions(S.MY_DATA_SEX, 3)),
        answer=answer_new_sex,
        help=CHOOSE,
        needs=(),
        goes_to=frozenset({S.MENU, S.CONSENT}),
    ),
    S.MY_DATA_WITHDRAW: Step(
        ask=ask_withdraw,
        answer=answer_withdraw,
        help=CHOOSE,
        needs=(),
        goes_to=frozenset({S.MENU, S.CONSENT, S.DECLINED}),
    ),
    S.MY_DATA_ERASE: Step(
        ask=ask_erase,
        answer=answer_erase,
        help=CHOOSE,
        needs=(),
        goes_to=frozenset({S.MENU, S.CONSENT, S.DECLINED}),
    ),
}


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
            written_in = turn.data.get(WRITTEN_IN)
            drop_answers(turn)  # the menu holds no half-given answers
            if written_in:
                turn.data[WRITTEN_IN] = written_in
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
    if message.choice is not None:
        typed, ask = _tap(state, turn, message.choice)
        if typed is None:  # a tap on a list no longer asked: the fresh question
            return run(FLOW, ask, turn) if ask in OPENINGS else enter(FLOW, ask, turn)
        turn.text = typed
    _watch_for_red_flags(state, turn)
    if turn.words in LANGUAGE_WORDS:
        _switch_language(turn, LANGUAGE_WORDS[turn.words])
        return run(FLOW, state, turn) if state in OPENINGS else enter(FLOW, state, turn)
    if state in OPENINGS:
        return run(FLOW, state, turn)
    _follow_language(state, turn)
    if not message.text.strip():
        turn.say("patient.text_only")
        return enter(FLOW, state, turn)
    if turn.words in HELP_WORDS:
        turn.say(FLOW[state].help or CHOOSE)
        return enter(FLOW, state, turn)
    if turn.words in MENU_WORDS:
        return enter(FLOW, S.CONSENT if state in BEFORE_CONSENT else S.MENU, turn)
    # "Avísame si alguien cancela" asks for the waitlist, not to cancel.
    intent = intent_of(turn.words) if state in CHOOSING and not asks_to_wait(turn) else None
    if intent in ELSEWHERE and not DIGIT.search(turn.words):
        return enter(FLOW, act_on(turn, intent), turn)  # "mejor quiero cancelar mi cita"
    return run(FLOW, state, turn)


def _tap(state: PatientState, turn: PatientTurn, choice: str) -> tuple[str | None, PatientState]:
    """The answer a tap stands for here; else None, having said why, and what to ask instead.

    A time no longer free is answered with the day's free times read afresh.
    """
    typed = typed_answer(state, turn.data, choice)
    if typed is not None:
        return typed, state
    slot = tapped_slot(choice)
    if slot is None:
        turn.say("patient.old_list")
        return None, state
    if state not in TIME_STATES:
        turn.say("patient.slot_gone")
        return None, state
    if (typed := slot_tapped(turn, *slot)) is not None:
        return typed, state
    turn.say("patient.slot_gone")
    day_state = S.DAY if state == S.TIME else S.MOVE_DAY
    return None, offer_times(turn, day_state, state)


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
    if state in FLOW and all(key in turn.data for key in FLOW[state].needs):
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


def _follow_language(state: PatientState, turn: PatientTurn) -> None:
    """Two clear sentences in a row in the other language switch to it; the answer still counts.

    A number, a name, "ok" or "no" tells nothing and breaks no run; a clear sentence
    in the chat's own language does.
    """
    written = None if state in NO_LANGUAGE else clearly_written_in(turn.text)
    if written is None:
        return
    if written == turn.language:
        turn.data.pop(WRITTEN_IN, None)
    elif turn.data.pop(WRITTEN_IN, None) == written:
        _switch_language(turn, written)
    else:
        turn.data[WRITTEN_IN] = written


def _switch_language(turn: PatientTurn, language: str) -> None:
    turn.services.set_language(language)
    turn.language = language
    turn.say("patient.language_set")
