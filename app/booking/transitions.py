"""The legal moves of requests and reservations, and what a slot's status must be."""

from __future__ import annotations

from app.booking.errors import IllegalTransition
from app.models.booking import RequestStatus as R
from app.models.booking import ReservationStatus as V
from app.models.slots import SlotStatus

REQUEST_TRANSITIONS: dict[str, frozenset[str]] = {
    R.PENDING: frozenset({R.APPROVED, R.REJECTED, R.EXPIRED, R.CANCELLED}),
    R.APPROVED: frozenset(),
    R.REJECTED: frozenset(),
    R.EXPIRED: frozenset(),
    R.CANCELLED: frozenset(),
}

RESERVATION_TRANSITIONS: dict[str, frozenset[str]] = {
    V.CONFIRMED: frozenset({V.CANCELLED, V.COMPLETED, V.NO_SHOW}),
    V.CANCELLED: frozenset(),
    V.COMPLETED: frozenset(),
    V.NO_SHOW: frozenset(),
}

TABLES = {"request": REQUEST_TRANSITIONS, "reservation": RESERVATION_TRANSITIONS}


def check_transition(entity: str, code: str, current: str, target: str) -> None:
    """Raise `IllegalTransition` unless `current -> target` is in the entity's table."""
    if target not in TABLES[entity][current]:
        raise IllegalTransition(entity, code, current, target)


def slot_status(current: str, taken: int, capacity: int, has_pending: bool) -> str:
    """What a slot's status must be after its capacity or requests changed.

    Blocked and expired slots stay so; otherwise a slot with room is available, and
    a full one waits for the doctor while any of its requests is pending.
    """
    if current in (SlotStatus.BLOCKED, SlotStatus.EXPIRED):
        return current
    if taken < capacity:
        return SlotStatus.AVAILABLE
    return SlotStatus.PENDING_APPROVAL if has_pending else SlotStatus.RESERVED
