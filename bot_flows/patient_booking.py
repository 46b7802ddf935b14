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
from datetime import date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from app.booking.errors import (
    BookingError,
    ChatBookingClosed,
    OpenRequestExists,
    SlotNotBookable,
    SlotTaken,
    UpcomingAppointmentExists,
)
from bot_flows.engine import Choice, fold, option_words, positions
from bot_flows.patient_answers import (
    DIGIT,
    LONE_OPTION,
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
from bot_flows.patient_waitlist import asks_to_wait, join_waitlist, offer_waitlist, waitlist_label
from bot_flows.ports import SlotOption
from bot_flows.practice_copy import announce, doctor_named, say_chat_closed
from bot_flows.reading import agreed, options_named
from bot_flows.texts import clock_time, recognised, text
from bot_flows.understanding import (
    AMBIGUOUS,
    DayWanted,
    TimeWanted,
    day_of,
    option_by_text,
    phrases,
    says,
    time_of,
)

S = PatientState
PRICES = "prices"  # service id -> price, kept when the booking starts at a practice showing them
MORE = "more"  # the id of "more days" / "more times": "more:day", "more:time"


def slot_choice(slot_id: str, start: str) -> str:
    """A free time's choice id: the slot and its start, so an old list's tap can be checked."""
    return f"slot:{slot_id}:{start}"


DAYS_SHOWN = 7
TIMES_SHOWN = 9  # with "more times", a page fills a WhatsApp list (10 items)
NEAREST_SHOWN = 3
NEAREST_DAYS = 5  # free days shown around one asked for that has none
NOON = 12  # times from noon on are "the afternoon"
WEEK = timedelta(days=7)
PART_NAMES = {"morning": "patient.part.morning", "afternoon": "patient.part.afternoon"}
# Sending or discarding the request cannot be undone: only a message that is just
# the answer counts ("no, no quiero cancelar" is asked again).
SUMMARY_WORDS = option_words("summary.send", "summary.restart", "summary.discard", "summary.change")
MORE_WORDS = recognised("more_times")
MORE_TIMES = phrases("more_times", several_words=True)
MORE_DAYS = phrases("more_days")


def start_booking(turn: PatientTurn) -> PatientState:
    """Offer the services, or go straight to the days when there is only one."""
    if turn.services.booking_closed():
        say_chat_closed(turn)
        return S.MENU
    services = turn.services.services()
    if not services:
        turn.say("patient.no_services")
        return S.MENU
    if turn.services.practice.show_prices:  # for the confirmation, without reading them again
        priced = (s for s in services if s.price is not None)
        turn.data[PRICES] = {str(s.id): str(s.price) for s in priced}
    if len(services) == 1:
        return _choose_service(turn, str(services[0].id), services[0].name)
    turn.data["services"] = [[str(s.id), s.name, s.duration] for s in services]
    return S.SERVICE


def note_wanted(turn: PatientTurn) -> None:
    """Keep the day and time a message names ("para el lunes en la tarde") for the questions
    to come: they are offered first, never booked without the patient seeing them."""
    today = turn.now.astimezone(ZoneInfo(turn.services.practice.timezone)).date()
    wanted = dict(turn.data.get("wanted") or {})
    day = day_of(_dated(turn), today, turn.language)
    if isinstance(day, DayWanted):
        wanted["day"] = day.day.isoformat() if day.day else None
        wanted["week"] = day.week.isoformat() if day.week else None
    moment = time_of(turn.words, clock_of(turn))
    if isinstance(moment, TimeWanted):
        wanted.update(
            clock=list(moment.clock) if moment.clock else None,
            hour=moment.hour_only,
            part=moment.part,
            earliest=moment.earliest,
        )
    if any(wanted.values()):
        turn.data["wanted"] = wanted


def ask_service(turn: PatientTurn) -> None:
    services = turn.data["services"]
    labels = (
        text("patient.service_option", turn.language, name=name, duration=duration)
        for _, name, duration in services
    )
    choices = tuple(
        Choice(f"service:{service_id}", name, text("patient.minutes", turn.language, n=duration))
        for service_id, name, duration in services
    )
    turn.offer("patient.services", choices, options=numbered(labels))


def answer_service(turn: PatientTurn) -> PatientState:
    """By number, by name or a piece of it ("general"), or a typo of it ("consuta")."""
    services = turn.data["services"]
    number = _number(turn, len(services))
    if number is None:
        named = option_by_text(turn.words, [name for _, name, _ in services])
        if named is AMBIGUOUS:
            turn.say("patient.which_one")
            return S.SERVICE
        number = named
    if number is None:
        return not_understood(turn, S.SERVICE)
    note_wanted(turn)
    service_id, name, _ = services[number - 1]
    return _choose_service(turn, service_id, name)


def offer_days(turn: PatientTurn, then: PatientState) -> PatientState:
    """Offer the days with a free time of the chosen service (`then` asks them).

    With none, a booking offers the waitlist; a move cannot be made.

    A week at a time is shown; "más días" and a typed date reach every free day of the
    booking window (`_every_day`).
    """
    # A week and one day more (is there a next page?); the rest only when asked for.
    days = turn.services.free_days(uuid.UUID(turn.data["service_id"]), DAYS_SHOWN + 1)
    if not days and then == S.DAY:  # nothing free to book: the waitlist, for the whole window
        turn.say("patient.no_days_left", service=turn.data["service"])
        practice = turn.services.practice
        today = turn.now.astimezone(ZoneInfo(practice.timezone)).date()
        return offer_waitlist(turn, (today + timedelta(practice.booking_horizon_days)).isoformat())
    if not days:
        turn.say("patient.no_days", service=turn.data["service"])
        return S.MENU
    turn.data["days"] = [day.isoformat() for day in days]
    turn.data["days_shown"] = turn.data["days"][:DAYS_SHOWN]
    turn.data["all_days"] = len(days) <= DAYS_SHOWN
    return then


def _every_day(turn: PatientTurn) -> list[str]:
    """Every free day of the booking window: read once "más días" or a date is asked for."""
    if not turn.data.get("all_days", True):
        horizon = turn.services.practice.booking_horizon_days + 1
        days = turn.services.free_days(uuid.UUID(turn.data["service_id"]), horizon)
        turn.data["days"] = [day.isoformat() for day in days] or turn.data["days"]
        turn.data["all_days"] = True
    return turn.data["days"]


def ask_day(turn: PatientTurn) -> None:
    shown, more = days_shown(turn.data)
    labels = [day_label(day, turn.language) for day in shown]
    choices = [Choice(f"day:{day}") for day in shown]
    if more:
        labels.append(text("patient.more_days", turn.language))
        choices.append(Choice(f"{MORE}:day"))
    turn.offer("patient.days", tuple(choices), options=numbered(labels))


def pick_day(here: PatientState, then: PatientState) -> Callable[[PatientTurn], PatientState]:
    """The answer to "which day?": its free times are offered next, in state `then`.

    A number is the day shown with it; a day in words ("el lunes", "18/12") may be
    any free day of the window, and one with nothing free is answered with the
    nearest free days. A time said with it ("el lunes a las 10") is kept for the
    time question.
    """

    def answer_day(turn: PatientTurn) -> PatientState:
        shown, more = days_shown(turn.data)
        number = choice(turn, len(shown) + int(more))
        today = turn.now.astimezone(ZoneInfo(turn.services.practice.timezone)).date()
        named = day_of(_dated(turn), today, turn.language)
        if here == S.DAY and asks_to_wait(turn):
            return offer_waitlist(turn, _looked_at(turn))
        lone = LONE_OPTION.fullmatch(turn.words)
        lone_number = number is not None and lone is not None and lone[2] is None
        if lone_number and isinstance(named, DayWanted) and named.day is not None:
            # "el 6": the 6th, or the sixth day shown? The same day, or asked.
            same = number <= len(shown) and shown[number - 1] == named.day.isoformat()
            named = named if same else AMBIGUOUS
        if named is AMBIGUOUS:
            turn.say("patient.which_one")
            return here
        note_wanted(turn)
        if more and ((number == len(shown) + 1 and lone_number) or says(MORE_DAYS, turn.words)):
            _every_day(turn)
            _next_days(turn.data)
            return here
        if number is not None and number <= len(shown) and (lone_number or named is None):
            day = shown[number - 1]
        elif isinstance(named, DayWanted):
            found = _named_day(turn, named)
            if found is None:
                return here
            day = found
        elif here == S.DAY and says(MORE_DAYS, turn.words):  # every day shown: none suits
            return offer_waitlist(turn, _looked_at(turn))
        else:
            return not_understood(turn, here)
        turn.data["day"] = day
        state = offer_times(turn, here, then)
        if state == then:
            _wanted_time(turn)
        return state

    return answer_day


def offer_times(turn: PatientTurn, day_state: PatientState, then: PatientState) -> PatientState:
    """Offer the free times of the chosen day; a day filled meanwhile offers the days again.

    A part of the day asked for earlier ("en la tarde") shows that part's times first.
    """
    service_id = uuid.UUID(turn.data["service_id"])
    times = turn.services.free_times(service_id, date.fromisoformat(turn.data["day"]))
    if not times:
        turn.say("patient.day_full")
        return offer_days(turn, day_state)
    turn.data["times"] = _options(times)
    turn.data["times_from"] = 0
    turn.data.pop("times_shown", None)
    part = (turn.data.get("wanted") or {}).get("part")
    if part:
        _show_part(turn, part)
    return then


def ask_time(turn: PatientTurn) -> None:
    """The times on screen, and "more times" (or "all the day's times") if some are left."""
    zone = turn.services.practice.timezone
    shown, more = times_shown(turn.data)
    labels = [clock_time(datetime.fromisoformat(start), zone, turn.language) for _, start in shown]
    choices = [Choice(slot_choice(slot_id, start)) for slot_id, start in shown]
    if more:
        key = "patient.all_times" if "times_shown" in turn.data else "patient.more_times"
        labels.append(text(key, turn.language))
        choices.append(Choice(f"{MORE}:time"))
    day = day_label(turn.data["day"], turn.language)
    turn.offer("patient.times", tuple(choices), day=day, options=numbered(labels))


def answer_time(turn: PatientTurn) -> PatientState:
    """A time picked or another shown; "avísame si se libera" offers the waitlist.

    "Ninguno me sirve" with every time shown goes back to the days: another may suit,
    and there none suiting offers the waitlist.
    """
    if asks_to_wait(turn):
        return offer_waitlist(turn, turn.data["day"])
    match pick_time(turn):
        case "more":
            return S.TIME
        case "day":
            return S.DAY
        case "picked":
            return S.SUMMARY if intake_done(turn.data) else start_intake(turn)
    return not_understood(turn, S.TIME)


def pick_time(turn: PatientTurn) -> Literal["picked", "more", "day"] | None:
    """Keep the time chosen, or change what the time question shows ("more").

    A time named ("16:30", "a las 10", "a las diez y media") may be any free time of
    the day, shown or not, and is never read as an option's number; one not free
    shows the nearest free ones. "En la tarde" shows the afternoon, "lo antes
    posible" takes the first. Another day named goes back to the days ("day").
    """
    shown, more = times_shown(turn.data)
    number = _number(turn, len(shown) + int(more))
    asked_more = turn.words in MORE_WORDS or says(MORE_TIMES, turn.words)
    moment = time_of(turn.words, clock_of(turn))
    named = isinstance(moment, TimeWanted) and bool(moment.clock or moment.hour_only)
    if more and ((number == len(shown) + 1 and not named) or asked_more):
        _more_times(turn.data)
        return "more"
    if moment is AMBIGUOUS:
        turn.say("patient.which_one")
        return "more"
    if named:
        return _take_time(turn, moment)  # type: ignore[arg-type]
    if isinstance(moment, TimeWanted) and moment.earliest:
        turn.data["slot_id"], turn.data["start"] = _in_part(turn, moment.part)[0]
        return "picked"
    if number is None and _other_day(turn):
        return "day" if "day_wanted" not in turn.data else _day_again(turn)
    if isinstance(moment, TimeWanted) and moment.part and number is None:
        _show_part(turn, moment.part)
        return "more"
    if number is None:
        return None
    turn.data["slot_id"], turn.data["start"] = shown[number - 1]
    return "picked"


def ask_summary(turn: PatientTurn) -> None:
    """The answers to check; a returning patient's kept ones apart, with "4" to change them."""
    values = summary_values(turn)
    turn.offer(
        "patient.summary_kept" if values["kept"] else "patient.summary",
        positions(S.SUMMARY, 4 if values["kept"] else 3),
        service=turn.data["service"],
        when=waitlist_label(turn) or when_label(turn, turn.data["start"]),
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
    """Hold the slot; the answers are dropped from the conversation once the request exists.

    A summary of the waitlist joins it instead.
    """
    if turn.data.get("waitlist"):
        return join_waitlist(turn)
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
    except ChatBookingClosed:
        turn.data.clear()
        say_chat_closed(turn)
        return S.MENU
    except BookingError:
        turn.say("patient.try_again")
        return S.SUMMARY
    announce(turn, hold)
    turn.services.remember_patient(stored_from(turn.data))
    turn.data.clear()
    return S.MENU


def ask_nearest(turn: PatientTurn) -> None:
    nearest = turn.data["nearest"]
    labels = (when_label(turn, start) for _, start in nearest)
    choices = tuple(Choice(slot_choice(slot_id, start)) for slot_id, start in nearest)
    turn.offer("patient.nearest", choices, options=numbered(labels))


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


def slot_tapped(turn: PatientTurn, slot_id: str, start: str) -> str | None:
    """A time tapped on another day's list: still free, it is that time typed on its day.

    The day becomes the one asked about and the time is answered as if typed ("10:30"),
    through the same handler; None when the time is no longer free.
    """
    if "service_id" not in turn.data:
        return None
    try:
        local = datetime.fromisoformat(start).astimezone(ZoneInfo(turn.services.practice.timezone))
    except ValueError:
        return None
    free = turn.services.free_times(uuid.UUID(turn.data["service_id"]), local.date())
    if not any(str(slot.slot_id) == slot_id for slot in free):
        return None
    turn.data.update(day=local.date().isoformat(), times=_options(free), times_from=0)
    turn.data.pop("times_shown", None)
    return f"{local.hour}:{local.minute:02d}"


def _options(slots: list[SlotOption]) -> list[list[str]]:
    return [[str(slot.slot_id), slot.start.isoformat()] for slot in slots]


def _number(turn: PatientTurn, count: int) -> int | None:
    """An option's number written as such: a digit, or a number word that is the whole
    answer ("dos", "la tres"); "una ecografía" or "the third one" name no option."""
    lone = LONE_OPTION.fullmatch(turn.words)
    if DIGIT.search(turn.words) or (lone is not None and lone.group(2) is None):
        return choice(turn, count)
    return None


def _dated(turn: PatientTurn) -> str:
    """The message folded for reading a date: "18-12" and "18.12" are "18/12"."""
    return fold(re.sub(r"(?<=\d)[-.](?=\d{1,2}\b(?![:.]\d))", "/", turn.text))


def days_shown(data: dict[str, Any]) -> tuple[list[str], bool]:
    """The days on screen, and whether later free days come after them."""
    days = data["days"]
    shown = data.get("days_shown") or days[:DAYS_SHOWN]  # absent in older conversations
    return shown, bool(shown) and shown[-1] < days[-1]


def _next_days(data: dict[str, Any]) -> None:
    last = days_shown(data)[0][-1]
    data["days_shown"] = [day for day in data["days"] if day > last][:DAYS_SHOWN]


def _named_day(turn: PatientTurn, named: DayWanted) -> str | None:
    """The free day named, or None after showing the nearest free days instead."""
    days = _every_day(turn)
    if named.day is not None and named.day.isoformat() in days:
        return named.day.isoformat()
    if named.week is not None:
        week = [d for d in days if named.week <= date.fromisoformat(d) < named.week + WEEK]
        if week:
            turn.data["days_shown"] = week
            return None
        turn.say("patient.week_unavailable")
        around = named.week
    else:
        assert named.day is not None
        turn.say("patient.day_unavailable", day=day_label(named.day, turn.language))
        around = named.day
    turn.data["day_asked"] = around.isoformat()  # the waitlist's last day, if none suits
    nearest = sorted(days, key=lambda d: abs((date.fromisoformat(d) - around).days))
    turn.data["days_shown"] = sorted(nearest[:NEAREST_DAYS])
    return None


def _looked_at(turn: PatientTurn) -> str:
    """The waitlist's last day, joined at the days: the day asked for, else the last shown."""
    return turn.data.get("day_asked") or max(days_shown(turn.data)[0])


def times_shown(data: dict[str, Any]) -> tuple[list[list[str]], bool]:
    """The free times on screen, and whether more come after them (or the whole day)."""
    if "times_shown" in data:  # a part of the day, or the nearest to a time not free
        return data["times_shown"], len(data["times_shown"]) < len(data["times"])
    start = data.get("times_from", 0)  # absent in conversations stored before paging
    end = start + TIMES_SHOWN
    return data["times"][start:end], end < len(data["times"])


def _more_times(data: dict[str, Any]) -> None:
    if data.pop("times_shown", None) is None:
        data["times_from"] = data.get("times_from", 0) + TIMES_SHOWN
    else:
        data["times_from"] = 0


def _show_part(turn: PatientTurn, part: str) -> None:
    """Show the morning's or afternoon's times; if the part is full, say so and show all."""
    times = [t for t in turn.data["times"] if _part_of(turn, t) == part]
    if times:
        turn.data["times_shown"] = times[:TIMES_SHOWN]
        return
    part_name = text(PART_NAMES[part], turn.language)
    day = day_label(turn.data["day"], turn.language)
    turn.say("patient.no_times_in_part", part=part_name, day=day)
    turn.data.pop("times_shown", None)


def _in_part(turn: PatientTurn, part: str | None) -> list[list[str]]:
    times = turn.data["times"]
    return [t for t in times if _part_of(turn, t) == part] or times if part else times


def _part_of(turn: PatientTurn, option: list[str]) -> str:
    return "morning" if _local(turn, option)[0] < NOON else "afternoon"


def _take_time(turn: PatientTurn, moment: TimeWanted) -> Literal["picked", "more"]:
    """Keep the free time named; "a las 4" is 16:00 when 04:00 is not free, and the other
    way round. None free (or both): the nearest free times are shown instead."""
    if moment.clock is not None:
        hour, minute = moment.clock
        wanted = [(hour, minute), (hour + 12, minute)] if moment.either else [(hour, minute)]
    else:
        assert moment.hour_only is not None
        hour = moment.hour_only
        wanted = [(hour, 0), (hour + 12, 0)] if hour < 12 else [(hour, 0)]
    found = [t for t in turn.data["times"] if _local(turn, t) in wanted]
    if len(found) == 1:
        turn.data["slot_id"], turn.data["start"] = found[0]
        return "picked"
    if len(found) > 1:
        turn.say("patient.which_one")
        turn.data["times_shown"] = found
        return "more"
    # "a las 4" at a practice open 9 to 19 means 16:00: the nearest to the likelier hour.
    hour, minute = wanted[-1] if len(wanted) > 1 and not 7 <= wanted[0][0] <= 11 else wanted[0]
    target = hour * 60 + minute
    turn.say(
        "patient.time_not_free",
        time=f"{hour:02d}:{minute:02d}",
        day=day_label(turn.data["day"], turn.language),
    )
    nearest = sorted(turn.data["times"], key=lambda t: abs(_minutes(turn, t) - target))
    turn.data["times_shown"] = sorted(nearest[:NEAREST_SHOWN], key=lambda t: t[1])
    return "more"


def _other_day(turn: PatientTurn) -> bool:
    """ "otro día" or a day named at the time question: note it for `_day_again`."""
    today = turn.now.astimezone(ZoneInfo(turn.services.practice.timezone)).date()
    named = day_of(_dated(turn), today, turn.language)
    if isinstance(named, DayWanted) and named.day != date.fromisoformat(turn.data["day"]):
        turn.data["day_wanted"] = [
            named.day.isoformat() if named.day else None,
            named.week.isoformat() if named.week else None,
        ]
        return True
    return says(MORE_DAYS, turn.words)


def _day_again(turn: PatientTurn) -> Literal["more", "day"]:
    """The day named at the time question: its times, or the days near it."""
    day, week = turn.data.pop("day_wanted")
    named = DayWanted(
        day=date.fromisoformat(day) if day else None,
        week=date.fromisoformat(week) if week else None,
    )
    if "days" not in turn.data:
        return "day"
    found = _named_day(turn, named)
    if found is None:
        return "day"
    free = turn.services.free_times(uuid.UUID(turn.data["service_id"]), date.fromisoformat(found))
    if not free:
        return "day"
    turn.data.update(day=found, times=_options(free), times_from=0)
    turn.data.pop("times_shown", None)
    return "more"


def _wanted_time(turn: PatientTurn) -> None:
    """A time asked for before the day was chosen: shown first, for the patient to take.

    "a las 10" shows 10:00 (or the nearest free times), "lo antes posible" the first
    ones; nothing is picked without the patient seeing it.
    """
    wanted = turn.data.get("wanted") or {}
    if wanted.get("earliest"):
        turn.data["times_shown"] = _in_part(turn, wanted.get("part"))[:NEAREST_SHOWN]
    elif wanted.get("clock") or wanted.get("hour"):
        clock = tuple(wanted["clock"]) if wanted.get("clock") else None
        moment = TimeWanted(clock=clock, hour_only=wanted.get("hour"))  # type: ignore[arg-type]
        if _take_time(turn, moment) == "picked":
            turn.data["times_shown"] = [[turn.data.pop("slot_id"), turn.data.pop("start")]]


def _local(turn: PatientTurn, option: list[str]) -> tuple[int, int]:
    local = datetime.fromisoformat(option[1]).astimezone(ZoneInfo(turn.services.practice.timezone))
    return local.hour, local.minute


def _minutes(turn: PatientTurn, option: list[str]) -> int:
    hour, minute = _local(turn, option)
    return hour * 60 + minute


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
