"""Every hold ends: overdue requests expire, their places come back, patients are told.

`expire_request` serves the job scheduled at a request's deadline; the sweep
`expire_overdue_holds` is the safety net for everything a dead worker, a lost job
or a stopped Redis left behind. Both are idempotent and safe to run concurrently:
rows are claimed with `FOR UPDATE SKIP LOCKED`, so two sweeps never wait on or
double-process the same request.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app import metrics
from app.booking import capacity
from app.booking.context import BookingContext, OfferOtherTimes, listed_only
from app.booking.notifications import (
    REQUEST_COLUMNS,
    Render,
    load_notification_contexts,
    queue_notifications,
)
from app.db import among
from app.models import Practice, RequestStatus, ReservationRequest
from app.scheduling import search
from app.scheduling.search import FreeSlot

SWEEP_BATCH = 2000
NEAREST = 3  # free times offered to a patient whose hold lapsed or was rejected


def expire_request(ctx: BookingContext, request_id: uuid.UUID) -> bool:
    """Expire one request if it is still pending and overdue; True if this call did it."""
    now = ctx.clock()
    with ctx.sessions.begin() as session:
        request = session.scalar(
            _overdue(now)
            .where(ReservationRequest.id == request_id)
            .with_for_update(skip_locked=True)
        )
        if request is None:
            return False
        expire_locked(session, [request], now, ctx.render, ctx.offer_other_times)
        return True


def expire_overdue_holds(ctx: BookingContext, batch_size: int = SWEEP_BATCH) -> int:
    """Expire every overdue hold, a batch per transaction; returns how many it expired."""
    now = ctx.clock()
    total = 0
    while True:
        with ctx.sessions.begin() as session:
            # Claimed and marked expired in one statement: no list of ids goes back,
            # and only the columns the notifications need come back (rows, not objects).
            claimed = (
                select(ReservationRequest.id)
                .where(*_overdue_clauses(now))
                .order_by(ReservationRequest.expires_at)
                .limit(batch_size)
                .with_for_update(skip_locked=True)
            )
            requests = session.execute(
                update(ReservationRequest)
                .where(ReservationRequest.id.in_(claimed))
                .values(status=RequestStatus.EXPIRED, updated_at=now)
                .returning(*REQUEST_COLUMNS)
                .execution_options(synchronize_session=False)
            ).all()
            if not requests:
                return total
            _give_back_and_tell(session, requests, now, ctx.render)
        total += len(requests)


def expire_locked(
    session: Session,
    requests: Sequence[ReservationRequest],
    now: datetime,
    render: Render,
    offer: OfferOtherTimes = listed_only,
) -> None:
    """Expire `requests` (already locked by the caller), set-based, and queue the notifications.

    Each patient is offered the free times nearest the one that lapsed (`offer`: what
    else is done with them, in this transaction).
    """
    ids = [request.id for request in requests]
    session.execute(
        update(ReservationRequest)
        .where(among(session, ReservationRequest.id, ids))
        .values(status=RequestStatus.EXPIRED, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    for request in requests:
        # Keep the caller's objects true to the database without writing them again.
        set_committed_value(request, "status", RequestStatus.EXPIRED)
        set_committed_value(request, "updated_at", now)
    _give_back_and_tell(session, requests, now, render, offer)


def _give_back_and_tell(
    session: Session,
    requests: Sequence[ReservationRequest | Row[Any]],
    now: datetime,
    render: Render,
    offer: OfferOtherTimes | None = None,
) -> None:
    """For requests just expired: their places come back, their patients are told.

    The sweep passes rows of `REQUEST_COLUMNS`, `expire_locked` the objects it locked.
    With `offer` (a hold expiring at its own deadline, one at a time) the notification
    offers the free times nearest the one that lapsed; the sweep, which may catch up on
    thousands at once, says to write *menu* instead.
    """
    slot_ids = [request.slot_id for request in requests]
    # One statement locks the slots (in id order) and reads the starts the notifications tell.
    slots = capacity.lock_starts(session, slot_ids)
    capacity.release(session, slot_ids, refresh=True, locked=True)
    contexts = load_notification_contexts(session, requests, slots)
    notifications = []
    for request in requests:
        about = contexts[request.id]
        facts = about.facts(request)
        key = f"request:{request.id}:expired"
        if request.replaces_reservation_id is not None:
            # A move that lapsed: the appointment it would have replaced stands.
            notifications.append(
                about.to_patient("patient_move_expired", request.patient_phone, key, facts)
            )
            continue
        if offer is not None:
            times = other_times(session, about.practice, request, about.slot.start_time, now)
            facts |= offered(session, request, times, now, offer)
        notifications.append(about.to_patient("patient_expired", request.patient_phone, key, facts))
    queue_notifications(session, notifications, render, now)
    metrics.hold_event(session, "expired", len(requests))


def other_times(
    session: Session,
    practice: Practice,
    request: ReservationRequest | Row[Any],
    start: datetime,
    now: datetime,
    declined: bool = False,
) -> list[FreeSlot]:
    """The free times of the request's service nearest `start`: first the lapsed time
    itself, free again, unless the doctor `declined` it."""
    nearest = search.nearest_free(session, practice, request.service_id, start, now, NEAREST + 1)
    kept = [slot for slot in nearest if not (declined and slot.slot_id == request.slot_id)]
    return kept[:NEAREST]


def offered(
    session: Session,
    request: ReservationRequest | Row[Any],
    times: Sequence[FreeSlot],
    now: datetime,
    offer: OfferOtherTimes,
) -> dict[str, Any]:
    """The facts a notice lists other times with: numbered when the patient can pick by number."""
    numbered = bool(times) and offer(session, request, times, now)
    return {"alternatives": [slot.start.isoformat() for slot in times], "rebook": numbered}


def _overdue(now: datetime):
    return select(ReservationRequest).where(*_overdue_clauses(now))


def _overdue_clauses(now: datetime) -> tuple[ColumnElement[bool], ...]:
    return (
        ReservationRequest.status == RequestStatus.PENDING,
        ReservationRequest.expires_at <= now,
    )
