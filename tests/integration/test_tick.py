"""`flask --app app jobs tick`: every periodic duty, once, through the real command.

The command runs in-process (Flask's CLI runner) with a frozen clock installed
as the app's runtime, against the test database; messages go to the console.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from app import create_app
from app.background import jobs
from app.background.runtime import build_runtime, set_runtime
from app.booking.requests import hold_slot
from app.config import Config
from app.messaging.settings import MessagingSettings
from app.models import (
    AvailabilityRule,
    MessageLog,
    MessageStatus,
    Practice,
    RequestStatus,
    Reservation,
    ReservationRequest,
    SlotStatus,
    TimeSlot,
)
from bot_flows.texts import template_value
from tests.conftest import FrozenClock
from tests.factories import context, intake, make_practice, make_service, make_slot


@dataclass
class Overdue:
    """What a tick at `now` owes: one hold to expire, one reminder, one past slot, stuck mail."""

    now: datetime
    request_id: uuid.UUID
    patient: str
    reservation_id: uuid.UUID
    past_slot_id: uuid.UUID
    lost_message_id: uuid.UUID
    stuck_message_id: uuid.UUID


@pytest.fixture
def config(database_url: str) -> Config:
    """Messages on the console, at a rate that does not pace a backlog of hundreds."""
    return Config(
        database_url=database_url,
        messaging_backend="console",
        environment="testing",
        whatsapp_rate_per_second=100_000,
    )


@pytest.fixture
def tick(app: Flask, runner: FlaskCliRunner, clock: FrozenClock) -> FlaskCliRunner:
    set_runtime(app, build_runtime(app, clock=clock))
    return runner


def run_tick(runner: FlaskCliRunner, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(args=["jobs", "tick", *args])


@pytest.fixture
def overdue(sessions: sessionmaker[Session], clock: FrozenClock) -> Overdue:
    """Booked at the clock's time; then the clock moves 31 minutes on, as if every job was lost."""
    booked_at = clock.now
    with sessions.begin() as session:
        approving = make_practice(session)
        direct = make_practice(session, appointment_approval_required=False)
        approving_service = make_service(session, approving)
        direct_service = make_service(session, direct)
        held = make_slot(session, approving_service, booked_at + timedelta(days=2))
        # Its 24 h reminder falls due one minute before the tick.
        soon = make_slot(session, direct_service, booked_at + timedelta(hours=24, minutes=30))
        past = make_slot(session, approving_service, booked_at - timedelta(hours=3))
    ctx = context(sessions, clock)
    patient = intake()
    hold = hold_slot(ctx, profile_id=approving.id, slot_id=held.id, intake=patient)
    confirmed = hold_slot(ctx, profile_id=direct.id, slot_id=soon.id, intake=intake())
    assert confirmed.reservation_id is not None
    clock.advance(minutes=31)
    with sessions.begin() as session:
        lost, stuck = (
            MessageLog(
                profile_id=approving.id,
                direction="out",
                phone=phone,
                body="Hola",
                status=status,
                attempts=attempts,
                next_attempt_at=clock.now - timedelta(seconds=5),
                created_at=booked_at,
            )
            for phone, status, attempts in [
                ("+525500000001", MessageStatus.QUEUED, 0),  # its job was lost with Redis
                ("+525500000002", MessageStatus.SENDING, 1),  # its worker died mid-send
            ]
        )
        session.add_all([lost, stuck])
    return Overdue(
        clock.now, hold.request_id, patient.phone, confirmed.reservation_id, past.id, lost.id,
        stuck.id,
    )  # fmt: skip


def session_profile_id(sessions: sessionmaker[Session], reservation_id: uuid.UUID) -> uuid.UUID:
    with sessions() as session:
        return session.get_one(Reservation, reservation_id).profile_id


def outbound(session: Session) -> list[MessageLog]:
    return list(session.scalars(select(MessageLog).where(MessageLog.direction == "out")))


