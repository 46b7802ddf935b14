"""Booking: service, day and time, then (after the intake) the summary and the request.

Choices offered are kept in the conversation's data, so a repeated question shows
the same numbered list and "2" keeps meaning the same thing.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from app.booking.errors import BookingError, OpenRequestExists, SlotNotBookable, SlotTaken
from app.booking.requests import Hold
from bot_flows.patient_answers import (
    choice,
    clear_choice,
    day_label,
    not_understood,
    numbered,
    when_label,
)
from bot_flows.patient_intake import (
    intake_done,
    intake_from,
    start_intake,
    stored_from,
    summary_values,
)
from bot_flows.patient_states import PatientState, PatientTurn
from bot_flows.ports import SlotOption
from bot_flows.texts import clock_time, text

S = PatientState
DAYS_SHOWN = 7
TIMES_SHOWN = 12
NEAREST_SHOWN = 3
SUMMARY_WORDS = {
    "confirmar": 1, "confirmo": 1, "confirm": 1, "si": 1, "yes": 1, "ok": 1, "si confirmo": 1,
    "si confirmar": 1, "enviar": 1, "send": 1,
    "de nuevo": 2, "empezar de nuevo": 2, "otra vez": 2, "start over": 2, "restart": 2,
    "cancelar": 3, "cancel": 3,
}  # fmt: skip
# "10:30", "9.15", "4:00 pm", "16h30": a time typed instead of its number.
# Sending or discarding the request cannot be undone: only a message that is just
# the answer counts ("no, no quiero cancelar" is asked again).
CLOCK = re.compile(r"(\d{1,2})\s*[:.h]\s*(\d{2})\s*(?:([ap])\.?\s*m\b)?")


def start_booking(turn: PatientTurn) -> PatientState:
    """Offer the services, or go straight to the days when there is only one."""
    services = turn.desk.services()
    if not services:
        turn.say("patient.no_services")
        return S.MENU
    if len(services) == 1:
        return _choose_service(turn, str(services[0].id), services[0].name)
    turn.data["services"] = [[str(s.id), s.name, s.duration] for s in services]
    return S.SERVICE


def ask_service(turn: PatientTurn) -> None:
    labels = (
        text("patient.service_option", turn.language, name=name, duration=duration)
        for _, name, duration in turn.data["services"]
    )
    turn.say("patient.services", options=numbered(labels))


def answer_service(turn: PatientTurn) -> PatientState:
    services = turn.data["services"]
    number = choice(turn, len(services))
    if number is None:
        return not_understood(turn, S.SERVICE)
    service_id, name, _ = services[number - 1]
    return _choose_service(turn, service_id, name)


def offer_days(turn: PatientTurn, then: PatientState) -> PatientState:
    """Offer the soonest days with a free time of the chosen service (`then` asks them)."""
    days = turn.desk.free_days(uuid.UUID(turn.data["service_id"]), DAYS_SHOWN)
    if not days:
        turn.say("patient.no_days", service=turn.data["service"])
        return S.MENU
    turn.data["days"] = [day.isoformat() for day in days]
    return then


def ask_day(turn: PatientTurn) -> None:
    labels = (day_label(day, turn.language) for day in turn.data["days"])
    turn.say("patient.days", options=numbered(labels))


def pick_day(here: PatientState, then: PatientState) -> Callable[[PatientTurn], PatientState]:
    """The answer to "which day?": its free times are offered next, in state `then`."""

    def answer_day(turn: PatientTurn) -> PatientState:
        days = turn.data["days"]
        number = choice(turn, len(days))
        if number is None:
            return not_understood(turn, here)
        turn.data["day"] = days[number - 1]
        return offer_times(turn, here, then)

    return answer_day


def offer_times(turn: PatientTurn, day_state: PatientState, then: PatientState) -> PatientState:
    """Offer the free times of the chosen day; a day filled meanwhile offers the days again."""
    service_id = uuid.UUID(turn.data["service_id"])
    times = turn.desk.free_times(service_id, date.fromisoformat(turn.data["day"]))
    if not times:
        turn.say("patient.day_full")
        return offer_days(turn, day_state)
    turn.data["times"] = _options(times[:TIMES_SHOWN])
    return then


def ask_time(turn: PatientTurn) -> None:
    zone = turn.desk.practice.timezone
    labels = (
        clock_time(datetime.fromisoformat(start), zone, turn.language)
        for _, start in turn.data["times"]
    )
    day = day_label(turn.data["day"], turn.language)
    turn.say("patient.times", day=day, options=numbered(labels))


def answer_time(turn: PatientTurn) -> PatientState:
    if not pick_slot(turn, "times"):
        return not_understood(turn, S.TIME)
    return S.SUMMARY if intake_done(turn.data) else start_intake(turn)


def pick_slot(turn: PatientTurn, offered: str) -> bool:
    """Keep the time chosen among `turn.data[offered]`, by its number or typed ("10:30")."""
    options = turn.data[offered]
    number = choice(turn, len(options)) or _typed_time(turn, options)
    if number is None:
        return False
    turn.data["slot_id"], turn.data["start"] = options[number - 1]
    return True


def ask_summary(turn: PatientTurn) -> None:
    turn.say(
        "patient.summary",
        service=turn.data["service"],
        when=when_label(turn, turn.data["start"]),
        **summary_values(turn),
    )


def answer_summary(turn: PatientTurn) -> PatientState:
    match clear_choice(turn, 3, SUMMARY_WORDS):
        case 1:
            return send_request(turn)
        case 2:
            drop_answers(turn)
            return start_booking(turn)
        case 3:
            turn.say("patient.discarded")
            return S.MENU
    return not_understood(turn, S.SUMMARY)


def send_request(turn: PatientTurn) -> PatientState:
    """Hold the slot; the answers are dropped from the conversation once the request exists."""
    try:
        intake = intake_from(turn.data, turn.desk.phone)
        hold = turn.desk.hold(uuid.UUID(turn.data["slot_id"]), intake)
    except (SlotTaken, SlotNotBookable):
        turn.say("patient.slot_taken")
        return _offer_nearest(turn)
    except OpenRequestExists as open_request:
        turn.say("patient.open_request", code=open_request.code)
        return S.MENU
    except BookingError:
        turn.say("patient.try_again")
        return S.SUMMARY
    _announce(turn, hold)
    turn.desk.remember_patient(stored_from(turn.data))
    turn.data.clear()
    return S.MENU


def ask_nearest(turn: PatientTurn) -> None:
    labels = (when_label(turn, start) for _, start in turn.data["nearest"])
    turn.say("patient.nearest", options=numbered(labels))


def answer_nearest(turn: PatientTurn) -> PatientState:
    return S.SUMMARY if pick_slot(turn, "nearest") else not_understood(turn, S.TAKEN)


def drop_answers(turn: PatientTurn) -> None:
    """Forget the answers collected; an emergency sign already mentioned stays noted."""
    red_flag = turn.data.get("red_flag")
    turn.data.clear()
    if red_flag:
        turn.data["red_flag"] = True


def _choose_service(turn: PatientTurn, service_id: str, name: str) -> PatientState:
    turn.data.update(service_id=service_id, service=name)
    return offer_days(turn, S.DAY)


def _offer_nearest(turn: PatientTurn) -> PatientState:
    around = datetime.fromisoformat(turn.data["start"])
    service_id = uuid.UUID(turn.data["service_id"])
    nearest = turn.desk.nearest_free(service_id, around, NEAREST_SHOWN)
    if not nearest:
        return offer_days(turn, S.DAY)
    turn.data["nearest"] = _options(nearest)
    return S.TAKEN


def _announce(turn: PatientTurn, hold: Hold) -> None:
    when = when_label(turn, turn.data["start"])
    if hold.confirmed:
        turn.say("patient.booked", code=hold.code, when=when)
        return
    practice = turn.desk.practice
    deadline = clock_time(hold.expires_at, practice.timezone, turn.language)
    turn.say(
        "patient.requested", code=hold.code, when=when, doctor=practice.doctor, deadline=deadline
    )


def _options(slots: list[SlotOption]) -> list[list[str]]:
    return [[str(slot.slot_id), slot.start.isoformat()] for slot in slots]


def _typed_time(turn: PatientTurn, options: list[list[str]]) -> int | None:
    typed = CLOCK.search(turn.text.lower())
    if typed is None:
        return None
    hour, minute = int(typed[1]), int(typed[2])
    if typed[3] == "p" and hour < 12:
        hour += 12
    elif typed[3] == "a" and hour == 12:
        hour = 0
    zone = ZoneInfo(turn.desk.practice.timezone)
    for number, (_, start) in enumerate(options, start=1):
        local = datetime.fromisoformat(start).astimezone(zone)
        if (local.hour, local.minute) == (hour, minute):
            return number
    return None
