"""Another time after a rejection or an expiry: the request again, with the same answers.

The rejection's or expiry's transaction puts a conversation at rest in REBOOK with
the free times its notice listed (`offer`, called by app/conversation/rebooking.py).
A number or a time typed picks one, a yes sends the request with the old request's
intake (nothing is asked again), and a time taken meanwhile offers the nearest
ones. Anything else is read as the menu reads it. Offers older than a day are
stale: every message then goes to the menu, and a stale slot is refused by the hold.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from app.booking.errors import (
    BookingError,
    NotFound,
    OpenRequestExists,
    SlotNotBookable,
    SlotTaken,
    UpcomingAppointmentExists,
)
from bot_flows.engine import Choice, positions
from bot_flows.patient_answers import (
    LONE_OPTION,
    YES_NO,
    choice,
    clear_choice,
    clock_of,
    not_understood,
    numbered,
    when_label,
)
from bot_flows.patient_booking import drop_answers, slot_choice
from bot_flows.patient_start import answer_menu
from bot_flows.patient_states import PatientState, PatientTurn
from bot_flows.ports import SlotOption
from bot_flows.practice_copy import announce, doctor_named

S = PatientState
NEAREST_SHOWN = 3
FRESH = timedelta(hours=24)  # an offer's numbers mean its times this long
# What the REBOOK question reads from the conversation's data (`offer` writes it).
OFFERED = ("code", "service_id", "options", "offered_at")


def offer(
    code: str, service_id: uuid.UUID, times: list[SlotOption], now: datetime
) -> dict[str, Any]:
    """The data of a conversation offered `times` instead of the request `code`."""
    return {
        "code": code,
        "service_id": str(service_id),
        "options": [[str(slot.slot_id), slot.start.isoformat()] for slot in times],
        "offered_at": now.isoformat(),
    }


def ask_rebook(turn: PatientTurn) -> None:
    options = turn.data["options"]
    labels = (when_label(turn, start) for _, start in options)
    choices = tuple(Choice(slot_choice(slot_id, start)) for slot_id, start in options)
    turn.offer("patient.rebook_options", choices, options=numbered(labels))


def answer_rebook(turn: PatientTurn) -> PatientState:
    """A time offered, by its number or typed; any other words as the menu reads them.

    A lone number that is no option is asked again: "4" here is not the menu's hand-off.
    """
    fresh = turn.now - datetime.fromisoformat(turn.data["offered_at"]) <= FRESH
    if fresh and _pick(turn):
        return S.REBOOK_CONFIRM
    if fresh and LONE_OPTION.fullmatch(turn.words):
        return not_understood(turn, S.REBOOK)
    kept = dict(turn.data)
    drop_answers(turn)
    state = answer_menu(turn)
    if fresh and state == S.MENU:  # a greeting, thanks, or words not understood
        turn.data.update(kept)
        return S.REBOOK
    return state


def ask_rebook_confirm(turn: PatientTurn) -> None:
    turn.offer(
        "patient.rebook_confirm",
        positions(S.REBOOK_CONFIRM, 2),
        when=when_label(turn, turn.data["start"]),
        code=turn.data["code"],
        **doctor_named(turn),
    )


def answer_rebook_confirm(turn: PatientTurn) -> PatientState:
    match clear_choice(turn, 2, YES_NO):
        case 1:
            return _send(turn)
        case 2:
            return S.REBOOK
    return not_understood(turn, S.REBOOK_CONFIRM)


def _send(turn: PatientTurn) -> PatientState:
    """The new request, with the old one's answers; a time taken meanwhile offers the nearest."""
    try:
        hold = turn.services.rebook(turn.data["code"], uuid.UUID(turn.data["slot_id"]))
    except (SlotTaken, SlotNotBookable):
        turn.say("patient.slot_taken")
        return _offer_nearest(turn)
    except OpenRequestExists as open_request:
        turn.say("patient.open_request", code=open_request.code, **doctor_named(turn))
        return S.MENU
    except UpcomingAppointmentExists as upcoming:
        turn.say("patient.upcoming_appointment", code=upcoming.code)
        return S.MENU
    except NotFound:
        turn.say("patient.rebook_gone")
        return S.MENU
    except BookingError:
        turn.say("patient.try_again")
        return S.REBOOK_CONFIRM
    announce(turn, hold)
    turn.data.clear()
    return S.MENU


def _offer_nearest(turn: PatientTurn) -> PatientState:
    service_id = uuid.UUID(turn.data["service_id"])
    around = datetime.fromisoformat(turn.data["start"])
    nearest = turn.services.nearest_free(service_id, around, NEAREST_SHOWN)
    if not nearest:
        turn.say("patient.rebook_none")
        return S.MENU
    turn.data.update(offer(turn.data["code"], service_id, nearest, turn.now))
    return S.REBOOK


def _pick(turn: PatientTurn) -> bool:
    """Keep the option chosen by its number (1..) or by its local time typed ("10:30").

    Only a message that is the number counts: "quiero una cita" is no pick of the first.
    """
    options = turn.data["options"]
    typed = clock_of(turn)
    if typed is None:
        lone = LONE_OPTION.fullmatch(turn.words) is not None
        number = choice(turn, len(options)) if lone else None
        chosen = None if number is None else options[number - 1]
    else:
        zone = ZoneInfo(turn.services.practice.timezone)
        chosen = next(
            (o for o in options if _clock(datetime.fromisoformat(o[1]), zone) == typed), None
        )
    if chosen is None:
        return False
    turn.data["slot_id"], turn.data["start"] = chosen
    return True


def _clock(instant: datetime, zone: ZoneInfo) -> tuple[int, int]:
    local = instant.astimezone(zone)
    return local.hour, local.minute