def test_one_tick_does_every_duty_and_a_second_does_nothing_more(
    tick: FlaskCliRunner, sessions: sessionmaker[Session], overdue: Overdue
) -> None:
    result = run_tick(tick)
    assert result.exit_code == 0, result.output
    with sessions() as session:
        messages = outbound(session)
        # Two booking notifications to doctors, the expiry one, the reminder, two stragglers.
        assert len(messages) == 6
        assert {m.status for m in messages} == {MessageStatus.SENT}
        assert result.output.splitlines()[-1] == (
            "tick: 1 holds expired, 1 reminders sent (0 too late, skipped),"
            " 1 past slots expired, 6 messages delivered"
        )
        request = session.get_one(ReservationRequest, overdue.request_id)
        assert request.status == RequestStatus.EXPIRED
        [told] = [m for m in messages if m.purpose == "patient_expired"]
        assert told.phone == overdue.patient
        assert session.get_one(TimeSlot, request.slot_id).current_reservations == 0
        reservation = session.get_one(Reservation, overdue.reservation_id)
        assert reservation.reminder_24h_sent and not reservation.reminder_2h_sent
        [reminder] = [m for m in messages if m.purpose == "reminder_24h"]
        assert reminder.phone == reservation.patient_phone
        assert session.get_one(TimeSlot, overdue.past_slot_id).status == SlotStatus.EXPIRED
        stuck = session.get_one(MessageLog, overdue.stuck_message_id)
        assert stuck.provider_sid and stuck.attempts == 2
        sent_at = {m.id: m.updated_at for m in messages}

    again = run_tick(tick)
    assert again.exit_code == 0, again.output
    assert again.output.strip() == (
        "tick: 0 holds expired, 0 reminders sent (0 too late, skipped),"
        " 0 past slots expired, 0 messages delivered"
    )
    with sessions() as session:
        assert {m.id: m.updated_at for m in outbound(session)} == sent_at
        assert session.scalar(select(func.count()).select_from(MessageLog)) == 6


def test_a_practice_with_broken_data_fails_its_duty_in_one_line_and_the_rest_still_run(
    tick: FlaskCliRunner, sessions: sessionmaker[Session], overdue: Overdue
) -> None:
    # Another practice's reminder, due in the same sweep (the same batch): it still goes.
    booked_at = overdue.now - timedelta(minutes=31)
    with sessions.begin() as session:
        healthy = make_practice(session, appointment_approval_required=False)
        start = booked_at + timedelta(hours=24, minutes=20)
        slot = make_slot(session, make_service(session, healthy), start)
    ctx = context(sessions, lambda: booked_at)
    other = hold_slot(ctx, profile_id=healthy.id, slot_id=slot.id, intake=intake())
    with sessions.begin() as session:
        # Hand-edited in the database: reminders of this practice cannot be written.
        reservation = session.get_one(Reservation, overdue.reservation_id)
        session.execute(
            update(Practice)
            .where(Practice.id == reservation.profile_id)
            .values(timezone="America/Ciudad_de_Mexico")
        )
    result = run_tick(tick)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    broken = session_profile_id(sessions, overdue.reservation_id)
    assert f"periodic duty 'reminders' failed for practices {broken}" in result.output
    assert f"24h reminders of practice {broken} failed" in result.output
    assert "ZoneInfoNotFoundError" in result.output
    # Its time zone is broken for the morning agenda too: that duty names it as well.
    assert f"practice {broken} has a broken time zone" in result.output
    assert "Error: reminders, agenda failed (see above); the next tick tries again" in (
        result.output
    )
    assert "1 reminders sent" in result.output
    with sessions() as session:
        request = session.get_one(ReservationRequest, overdue.request_id)
        assert request.status == RequestStatus.EXPIRED
        assert session.get_one(TimeSlot, overdue.past_slot_id).status == SlotStatus.EXPIRED
        assert not session.get_one(Reservation, overdue.reservation_id).reminder_24h_sent
        assert other.reservation_id is not None
        assert session.get_one(Reservation, other.reservation_id).reminder_24h_sent
        messages = outbound(session)
        # The five of the other test, the other practice's booking notification and its reminder.
        assert len(messages) == 7 and {m.status for m in messages} == {MessageStatus.SENT}
        [reminder] = [m for m in messages if m.purpose == "reminder_24h"]
        assert reminder.profile_id == healthy.id
    # `--traceback` shows where, for whoever debugs it.
    assert "Traceback" in run_tick(tick, "--traceback").output


