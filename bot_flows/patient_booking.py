"""Booking: service, day and time, then (after the intake) the summary and the request.

Choices offered are kept in the conversation's data, so a repeated question shows
the same numbered list and "2" keeps meaning the same thing. A day's free times
are all kept: a dozen are shown at a time, with one more number for the next
ones, and a time typed ("16:30") may be any of them.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from app.booking.errors import (
    BookingError,
    OpenRequestExists,
    SlotNotBookable,
    SlotTaken,
    UpcomingAppointmentExists,
)
from app.booking.requests import Hold
from bot_flows.engine import option_words
from bot_flows.patient_answers import (
    DIGIT,
    choice,
    clear_choice,
    clock_of,
    day_label,
    not_understood,
    numbered,
    when_label,
)
from bot_flows.patient_intake import (
    forget_kept,
    intake_done,
    intake_from,
    start_intake,
    stored_from,
    summary_values,
)
from bot_flows.patient_states import PatientState, PatientTurn
from bot_flows.ports import SlotOption
from bot_flows.practice_copy import booking_details, doctor_named
from bot_flows.reading import agreed, options_named
from bot_flows.texts import clock_time, recognised, text

S = PatientState
DAYS_SHOWN = 7
TIMES_SHOWN = 12
NEAREST_SHOWN = 3
# Sending or discarding the request cannot be undone: only a message that is just
# the answer counts ("no, no quiero cancelar" is asked again).
SUMMARY_WORDS = option_words("summary.send", "summary.restart", "summary.discard", "summary.change")
MORE_WORDS = recognised("more_times")
HOUR_NAMED = re.compile(
    r"(?:^|\s)(?:"
    + "|".join(sorted(map(re.escape, recognised("time.at")), key=len, reverse=True))
    + r")\s+(\d{1,2})(?:\s|$)"
)


def start_booking(turn: PatientTurn) -> PatientState:
    """Offer the services, or go straight to the days when there is only one."""
    services = turn.services.services()
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
    days = turn.services.free_days(uuid.UUID(turn.data["service_id"]), DAYS_SHOWN)
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
    times = turn.services.free_times(service_id, date.fromisoformat(turn.data["day"]))
    if not times:
        turn.say("patient.day_full")
        return offer_days(turn, day_state)
    turn.data["times"] = _options(times)
    turn.data["times_from"] = 0
    return then


def ask_time(turn: PatientTurn) -> None:
    """The day's free times from `times_from` on, and "more times" if some are left."""
    zone = turn.services.practice.timezone
    shown, more = _times_shown(turn.data)
    labels = [clock_time(datetime.fromisoformat(start), zone, turn.language) for _, start in shown]
    if more:
        labels.append(text("patient.more_times", turn.language))
    day = day_label(turn.data["day"], turn.language)
    turn.say("patient.times", day=day, options=numbered(labels))


def answer_time(turn: PatientTurn) -> PatientState:
    match pick_time(turn):
        case "more":
            return S.TIME
        case "picked":
            return S.SUMMARY if intake_done(turn.data) else start_intake(turn)
    return not_understood(turn, S.TIME)


def pick_time(turn: PatientTurn) -> Literal["picked", "more"] | None:
    """Keep the day's time chosen by its number or typed; or move on to the next times.

    A typed time ("16:30") may be any free time of the day, shown or not; a typed
    time that is not free is not understood, never read as an option number.
    """
    if clock_of(turn) is not None:
        return "picked" if _pick(turn, turn.data["times"]) else None
    hour = _hour_named(turn)
    if hour is not None:
        return "picked" if _pick_hour(turn, hour) else None
    shown, more = _times_shown(turn.data)
    number = choice(turn, len(shown) + int(more))
    if more and (number == len(shown) + 1 or turn.words in MORE_WORDS):
        turn.data["times_from"] = turn.data.get("times_from", 0) + TIMES_SHOWN
        return "more"
    return "picked" if _pick(turn, shown) else None


def ask_summary(turn: PatientTurn) -> None:
    """The answers to check; a returning patient's kept ones apart, with "4" to change them."""
    values = summary_values(turn)
    turn.say(
        "patient.summary_kept" if values["kept"] else "patient.summary",
        service=turn.data["service"],
        when=when_label(turn, turn.data["start"]),
        **values,
    )


