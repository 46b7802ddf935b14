"""What the patient's messages say of the practice: the doctor, named with the right
grammar, and what a confirmation adds (address, price, cancellation policy).
"""

from __future__ import annotations

from decimal import Decimal

from app.booking.requests import Hold
from bot_flows.patient_answers import when_label
from bot_flows.patient_states import PatientTurn
from bot_flows.texts import appointment_details, clock_time, doctor_values, money, text


def doctor_named(turn: PatientTurn) -> dict[str, str]:
    """The placeholders naming the doctor ("de la Dra. Ana López"...) in the chat's language."""
    practice = turn.services.practice
    return doctor_values(
        practice.name, practice.doctor_title, practice.doctor_gender, turn.language
    )


def booking_details(turn: PatientTurn, calendar_link: str | None = None) -> str:
    """The address, the chosen service's price (when the practice shows prices), the
    cancellation policy and the "add to calendar" link, each on its own line and only
    when set."""
    practice = turn.services.practice
    shown = None
    if practice.show_prices and practice.currency:
        price = _price(turn)
        shown = money(price, practice.currency, turn.language) if price is not None else None
    return appointment_details(
        turn.language, practice.address, shown, practice.cancellation_policy, calendar_link
    )


def _price(turn: PatientTurn) -> Decimal | None:
    chosen = turn.data.get("service_id")
    kept = turn.data.get("prices") or {}  # `patient_booking.start_booking` keeps them
    if chosen in kept:
        return Decimal(kept[chosen])
    offered = turn.services.services()
    return next((service.price for service in offered if str(service.id) == chosen), None)


def announce(turn: PatientTurn, hold: Hold) -> None:
    """The time held at `turn.data["start"]`: booked, or asked of the doctor until a deadline.

    A patient the no-show policy asks to reconfirm hears so, with the booking.
    """
    when = when_label(turn, turn.data["start"])
    link = turn.services.calendar_link(hold) if hold.confirmed else None
    details = booking_details(turn, link)
    if hold.reconfirm:
        details += "\n" + text("patient.must_reconfirm", turn.language)
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


def say_chat_closed(turn: PatientTurn) -> None:
    """Told kindly, with a way to book: the practice's phone, or a person in this chat."""
    phone = turn.services.practice.phone
    if phone:
        turn.say("patient.chat_closed", phone=phone, **doctor_named(turn))
    else:
        turn.say("patient.chat_closed_no_phone", **doctor_named(turn))
