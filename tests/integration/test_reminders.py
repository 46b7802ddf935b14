"""Reminders go out once, at their absolute instant, and never for a changed appointment."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.booking.appointments import cancel_reservation, reschedule_reservation
from app.booking.context import BookingContext
from app.booking.reminder_sending import (
    REMINDER_GRACE,
    ReminderOutcome,
    send_due_reminders,
    send_reminder,
)
from app.booking.requests import hold_slot
from app.models import Conversation, MedicalService, MessageLog, Practice, Reservation
from bot_flows.patient_states import PatientState
from tests.conftest import FrozenClock
from tests.factories import context, intake, make_practice, make_service, make_slot

PHONE = "+56911112222"


@dataclass
class Booked:
    profile: Practice
    reservation_id: uuid.UUID
    code: str
    start: datetime


def book(
    sessions: sessionmaker[Session],
    clock: FrozenClock,
    start: datetime,
    timezone: str = "America/Mexico_City",
    phone: str = PHONE,
) -> Booked:
    """A confirmed appointment at `start`, booked at the clock's time."""
    with sessions.begin() as session:
        profile = make_practice(session, appointment_approval_required=False, timezone=timezone)
        service = make_service(session, profile, name="Consulta general")
        slot = make_slot(session, service, start)
    hold = hold_slot(
        context(sessions, clock), profile_id=profile.id, slot_id=slot.id, intake=intake(phone)
    )
    assert hold.reservation_id is not None
    return Booked(profile, hold.reservation_id, hold.code, start)


def reminders(session: Session, kind: str | None = None) -> list[MessageLog]:
    query = select(MessageLog).where(MessageLog.purpose.like("reminder_%"))
    if kind:
        query = query.where(MessageLog.purpose == f"reminder_{kind}")
    return list(session.scalars(query.order_by(MessageLog.created_at)))


def reservation(session: Session, booked: Booked) -> Reservation:
    return session.get_one(Reservation, booked.reservation_id)


@pytest.fixture
def ctx(sessions: sessionmaker[Session], clock: FrozenClock) -> BookingContext:
    return context(sessions, clock)


@pytest.fixture
def booked(sessions: sessionmaker[Session], clock: FrozenClock) -> Booked:
    return book(sessions, clock, clock.now + timedelta(days=3))


def test_the_job_sends_at_the_instant_once_and_the_patient_can_answer(
    sessions: sessionmaker[Session], ctx: BookingContext, clock: FrozenClock, booked: Booked
) -> None:
    due = booked.start - timedelta(hours=24)
    clock.now = due - timedelta(minutes=1)
    assert send_reminder(ctx, booked.reservation_id, "24h", booked.start) == ReminderOutcome.NOT_DUE
    clock.now = due
    assert send_reminder(ctx, booked.reservation_id, "24h", booked.start) == ReminderOutcome.SENT
    assert send_reminder(ctx, booked.reservation_id, "24h", booked.start) == ReminderOutcome.STALE
    with sessions() as session:
        [message] = reminders(session)
        assert message.status == "queued" and message.phone == PHONE
        assert "Código: " + booked.code in message.body
        assert "Responde 1 para confirmar, 2 para cancelar, 3 para cambiar la hora" in message.body
        assert "Consulta general" in message.body and "Dra. Prueba" in message.body
        row = reservation(session, booked)
        assert row.reminder_24h_sent and not row.reminder_2h_sent


def test_the_reminder_shows_the_local_time_in_the_patients_language(
    sessions: sessionmaker[Session], ctx: BookingContext, clock: FrozenClock
) -> None:
    start = datetime(2026, 12, 4, 16, 30, tzinfo=UTC)  # 10:30 in Mexico City
    booked = book(sessions, clock, start)
    clock.now = start - timedelta(hours=2)
    send_reminder(ctx, booked.reservation_id, "2h", start)
    with sessions() as session:
        [message] = reminders(session, "2h")
    assert "viernes 4 de diciembre, 10:30" in message.body
    assert message.body.startswith("⏰ Tu cita es en 2 horas")