def answer_summary(turn: PatientTurn) -> PatientState:
    """An option, or what the patient says in words: "👍" sends, "está mal el nombre" restarts.

    A bare "no" is asked about (start over, or cancel?).
    """
    options = 4 if turn.data.get("kept") else 3
    answer = clear_choice(turn, options, SUMMARY_WORDS)
    if answer is None and agreed(turn.text):
        answer = 1
    elif answer is None and not DIGIT.search(turn.words):
        answer = options_named(turn.words, SUMMARY_WORDS, agreeing=1)
    if answer is not None and answer > options:
        answer = None  # "cambiar mis datos" when nothing was kept
    match answer:
        case 1:
            return send_request(turn)
        case 2:
            drop_answers(turn)
            return start_booking(turn)
        case 3:
            turn.say("patient.discarded")
            return S.MENU
        case 4:
            return forget_kept(turn)
    return not_understood(turn, S.SUMMARY)


def send_request(turn: PatientTurn) -> PatientState:
    """Hold the slot; the answers are dropped from the conversation once the request exists."""
    try:
        intake = intake_from(turn.data, turn.services.phone)
        hold = turn.services.hold(uuid.UUID(turn.data["slot_id"]), intake)
    except (SlotTaken, SlotNotBookable):
        turn.say("patient.slot_taken")
        return _offer_nearest(turn)
    except OpenRequestExists as open_request:
        turn.say("patient.open_request", code=open_request.code, **doctor_named(turn))
        return S.MENU
    except UpcomingAppointmentExists as upcoming:
        turn.say("patient.upcoming_appointment", code=upcoming.code)
        return S.MENU
    except BookingError:
        turn.say("patient.try_again")
        return S.SUMMARY
    _announce(turn, hold)
    turn.services.remember_patient(stored_from(turn.data))
    turn.data.clear()
    return S.MENU


def ask_nearest(turn: PatientTurn) -> None:
    labels = (when_label(turn, start) for _, start in turn.data["nearest"])
    turn.say("patient.nearest", options=numbered(labels))


def answer_nearest(turn: PatientTurn) -> PatientState:
    return S.SUMMARY if _pick(turn, turn.data["nearest"]) else not_understood(turn, S.TAKEN)


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
    nearest = turn.services.nearest_free(service_id, around, NEAREST_SHOWN)
    if not nearest:
        return offer_days(turn, S.DAY)
    turn.data["nearest"] = _options(nearest)
    return S.TAKEN


def _announce(turn: PatientTurn, hold: Hold) -> None:
    when = when_label(turn, turn.data["start"])
    details = booking_details(turn)
    if hold.confirmed:
        turn.say("patient.booked", code=hold.code, when=when, details=details)
        return
    practice = turn.services.practice
    deadline = clock_time(hold.expires_at, practice.timezone, turn.language)
    turn.say(
        "patient.requested",
        code=hold.code,
        when=when,
        deadline=deadline,
        details=details,
        **doctor_named(turn),
    )


def _options(slots: list[SlotOption]) -> list[list[str]]:
    return [[str(slot.slot_id), slot.start.isoformat()] for slot in slots]


def _times_shown(data: dict[str, Any]) -> tuple[list[list[str]], bool]:
    """The free times on screen, and whether more come after them."""
    start = data.get("times_from", 0)  # absent in conversations stored before paging
    end = start + TIMES_SHOWN
    return data["times"][start:end], end < len(data["times"])


def _pick(turn: PatientTurn, options: list[list[str]]) -> bool:
    """Keep the option chosen by its number (1..) or by its local time typed ("10:30")."""
    typed = clock_of(turn)
    if typed is None:
        number = choice(turn, len(options))
        chosen = None if number is None else options[number - 1]
    else:
        chosen = next((option for option in options if _local(turn, option) == typed), None)
    if chosen is None:
        return False
    turn.data["slot_id"], turn.data["start"] = chosen
    return True


def _hour_named(turn: PatientTurn) -> int | None:
    """The hour in "a las 10", "at 4", "como a las 9": a time of day, never the 10th option."""
    typed = HOUR_NAMED.search(turn.words)
    return int(typed[1]) if typed is not None and int(typed[1]) <= 23 else None


def _pick_hour(turn: PatientTurn, hour: int) -> bool:
    """Keep the day's free time at `hour` o'clock; "a las 4" is 16:00 only if 04:00 is not free.

    Both free, or neither: nothing is kept, and the question is asked again.
    """
    hours = {hour, hour + 12} if hour < 12 else {hour}
    found = [
        option for option in turn.data["times"] if _local(turn, option) in {(h, 0) for h in hours}
    ]
    if len(found) != 1:
        return False
    turn.data["slot_id"], turn.data["start"] = found[0]
    return True


def _local(turn: PatientTurn, option: list[str]) -> tuple[int, int]:
    local = datetime.fromisoformat(option[1]).astimezone(ZoneInfo(turn.services.practice.timezone))
    return local.hour, local.minute