def test_an_unreachable_database_is_one_line_per_duty_and_exit_status_1(
    database_url: str, clock: FrozenClock
) -> None:
    url = database_url.rsplit("/", 1)[0] + "/citabot_no_such_database"
    app = create_app(Config(database_url=url, messaging_backend="console"))
    set_runtime(app, build_runtime(app, clock=clock))
    result = app.test_cli_runner().invoke(args=["jobs", "tick"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    duties = ("holds", "reminders", "slots", "attendance", "waitlist", "agenda", "messages")
    for duty in duties:
        assert f"periodic duty {duty!r} failed" in result.output
    assert "OperationalError" in result.output
    assert f"Error: {', '.join(duties)} failed" in result.output


def test_settings_that_cannot_work_stop_the_tick_with_one_line(database_url: str) -> None:
    config = Config(database_url=database_url, messaging_backend="twilio")  # no account
    result = create_app(config).test_cli_runner().invoke(args=["jobs", "tick"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "Error: tick could not start: ValueError: MESSAGING_BACKEND=twilio needs" in (
        result.output
    )


def queue_backlog(sessions: sessionmaker[Session], now: datetime, count: int) -> None:
    """`count` messages due, as an outage leaves them: one practice, as many patients."""
    with sessions.begin() as session:
        profile = make_practice(session)
        session.execute(
            MessageLog.__table__.insert(),
            [
                {"profile_id": profile.id, "direction": "out", "phone": f"+52554{i:07d}",
                 "body": "Hola", "status": MessageStatus.QUEUED, "next_attempt_at": now,
                 "created_at": now}
                for i in range(count)
            ],
        )  # fmt: skip


def delivered(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return (
            session.scalar(select(func.count()).where(MessageLog.status == MessageStatus.SENT)) or 0
        )


def test_one_tick_drains_a_backlog_bigger_than_a_batch(
    tick: FlaskCliRunner, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    queue_backlog(sessions, clock.now, 1234)
    result = run_tick(tick)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].endswith(", 1234 messages delivered")
    assert delivered(sessions) == 1234


def test_the_tick_stops_delivering_once_its_time_budget_is_spent(
    tick: FlaskCliRunner,
    sessions: sessionmaker[Session],
    clock: FrozenClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(jobs, "DELIVERY_BUDGET", timedelta(0))
    queue_backlog(sessions, clock.now, 150)
    result = run_tick(tick)
    assert result.exit_code == 0, result.output
    # The batch under way when the budget ran out is finished; the next tick goes on.
    assert delivered(sessions) == MessagingSettings("", template_value).batch_size
    assert run_tick(tick).exit_code == 0
    assert delivered(sessions) == 150


def practice_open_daily(
    session: Session, opened: date, horizon: int, **fields: object
) -> uuid.UUID:
    """A practice taking bookings `horizon` days ahead, open 09:00-10:00 every day since `opened`.

    Stated: the column's default is the database's real CURRENT_DATE, and a frozen
    clock falling behind it would lose the first days' slots.
    """
    profile = make_practice(session, booking_horizon_days=horizon, **fields)
    make_service(session, profile, duration=30)
    for day in range(7):
        session.add(
            AvailabilityRule(
                profile_id=profile.id, day_of_week=day, start_time=time(9),
                end_time=time(10), slot_duration=30, effective_from=opened,
            )
        )  # fmt: skip
    return profile.id


def last_slot(sessions: sessionmaker[Session], profile_id: uuid.UUID) -> datetime | None:
    with sessions() as session:
        return session.scalar(
            select(func.max(TimeSlot.start_time)).where(TimeSlot.profile_id == profile_id)
        )


def test_the_daily_duty_keeps_each_practices_slots_as_far_ahead_as_it_books(
    tick: FlaskCliRunner,
    app: Flask,
    sessions: sessionmaker[Session],
    clock: FrozenClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with sessions.begin() as session:
        today = clock.now.date()
        far, near = practice_open_daily(session, today, 10), practice_open_daily(session, today, 3)
        broken = practice_open_daily(session, today, 10, timezone="America/Ciudad_de_Mexico")

    with app.app_context(), pytest.raises(jobs.SlotUpkeepFailed, match="1 profiles failed"):
        jobs.keep_slots_ahead()
    # Open 15:00-16:00 UTC, the clock at 15:00: the last slot is the one at 15:00, N days on.
    assert last_slot(sessions, far) == clock.now + timedelta(days=10)
    assert last_slot(sessions, near) == clock.now + timedelta(days=3)
    assert last_slot(sessions, broken) is None
    assert f"slots of profile {broken} not generated" in caplog.text

    clock.advance(days=1)  # a day on, one more day is open for booking
    with app.app_context(), pytest.raises(jobs.SlotUpkeepFailed):
        jobs.keep_slots_ahead()
    assert last_slot(sessions, far) == clock.now + timedelta(days=10)
    assert last_slot(sessions, near) == clock.now + timedelta(days=3)
