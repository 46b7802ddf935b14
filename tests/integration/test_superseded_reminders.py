"""A reminder already in the outbox never goes out once its appointment is cancelled or moved."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from app.booking.appointments import cancel_reservation, reschedule_reservation
from app.booking.context import BookingContext
from app.booking.reminder_sending import ReminderOutcome, send_reminder
from app.booking.requests import approve_request, hold_slot
from app.config import Config
from app.messaging import delivery
from app.messaging.delivery import DeliveryContext, build_delivery_context
from app.models import MedicalService, MessageLog, MessageStatus, Practice, TimeSlot
from bot_flows.texts import template_value
from tests.conftest import FrozenClock
from tests.factories import context, intake, make_practice, make_service, make_slot

PHONE = "+525599990001"


@dataclass
class Booked:
    profile: Practice
    slot: TimeSlot
    reservation_id: uuid.UUID
    code: str


@pytest.fixture
def ctx(sessions: sessionmaker[Session], clock: FrozenClock) -> BookingContext:
    return context(sessions, clock)


@pytest.fixture
def console(sessions: sessionmaker[Session], clock: FrozenClock) -> DeliveryContext:
    return build_delivery_context(
        Config(messaging_backend="console"), sessions, clock, template_value=template_value
    )


def book(
    ctx: BookingContext, sessions: sessionmaker[Session], starts: list[datetime]
) -> list[Booked]:
    """Confirmed appointments for PHONE at `starts`, at one practice that approves each."""
    with sessions.begin() as session:
        profile = make_practice(session)
        service = make_service(session, profile)
        slots = [make_slot(session, service, start) for start in starts]
    booked = []
    for slot in slots:
        hold = hold_slot(ctx, profile_id=profile.id, slot_id=slot.id, intake=intake(PHONE))
        reservation = approve_request(ctx, profile_id=profile.id, code=hold.code)
        booked.append(Booked(profile, slot, reservation.id, hold.code))
    return booked


def queue_reminder(ctx: BookingContext, clock: FrozenClock, booked: Booked, kind: str) -> None:
    clock.now = booked.slot.start_time - timedelta(hours=int(kind.removesuffix("h")))
    assert (
        send_reminder(ctx, booked.reservation_id, kind, booked.slot.start_time)
        == ReminderOutcome.SENT
    )


def reminders(sessions: sessionmaker[Session]) -> list[tuple[str, str, str | None]]:
    """(purpose, status, error_code) of each reminder in the outbox, oldest first."""
    with sessions() as session:
        rows = session.execute(
            select(MessageLog.purpose, MessageLog.status, MessageLog.error_code)
            .where(MessageLog.purpose.like("reminder_%"))
            .order_by(MessageLog.created_at)
        )
        return [tuple(row) for row in rows]


def bodies(sessions: sessionmaker[Session], reminder: bool = True) -> list[str]:
    """The bodies of the reminders in the outbox (or of every other message)."""
    is_reminder = MessageLog.purpose.like("reminder_%")
    wanted = is_reminder if reminder else ~is_reminder
    with sessions() as session:
        return list(session.scalars(select(MessageLog.body).where(wanted)))


@pytest.mark.parametrize("by", ["patient", "doctor"])
def test_a_queued_reminder_of_a_cancelled_appointment_is_never_sent(
    sessions: sessionmaker[Session],
    clock: FrozenClock,
    ctx: BookingContext,
    console: DeliveryContext,
    capsys: pytest.CaptureFixture[str],
    by: str,
) -> None:
    [booked] = book(ctx, sessions, [clock.now + timedelta(days=3)])
    queue_reminder(ctx, clock, booked, "24h")
    assert reminders(sessions) == [("reminder_24h", "queued", None)]
    cancel_reservation(
        ctx,
        profile_id=booked.profile.id,
        code=booked.code,
        patient_phone=PHONE if by == "patient" else None,
    )
    assert reminders(sessions) == [("reminder_24h", "failed", "superseded")]

    notifications = bodies(sessions, reminder=False)  # the booking's: new, approved, cancelled
    assert delivery.deliver_due(console) == len(notifications) == 3
    printed = capsys.readouterr().out
    assert all(notification in printed for notification in notifications)
    [reminder] = bodies(sessions)
    assert reminder not in printed
    assert reminders(sessions) == [("reminder_24h", "failed", "superseded")]


def test_a_queued_reminder_of_the_old_time_is_not_sent_after_a_move(
    sessions: sessionmaker[Session],
    clock: FrozenClock,
    ctx: BookingContext,
    console: DeliveryContext,
    capsys: pytest.CaptureFixture[str],
) -> None:
    start = clock.now + timedelta(days=3)
    [booked] = book(ctx, sessions, [start])
    with sessions.begin() as session:
        service = session.get_one(MedicalService, booked.slot.service_id)
        later = make_slot(session, service, start + timedelta(days=1))
    queue_reminder(ctx, clock, booked, "2h")
    reschedule_reservation(
        ctx, profile_id=booked.profile.id, code=booked.code, patient_phone=PHONE,
        new_slot_id=later.id,
    )  # fmt: skip
    assert reminders(sessions) == [("reminder_2h", "failed", "superseded")]
    [old_body] = bodies(sessions)
    delivery.deliver_due(console)
    assert old_body not in capsys.readouterr().out

    # The new time is reminded of as usual, and that reminder goes out.
    clock.now = later.start_time - timedelta(hours=2)
    assert send_reminder(ctx, booked.reservation_id, "2h", later.start_time) == ReminderOutcome.SENT
    assert delivery.deliver_due(console) == 1
    assert reminders(sessions) == [
        ("reminder_2h", "failed", "superseded"),
        ("reminder_2h", "sent", None),
    ]


def test_only_that_appointments_waiting_reminders_are_superseded(
    sessions: sessionmaker[Session], clock: FrozenClock, ctx: BookingContext
) -> None:
    """Another appointment of the same patient keeps its reminder; one in flight is left be."""
    start = clock.now + timedelta(days=3)
    cancelled, kept = book(ctx, sessions, [start, start + timedelta(hours=1)])
    queue_reminder(ctx, clock, cancelled, "24h")
    queue_reminder(ctx, clock, kept, "24h")
    queue_reminder(ctx, clock, cancelled, "2h")
    with sessions.begin() as session:
        # A delivery worker has claimed the 2 h reminder: it may already be at WhatsApp.
        session.execute(
            update(MessageLog)
            .where(MessageLog.purpose == "reminder_2h")
            .values(status=MessageStatus.SENDING, attempts=1)
        )
    cancel_reservation(ctx, profile_id=cancelled.profile.id, code=cancelled.code)
    assert reminders(sessions) == [
        ("reminder_24h", "failed", "superseded"),
        ("reminder_24h", "queued", None),
        ("reminder_2h", "sending", None),
    ]
