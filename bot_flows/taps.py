"""A tap on a list or a button: the answer it stands for in the question asked now.

WhatsApp sends back the id of the option tapped (`engine.Choice.id`), from
whichever list it was: an old one too. Where that option is on the question asked
now, the tap is its number typed, so taps and typed answers end in the same
handlers. A free time from another day's list is its time typed on that day
(`patient_booking.slot_tapped`); an option of another question is never guessed at.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from bot_flows.patient_booking import MORE, days_shown, times_shown
from bot_flows.patient_states import PatientState

S = PatientState
DAY_STATES = frozenset({S.DAY, S.MOVE_DAY})
TIME_STATES = frozenset({S.TIME, S.MOVE_TIME})


def typed_answer(state: str, data: Mapping[str, Any], choice: str) -> str | None:
    """What the patient would have typed for `choice` in `state`, or None: not on this question."""
    kind, _, value = choice.partition(":")
    if kind == state and value.isdigit():
        return value  # "menu:1", "booking_summary:3": a fixed question's option
    if kind == MORE:
        return _more(state, data, value)
    if kind == "service" and state == S.SERVICE:
        return _position(value, [service[0] for service in data.get("services", [])])
    if kind == "day" and state in DAY_STATES:
        return _day(value, data)
    if kind == "slot":
        return _position(value, [":".join(slot) for slot in _slots_shown(state, data)])
    if kind == "code" and state == S.PICK:
        return _position(value, [entry["code"] for entry in data.get("bookings", [])])
    return None


def tapped_slot(choice: str) -> tuple[str, str] | None:
    """The slot id and start of a time's choice id, or None for any other choice."""
    kind, _, value = choice.partition(":")
    slot_id, _, start = value.partition(":")
    return (slot_id, start) if kind == "slot" and slot_id and start else None


def _more(state: str, data: Mapping[str, Any], what: str) -> str | None:
    if what == "day" and state in DAY_STATES:
        shown, more = days_shown(data)
    elif what == "time" and state in TIME_STATES:
        shown, more = times_shown(data)
    else:
        return None
    return str(len(shown) + 1) if more else None


def _day(value: str, data: Mapping[str, Any]) -> str | None:
    shown, _ = days_shown(data)
    if value in shown:
        return str(shown.index(value) + 1)
    if value in data.get("days", []):
        day = date.fromisoformat(value)
        return f"{day.day}/{day.month}/{day.year}"  # a day of the window not on this page
    return None


def _slots_shown(state: str, data: Mapping[str, Any]) -> list[list[str]]:
    if state in TIME_STATES and "times" in data:
        return times_shown(data)[0]
    if state == S.TAKEN:
        return list(data.get("nearest", []))
    if state == S.REBOOK:
        return list(data.get("options", []))
    return []


def _position(value: str, options: list[str]) -> str | None:
    return str(options.index(value) + 1) if value in options else None
