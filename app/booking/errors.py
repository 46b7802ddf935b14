"""Why a booking action was refused. The conversation turns each into a sentence.

Messages carry codes and statuses only, never patient data, so they are safe to log.
"""

from __future__ import annotations

import uuid
from datetime import datetime


class BookingError(Exception):
    """Base of every refusal; `reason` is a stable key for the text catalogues."""

    reason = "booking_error"


class SlotTaken(BookingError):
    """The slot is full, or the doctor is busy at an overlapping time."""

    reason = "slot_taken"


class SlotNotBookable(BookingError):
    """The slot cannot be booked at all (blocked, past, too soon or far, service withdrawn)."""

    reason = "slot_not_bookable"

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


class OpenRequestExists(BookingError):
    """The patient already has a request waiting for the doctor's answer."""

    reason = "open_request_exists"

    def __init__(self, code: str) -> None:
        super().__init__(f"request {code} is still open")
        self.code = code


class MovePending(BookingError):
    """The appointment already has a move waiting for the doctor: one at a time."""

    reason = "move_pending"

    def __init__(self, code: str) -> None:
        super().__init__(f"move request {code} is still open")
        self.code = code


class UpcomingAppointmentExists(BookingError):
    """A practice that confirms bookings at once keeps one upcoming appointment per phone.

    Without the doctor's approval nothing else stops one number from taking every slot.
    """

    reason = "upcoming_appointment_exists"

    def __init__(self, code: str) -> None:
        super().__init__(f"appointment {code} is still ahead")
        self.code = code


class ChatBookingClosed(BookingError):
    """The practice's no-show policy takes no more bookings by chat from this phone."""

    reason = "chat_booking_closed"

    def __init__(self) -> None:
        super().__init__("the practice's no-show policy closes booking by chat for this phone")


class OfferGone(BookingError):
    """A waitlist offer was taken by someone else, lapsed or was answered already."""

    reason = "offer_gone"

    def __init__(self, offer_id: uuid.UUID) -> None:
        super().__init__(f"offer {offer_id} is no longer open")
        self.offer_id = offer_id


class NotFound(BookingError):
    """No request or reservation with that code in this practice."""

    reason = "not_found"

    def __init__(self, code: str) -> None:
        super().__init__(f"no request or reservation {code!r} here")
        self.code = code


class RequestExpired(BookingError):
    """The doctor answered after the hold's deadline; the hold is gone."""

    reason = "request_expired"

    def __init__(self, code: str, expires_at: datetime | None = None) -> None:
        super().__init__(f"request {code} expired")
        self.code = code
        self.expires_at = expires_at


class IllegalTransition(BookingError):
    """The request or reservation is not in a state that allows this action."""

    reason = "illegal_transition"

    def __init__(self, entity: str, code: str, current: str, target: str) -> None:
        super().__init__(f"{entity} {code} is {current}; it cannot become {target}")
        self.entity = entity
        self.code = code
        self.current = current
        self.target = target


class NotStarted(BookingError):
    """An appointment cannot be marked completed or missed before it starts."""

    reason = "not_started"

    def __init__(self, code: str) -> None:
        super().__init__(f"appointment {code} has not started yet")
        self.code = code


class AlreadyStarted(BookingError):
    """An appointment that has begun can no longer be cancelled or moved, only closed."""

    reason = "already_started"

    def __init__(self, code: str) -> None:
        super().__init__(f"appointment {code} has already started")
        self.code = code