def test_a_moved_appointment_is_reminded_of_its_new_time_only(
    sessions: sessionmaker[Session], ctx: BookingContext, clock: FrozenClock, booked: Booked
) -> None:
    later = booked.start + timedelta(days=1)
    with sessions.begin() as session:
        service_id = reservation(session, booked).service_id
        new_slot = make_slot(session, session.get_one(MedicalService, service_id), later)
    reschedule_reservation(
        ctx, profile_id=booked.profile.id, code=booked.code, patient_phone=PHONE,
        new_slot_id=new_slot.id,
    )  # fmt: skip
    clock.now = booked.start - timedelta(hours=24)
    assert send_reminder(ctx, booked.reservation_id, "24h", booked.start) == ReminderOutcome.STALE
    assert send_due_reminders(ctx).sent == 0
    clock.now = later - timedelta(hours=24)
    assert send_reminder(ctx, booked.reservation_id, "24h", later) == ReminderOutcome.SENT
    with sessions() as session:
        [message] = reminders(session)
        assert later.isoformat() in (message.dedupe_key or "")


def test_a_cancelled_appointment_gets_no_reminder(
    sessions: sessionmaker[Session], ctx: BookingContext, clock: FrozenClock, booked: Booked
) -> None:
    cancel_reservation(ctx, profile_id=booked.profile.id, code=booked.code, patient_phone=PHONE)
    clock.now = booked.start - timedelta(hours=2)
    assert send_reminder(ctx, booked.reservation_id, "24h", booked.start) == ReminderOutcome.STALE
    assert send_reminder(ctx, booked.reservation_id, "2h", booked.start) == ReminderOutcome.STALE
    assert send_due_reminders(ctx).sent == 0
    with sessions() as session:
        assert reminders(session) == []


@pytest.mark.parametrize("kind", ["24h", "2h"])
def test_a_reminder_long_past_is_skipped_not_sent_late(
    sessions: sessionmaker[Session], ctx: BookingContext, clock: FrozenClock, kind: str
) -> None:
    start = clock.now + timedelta(days=3)
    on_time, too_late = book(sessions, clock, start), book(sessions, clock, start)
    clock.now = start - timedelta(hours=int(kind.removesuffix("h"))) + REMINDER_GRACE[kind]
    assert send_reminder(ctx, on_time.reservation_id, kind, start) == ReminderOutcome.SENT
    clock.advance(minutes=1)
    assert send_reminder(ctx, too_late.reservation_id, kind, start) == ReminderOutcome.LATE
    with sessions() as session:
        row = reservation(session, too_late)
        assert not getattr(row, f"reminder_{kind}_scheduled")
        assert not getattr(row, f"reminder_{kind}_sent")
        assert len(reminders(session, kind)) == 1
    assert send_reminder(ctx, too_late.reservation_id, kind, start) == ReminderOutcome.STALE


def test_the_sweep_catches_up_once_and_skips_what_is_too_late(
    sessions: sessionmaker[Session], ctx: BookingContext, clock: FrozenClock
) -> None:
    booked = [book(sessions, clock, clock.now + timedelta(days=3, hours=h)) for h in range(3)]
    # The jobs were lost; the tick runs 23 hours before the first appointment, so each
    # 24 h reminder is 1 to -1 hours late: the first two still go, the third is not due.
    clock.now = booked[0].start - timedelta(hours=23)
    result = send_due_reminders(ctx)
    assert (result.sent, result.late) == (2, 0)
    assert send_due_reminders(ctx).sent == 0
    # Seven hours later, the third's 24 h reminder (6 h late) still goes; then, a
    # day later, every 2 h reminder is long past.
    clock.advance(hours=7)
    assert send_due_reminders(ctx).sent == 1
    clock.now = booked[2].start
    result = send_due_reminders(ctx)
    assert (result.sent, result.late) == (0, 3)
    with sessions() as session:
        assert len(reminders(session, "24h")) == 3 and reminders(session, "2h") == []
        rows = [reservation(session, b) for b in booked]
        assert not any(row.reminder_2h_scheduled for row in rows)


def add_conversation(
    sessions: sessionmaker[Session], booked: Booked, state: str, last_activity: datetime
) -> uuid.UUID:
    with sessions.begin() as session:
        conversation = Conversation(
            profile_id=booked.profile.id,
            phone=PHONE,
            state=state,
            data={"service_id": "x"} if state != "menu" else {},
            created_at=last_activity,
            updated_at=last_activity,
        )
        session.add(conversation)
        session.flush()
        return conversation.id


