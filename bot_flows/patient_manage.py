"""What is already booked: list it, cancel it, move it, and answer a reminder about it.

The reminder's answers ("2" cancel, "3" reschedule) reuse the states of the menu's
"cancel or reschedule" path, so both behave the same.
"""

from __future__ import annotations

import uuid
from typing import Any

from app.booking.errors import (
    AlreadyStarted,
    BookingError,
    MovePending,
    SlotNotBookable,
    SlotTaken,
)
from app.booking.queries import Booking
from bot_flows.engine import Choice, option_words, positions
from bot_flows.patient_answers import (
    DIGIT,
    choice,
    clear_choice,
    not_understood,
    numbered,
    when_label,
)
from bot_flows.patient_booking import offer_days, offer_times, pick_time
from bot_flows.patient_states import PatientState, PatientTurn
from bot_flows.practice_copy import doctor_named
from bot_flows.reading import agreed, options_named
from bot_flows.texts import clock_time, text

S = PatientState
STATUS_TEXT = {"request": "patient.status.waiting", "reservation": "patient.status.confirmed"}
MOVE_STATUS = "patient.status.move_waiting"
ACTION_WORDS = option_words("action.cancel", "action.move")
# Cancelling cannot be undone: only a message that is just the answer counts.
CANCEL_WORDS = option_words(("yes", "cancel.confirm"), ("no", "cancel.keep"))
# Moving gives up the old time (or asks the doctor to): only a clear answer counts.
MOVE_WORDS = option_words(("yes", "move.confirm"), ("no", "move.keep"))
# Only "2" leads to cancelling, and that is confirmed again (`answer_cancel`).
REMINDER_WORDS = option_words("reminder.confirm", "reminder.cancel", "reminder.change")


def show_bookings(turn: PatientTurn) -> PatientState:
    bookings = [_entry(booking) for booking in turn.services.bookings()]
    if bookings:
        turn.say("patient.bookings", bookings="\n".join(_line(turn, b) for b in bookings))
    else:
        turn.say("patient.no_bookings")
    return S.MENU


def start_managing(turn: PatientTurn) -> PatientState:
    """Pick the booking to change; with only one, that one."""
    bookings = turn.services.bookings()
    if not bookings:
        turn.say("patient.no_bookings")
        return S.MENU
    entries = [_entry(booking) for booking in bookings]
    if len(entries) == 1:
        turn.data["booking"] = entries[0]
        return S.ACTION
    turn.data["bookings"] = entries
    return S.PICK


def ask_pick(turn: PatientTurn) -> None:
    entries = turn.data["bookings"]
    lines = (_line(turn, entry) for entry in entries)
    choices = tuple(Choice(f"code:{entry['code']}") for entry in entries)
    turn.offer("patient.pick_booking", choices, options=numbered(lines))


def answer_pick(turn: PatientTurn) -> PatientState:
    entries = turn.data["bookings"]
    number = choice(turn, len(entries))
    if number is None:
        return not_understood(turn, S.PICK)
    turn.data["booking"] = entries[number - 1]
    return S.ACTION


def ask_action(turn: PatientTurn) -> None:
    turn.offer("patient.action", positions(S.ACTION, 2), booking=_line(turn, turn.data["booking"]))


def answer_action(turn: PatientTurn) -> PatientState:
    match choice(turn, 2, ACTION_WORDS):
        case 1:
            return S.CANCEL
        case 2:
            return start_moving(turn)
    return not_understood(turn, S.ACTION)


def ask_cancel(turn: PatientTurn) -> None:
    """An appointment's cancellation shows the practice's policy first, as information."""
    entry = turn.data["booking"]
    when = when_label(turn, entry["start"])
    if entry["kind"] == "request":
        choices = positions(S.CANCEL, 2)
        turn.offer("patient.withdraw_confirm", choices, code=entry["code"], when=when)
        return
    policy = turn.services.practice.cancellation_policy
    if policy:
        turn.say("patient.policy", policy=policy)
    turn.offer("patient.cancel_confirm", positions(S.CANCEL, 2), code=entry["code"], when=when)


def answer_cancel(turn: PatientTurn) -> PatientState:
    answer = clear_choice(turn, 2, CANCEL_WORDS)
    if answer is None:
        return not_understood(turn, S.CANCEL)
    if answer == 2:
        turn.say("patient.kept")
        return S.MENU
    entry = turn.data["booking"]
    try:
        if entry.get("replaces"):  # a move waiting for the doctor: the appointment stays
            turn.services.cancel(entry["code"])
        elif entry["kind"] == "request":
            turn.services.withdraw()
        else:
            turn.services.cancel(entry["code"])
    except AlreadyStarted:
        turn.say("patient.already_started", code=entry["code"])
        return S.MENU
    except BookingError:
        turn.say("patient.booking_gone")
        return S.MENU
    done = "patient.withdrawn" if entry["kind"] == "request" else "patient.cancelled"
    turn.say(done, code=entry["code"])
    return S.MENU


