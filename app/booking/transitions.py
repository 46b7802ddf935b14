"""The legal moves of requests and reservations."""

from __future__ import annotations

from app.booking.errors import IllegalTransition
from app.models.booking import RequestStatus as R
from app.models.booking import ReservationStatus as V

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