@pytest.mark.parametrize(
    ("state", "idle_for", "answers_reminder"),
    [
        (PatientState.MENU, timedelta(minutes=5), True),
        (PatientState.NEW, timedelta(minutes=5), True),
        (PatientState.REMINDER, timedelta(hours=2), True),
        (PatientState.TIME, timedelta(minutes=5), False),  # choosing a time right now
        (PatientState.SYMPTOMS, timedelta(hours=25), True),  # gave up on a booking
        (PatientState.HANDOFF, timedelta(hours=1), False),  # talking to the practice
    ],
)
def test_the_conversation_awaits_the_answer_only_if_the_patient_is_not_busy(
    sessions: sessionmaker[Session],
    ctx: BookingContext,
    clock: FrozenClock,
    booked: Booked,
    state: str,
    idle_for: timedelta,
    answers_reminder: bool,
) -> None:
    clock.now = booked.start - timedelta(hours=2)
    conversation_id = add_conversation(sessions, booked, state, clock.now - idle_for)
    assert send_due_reminders(ctx).sent == 1
    with sessions() as session:
        conversation = session.get_one(Conversation, conversation_id)
        if answers_reminder:
            assert conversation.state == PatientState.REMINDER
            assert conversation.data == {"code": booked.code}
        else:
            assert conversation.state == state and conversation.data == {"service_id": "x"}
        assert conversation.updated_at == clock.now - idle_for  # the patient's, not ours


def test_a_conversation_being_answered_right_now_is_left_alone(
    sessions: sessionmaker[Session], ctx: BookingContext, clock: FrozenClock, booked: Booked
) -> None:
    clock.now = booked.start - timedelta(hours=2)
    conversation_id = add_conversation(sessions, booked, PatientState.MENU, clock.now)
    with sessions.begin() as inbox:
        # The inbox holds the row while it processes the patient's message.
        inbox.get_one(Conversation, conversation_id, with_for_update=True)
        assert send_reminder(ctx, booked.reservation_id, "2h", booked.start) == ReminderOutcome.SENT
    with sessions() as session:
        assert session.get_one(Conversation, conversation_id).state == PatientState.MENU


def test_a_reminder_takes_over_only_conversations_at_rest() -> None:
    from app.conversation import reminders
    from bot_flows.patient_states import AT_REST

    assert set(reminders.IDLE_STATES) <= AT_REST


SANTIAGO = ZoneInfo("America/Santiago")


@pytest.mark.parametrize(
    ("local_start", "local_24h_before"),
    [
        # Clocks go back at midnight on 4-5 April 2026: 24 hours before 10:00 is 11:00.
        (datetime(2026, 4, 5, 10, 0), datetime(2026, 4, 4, 11, 0)),
        # Clocks go forward at midnight on 5-6 September 2026: it is 09:00.
        (datetime(2026, 9, 6, 10, 0), datetime(2026, 9, 5, 9, 0)),
    ],
    ids=["autumn", "spring"],
)
def test_reminders_fire_once_at_the_right_instant_across_a_daylight_saving_change(
    sessions: sessionmaker[Session],
    ctx: BookingContext,
    clock: FrozenClock,
    local_start: datetime,
    local_24h_before: datetime,
) -> None:
    start = local_start.replace(tzinfo=SANTIAGO).astimezone(UTC)
    clock.now = start - timedelta(days=3)
    book(sessions, clock, start, timezone="America/Santiago")
    expected = [start - timedelta(hours=24), start - timedelta(hours=2)]
    change = start.astimezone(SANTIAGO).replace(hour=0, tzinfo=SANTIAGO).astimezone(UTC)
    fired: list[datetime] = []
    clock.now = start - timedelta(hours=25)
    while clock.now <= start - timedelta(hours=1):
        if send_due_reminders(ctx).sent:
            fired.append(clock.now)
        # Minute steps within an hour of each expected instant and of the change; ten
        # elsewhere, where any reminder fired would show up at a wrong time anyway.
        near = min(abs(clock.now - moment) for moment in [*expected, change])
        clock.advance(minutes=1 if near <= timedelta(hours=1) else 10)
    assert fired == expected
    assert fired[0].astimezone(SANTIAGO).replace(tzinfo=None) == local_24h_before
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(MessageLog)) == 3  # + doctor's
        [day_before] = reminders(session, "24h")
        assert "10:00" in day_before.body
