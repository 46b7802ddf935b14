"""The waitlist in the chat: joining it when no time suits, and answering a place freed.

"No me sirve ninguno" when every time (or day) was shown, or "avísame si se libera"
at the day or time question, asks which part of the day suits. The booking then goes
on as usual, through the intake to the summary; sent, the summary joins the list
instead of holding a time, and the answers are kept with the entry, so taking a
place asks nothing again. The list covers from today to the day looked at, and a
week at least.

A place freed puts a conversation at rest in WAITLIST_OFFER
(app/conversation/waitlist.py): 1 takes it (the normal hold), 2 passes and stays on
the list, 3 leaves the list.
"""

from __future__ import annotations

import uuid
from contextlib import suppress
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from app.booking.errors import (
    BookingError,
    ChatBookingClosed,
    NotFound,
    OfferGone,
    OpenRequestExists,
    UpcomingAppointmentExists,
)
from bot_flows.engine import option_words, positions
from bot_flows.patient_answers import clear_choice, day_label, not_understood, when_label
from bot_flows.patient_intake import intake_done, intake_from, start_intake, stored_from
from bot_flows.patient_states import PatientState, PatientTurn
from bot_flows.practice_copy import announce, doctor_named, say_chat_closed
from bot_flows.reading import agreed, options_named
from bot_flows.texts import text
from bot_flows.understanding import phrases, says

S = PatientState
AT_LEAST = timedelta(days=6)  # the list covers today and six more days at least
PARTS = ("morning", "afternoon", "any")
PART_TEXT = {
    "morning": "patient.waitlist_part.morning",
    "afternoon": "patient.waitlist_part.afternoon",
    "any": "patient.waitlist_part.any",
}
JOIN_WORDS = option_words("waitlist.morning", "waitlist.afternoon", "waitlist.any", "waitlist.no")
OFFER_WORDS = option_words("offer.take", "offer.pass", "offer.leave")
ASKS_TO_WAIT = phrases("waitlist")
# What WAITLIST_OFFER reads from the conversation's data (`offered_place` writes it).
OFFER = ("offer", "service", "start")


def asks_to_wait(turn: PatientTurn) -> bool:
    """ "Avísame si se libera", "¿hay lista de espera?", "si alguien cancela me avisas"."""
    return says(ASKS_TO_WAIT, turn.words)


def offer_waitlist(turn: PatientTurn, looked_at: str) -> PatientState:
    """Ask to join the list for the service chosen, until `looked_at` (a week at least)."""
    last = max(date.fromisoformat(looked_at), _today(turn) + AT_LEAST)
    turn.data["wait_until"] = last.isoformat()
    return S.WAITLIST_JOIN


def ask_waitlist_join(turn: PatientTurn) -> None:
    turn.offer(
        "patient.waitlist_join",
        positions(S.WAITLIST_JOIN, 4),
        service=turn.data["service"],
        until=day_label(turn.data["wait_until"], turn.language),
    )


def answer_waitlist_join(turn: PatientTurn) -> PatientState:
    """A part of the day joins (after the intake and the summary); 4 or "no" does not."""
    answer = clear_choice(turn, 4, JOIN_WORDS)
    if answer is None and agreed(turn.text):
        answer = 3
    if answer is None:
        return not_understood(turn, S.WAITLIST_JOIN)
    if answer == 4:
        turn.say("patient.waitlist_not_joined")
        return S.MENU
    turn.data["waitlist"] = {
        "first": _today(turn).isoformat(),
        "last": turn.data.pop("wait_until"),
        "part": PARTS[answer - 1],
    }
    # The intake and the summary read a chosen time: on the list there is none yet.
    turn.data["slot_id"] = turn.data["start"] = None
    return S.SUMMARY if intake_done(turn.data) else start_intake(turn)


def waitlist_label(turn: PatientTurn) -> str | None:
    """The summary's line for the list joined ("Lista de espera: ..."), or None: a time."""
    wanted: dict[str, str] | None = turn.data.get("waitlist")
    if wanted is None:
        return None
    return text(
        "patient.waitlist_when",
        turn.language,
        first=day_label(wanted["first"], turn.language),
        last=day_label(wanted["last"], turn.language),
        part=text(PART_TEXT[wanted["part"]], turn.language),
    )


def join_waitlist(turn: PatientTurn) -> PatientState:
    """The summary sent: the patient is on the list, with the answers just given."""
    wanted = turn.data["waitlist"]
    try:
        turn.services.join_waitlist(
            uuid.UUID(turn.data["service_id"]),
            date.fromisoformat(wanted["first"]),
            date.fromisoformat(wanted["last"]),
            wanted["part"],
            intake_from(turn.data, turn.services.phone),
        )
    except BookingError:
        turn.say("patient.try_again")
        return S.SUMMARY
    turn.say(
        "patient.waitlist_joined",
        service=turn.data["service"],
        last=day_label(wanted["last"], turn.language),
    )
    turn.services.remember_patient(stored_from(turn.data))
    turn.data.clear()
    return S.MENU


def offered_place(offer_id: uuid.UUID, service: str, start: datetime) -> dict[str, Any]:
    """The data of a conversation answering the offer `offer_id`."""
    return {"offer": str(offer_id), "service": service, "start": start.isoformat()}


def ask_waitlist_offer(turn: PatientTurn) -> None:
    turn.offer(
        "patient.waitlist_offer",
        positions(S.WAITLIST_OFFER, 3),
        service=turn.data["service"],
        when=when_label(turn, turn.data["start"]),
    )


def answer_waitlist_offer(turn: PatientTurn) -> PatientState:
    """1 or "lo quiero" takes the place, 2 passes, 3 leaves the list; "👍" takes it."""
    answer = clear_choice(turn, 3, OFFER_WORDS)
    if answer is None and agreed(turn.text):
        answer = 1
    elif answer is None:
        answer = options_named(turn.words, OFFER_WORDS, agreeing=1)
    offer_id = uuid.UUID(turn.data["offer"])
    match answer:
        case 1:
            return _take(turn, offer_id)
        case 2:
            # Lapsed or taken meanwhile: passed on either way.
            with suppress(OfferGone, NotFound):
                turn.services.decline_offer(offer_id)
            turn.say("patient.waitlist_passed")
            return S.MENU
        case 3:
            turn.services.leave_waitlist()
            turn.say("patient.waitlist_left")
            return S.MENU
    return not_understood(turn, S.WAITLIST_OFFER)


def _take(turn: PatientTurn, offer_id: uuid.UUID) -> PatientState:
    try:
        hold = turn.services.accept_offer(offer_id)
    except (OfferGone, NotFound):
        turn.say("patient.waitlist_too_late")
        return S.MENU
    except OpenRequestExists as open_request:
        turn.say("patient.open_request", code=open_request.code, **doctor_named(turn))
        return S.MENU
    except UpcomingAppointmentExists as upcoming:
        turn.say("patient.upcoming_appointment", code=upcoming.code)
        return S.MENU
    except ChatBookingClosed:
        say_chat_closed(turn)
        return S.MENU
    except BookingError:
        turn.say("patient.try_again")
        return S.WAITLIST_OFFER
    announce(turn, hold)
    turn.data.clear()
    return S.MENU


def _today(turn: PatientTurn) -> date:
    return turn.now.astimezone(ZoneInfo(turn.services.practice.timezone)).date()
