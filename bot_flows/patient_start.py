"""The opening of a patient's conversation: welcome, consent, main menu and hand-off."""

from __future__ import annotations

from bot_flows.engine import fold, option_words, positions
from bot_flows.language import opening
from bot_flows.patient_answers import (
    LONE_OPTION,
    YES_NO,
    choice,
    clear_choice,
    clear_option,
    not_understood,
    squeezed,
)
from bot_flows.patient_booking import drop_answers, note_wanted, start_booking
from bot_flows.patient_manage import show_bookings, start_managing
from bot_flows.patient_my_data import asks_for_data, show_my_data
from bot_flows.patient_states import CONSENT_VERSION, PatientState, PatientTurn
from bot_flows.practice_copy import doctor_named
from bot_flows.red_flags import red_flag
from bot_flows.texts import recognised
from bot_flows.understanding import intent_of

S = PatientState
GREETINGS = recognised("greeting")
# The line under a welcome offering the other language, by the language it offers.
OFFERS = {"es": "patient.offer_language.es", "en": "patient.offer_language.en"}
THANKS = recognised("thanks")
THANKING = recognised("thanks.word")
COURTESY = THANKING | {w for phrase in THANKS | recognised("courtesy") for w in phrase.split()}
# Only a clear yes or no: a thumbs-up often means "seen", not consent to keep health data.
CONSENT_WORDS = option_words(("yes", "consent.yes"), ("no", "consent.no"))
MENU_WORDS = option_words(
    "main_menu.book", "main_menu.bookings", "main_menu.change", "main_menu.person"
)


def nothing_to_ask(turn: PatientTurn) -> None:
    """A conversation starts here: the first message is answered, never asked for."""


def first_message(turn: PatientTurn) -> PatientState:
    """Welcome; ask for consent unless this number already gave it (e.g. after a reset).

    A new number is welcomed in the language it wrote in (or its country's), and
    offered the other one when the practice or the country would have chosen it.
    """
    intent = intent_of(turn.words)
    if turn.services.has_consented():
        turn.say("patient.welcome_back", **doctor_named(turn))
        if asks_for_data(turn.words):
            return show_my_data(turn)
        return act_on(turn, intent) if intent else S.MENU
    if intent is not None:  # "quiero una cita para el lunes": done after the consent
        note_wanted(turn)
        turn.data["intent"] = intent
    start = opening(turn.text, turn.services.phone, turn.services.practice.language)
    if start.language != turn.language:
        turn.services.set_language(start.language)
        turn.language = start.language
    turn.say("patient.welcome", **doctor_named(turn))
    if start.offer is not None:
        turn.say(OFFERS[start.offer])
    return S.CONSENT


def ask_consent(turn: PatientTurn) -> None:
    turn.offer("patient.consent", positions(S.CONSENT, 2), **doctor_named(turn))


def answer_consent(turn: PatientTurn) -> PatientState:
    """Only a clear "1" / "sí" or "2" / "no" is recorded; anything else asks again.

    A message with emergency words is never an answer: the warning was given, and
    the privacy notice is shown again without "I did not understand" after it.
    """
    if red_flag(turn.text) is not None:
        return S.CONSENT
    if asks_for_data(turn.words):
        return show_my_data(turn)
    answer = clear_choice(turn, 2, CONSENT_WORDS)
    if answer is None:
        return not_understood(turn, S.CONSENT)
    accepted = answer == 1
    turn.services.record_consent(accepted, CONSENT_VERSION)
    if not accepted:
        return S.DECLINED
    turn.say("patient.consent_thanks")
    return act_on(turn, turn.data.pop("intent")) if "intent" in turn.data else S.MENU


def is_consent_answer(text: str) -> bool:
    """Whether `text` would answer the privacy question (so it says nothing about health)."""
    return clear_option(fold(text), 2, YES_NO) is not None


def say_declined(turn: PatientTurn) -> None:
    turn.say("patient.declined")


def offer_privacy_again(turn: PatientTurn) -> PatientState:
    """Whoever declined may change their mind: any later message shows the privacy notice
    again. "Mis datos" shows their data: that right needs no consent."""
    if asks_for_data(turn.words):
        return show_my_data(turn)
    return S.CONSENT


def ask_menu(turn: PatientTurn) -> None:
    turn.offer("patient.menu", positions(S.MENU, 4))


def answer_menu(turn: PatientTurn) -> PatientState:
    """An option; a greeting, thanks or a thumbs-up is answered kindly, not "not understood"."""
    if _thanks(turn.words) or (not turn.words and turn.text.strip() and "?" not in turn.text):
        turn.say("patient.you_are_welcome")  # the likeliest message after a confirmation
        turn.ask_next = False
        return S.MENU
    if turn.words in GREETINGS or squeezed(turn.words) in GREETINGS:
        turn.say("patient.greeted")
        return S.MENU
    if asks_for_data(turn.words):  # "mis datos", "borrar mis datos": no option renumbered
        return show_my_data(turn)
    intent = None if LONE_OPTION.fullmatch(turn.words) else intent_of(turn.words)
    if intent is not None:  # "quiero una cita para el 2" is a booking, not option 2
        return act_on(turn, intent)
    match choice(turn, 4, MENU_WORDS):
        case 1:
            return start_booking(turn)
        case 2:
            return show_bookings(turn)
        case 3:
            return start_managing(turn)
        case 4:
            turn.services.hand_off()
            return S.HANDOFF
    return not_understood(turn, S.MENU)


def _thanks(words: str) -> bool:
    """ "gracias", or thanks among kind words only ("listo, muchas gracias", "sale gracias")."""
    if words in THANKS:
        return True
    said = set(squeezed(words).split())
    return bool(said & THANKING) and said <= COURTESY and intent_of(words) is None


def act_on(turn: PatientTurn, intent: str) -> PatientState:
    """Do what the patient asked for in words, from the menu or in the middle of a booking.

    A booking keeps the day and time the message named for the questions to come.
    """
    if intent == "book":
        note_wanted(turn)
        return start_booking(turn)
    drop_answers(turn)
    if intent == "bookings":
        return show_bookings(turn)
    if intent == "change":
        return start_managing(turn)
    turn.services.hand_off()
    return S.HANDOFF


def say_handed_off(turn: PatientTurn) -> None:
    turn.say("patient.handoff")


def welcome_back(turn: PatientTurn) -> PatientState:
    """The hand-off is over (its 24 h passed, or the practice ended it): the bot answers again."""
    turn.say("patient.back")
    return S.MENU