def start_moving(turn: PatientTurn) -> PatientState:
    """A new day and time of the same service; a request waiting for the doctor cannot move.

    Nor can an appointment whose earlier move the doctor has not answered yet.
    """
    entry = turn.data["booking"]
    if entry["kind"] == "request":
        turn.say("patient.move_request", code=entry["code"])
        return S.ACTION
    if entry["service_id"] is None:
        turn.say("patient.cannot_move")
        return S.MENU
    asked = next((b for b in turn.services.bookings() if b.replaces == entry["code"]), None)
    if asked is not None:
        turn.say(
            "patient.move_pending",
            code=entry["code"],
            when=when_label(turn, asked.start.isoformat()),
        )
        return S.MENU
    turn.data.update(service_id=entry["service_id"], service=entry["service"])
    return offer_days(turn, S.MOVE_DAY)


def answer_move_time(turn: PatientTurn) -> PatientState:
    picked = pick_time(turn)
    if picked is None:
        return not_understood(turn, S.MOVE_TIME)
    if picked == "more":
        return S.MOVE_TIME
    if picked == "day":
        return S.MOVE_DAY
    return S.MOVE_CONFIRM


def ask_move_confirm(turn: PatientTurn) -> None:
    entry = turn.data["booking"]
    old, new = when_label(turn, entry["start"]), when_label(turn, turn.data["start"])
    turn.offer(
        "patient.move_confirm", positions(S.MOVE_CONFIRM, 2), code=entry["code"], old=old, new=new
    )


def answer_move_confirm(turn: PatientTurn) -> PatientState:
    """Yes moves it (or asks the doctor to); no keeps the appointment as it is."""
    answer = clear_choice(turn, 2, MOVE_WORDS)
    if answer is None:
        return not_understood(turn, S.MOVE_CONFIRM)
    if answer == 2:
        turn.say("patient.kept")
        return S.MENU
    code = turn.data["booking"]["code"]
    try:
        asked = turn.services.reschedule(code, uuid.UUID(turn.data["slot_id"]))
    except (SlotTaken, SlotNotBookable):
        turn.say("patient.slot_taken")
        return offer_times(turn, S.MOVE_DAY, S.MOVE_TIME)
    except MovePending:
        turn.say("patient.move_pending_now", code=code)
        return S.MENU
    except AlreadyStarted:
        turn.say("patient.already_started", code=code)
        return S.MENU
    except BookingError:
        turn.say("patient.cannot_move")
        return S.MENU
    when = when_label(turn, turn.data["start"])
    if asked is None:
        turn.say("patient.moved", code=code, when=when)
    else:
        practice = turn.services.practice
        deadline = clock_time(asked.expires_at, practice.timezone, turn.language)
        turn.say(
            "patient.move_asked", code=code, when=when, deadline=deadline, **doctor_named(turn)
        )
    return S.MENU


def ask_reminder(turn: PatientTurn) -> None:
    turn.offer("patient.reminder", positions(S.REMINDER, 3), code=turn.data["code"])


def answer_reminder(turn: PatientTurn) -> PatientState:
    """An option, or the patient's words: "ahí estaré" or "👍" confirms, "cancelo la cita" cancels.

    "No voy a poder ir" is asked about: cancel, or move to another day?
    """
    if DIGIT.search(turn.words):
        answer = choice(turn, 3, REMINDER_WORDS)
    elif agreed(turn.text):
        answer = 1
    else:
        answer = options_named(turn.words, REMINDER_WORDS, agreeing=1)
    if answer is None:
        return not_understood(turn, S.REMINDER)
    code = turn.data["code"]
    if answer == 1:
        return _confirm_attendance(turn, code)
    entry = _find(turn, code)
    if entry is None:
        turn.say("patient.booking_gone")
        return S.MENU
    turn.data["booking"] = entry
    return S.CANCEL if answer == 2 else start_moving(turn)


def _confirm_attendance(turn: PatientTurn, code: str) -> PatientState:
    try:
        turn.services.confirm_attendance(code)
    except BookingError:
        turn.say("patient.booking_gone")
        return S.MENU
    turn.say("patient.attendance_thanks")
    return S.MENU


def _find(turn: PatientTurn, code: str) -> dict[str, Any] | None:
    for booking in turn.services.bookings():
        if booking.code == code:
            return _entry(booking)
    return None


def _entry(booking: Booking) -> dict[str, Any]:
    """A booking as the conversation keeps it (JSON: ids and instants as text)."""
    return {
        "code": booking.code,
        "kind": booking.kind,
        "start": booking.start.isoformat(),
        "service": booking.service,
        "service_id": str(booking.service_id) if booking.service_id else None,
        "replaces": booking.replaces,
    }


def _line(turn: PatientTurn, entry: dict[str, Any]) -> str:
    return text(
        "patient.booking_line",
        turn.language,
        code=entry["code"],
        service=entry["service"],
        when=when_label(turn, entry["start"]),
        status=_status(turn, entry),
    )


def _status(turn: PatientTurn, entry: dict[str, Any]) -> str:
    if entry.get("replaces"):
        return text(MOVE_STATUS, turn.language, code=entry["replaces"])
    return text(STATUS_TEXT[entry["kind"]], turn.language)
