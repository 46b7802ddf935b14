"""The doctor's morning agenda: once a local day from the practice's hour, confirmed
patients marked, never on an empty day nor after the day's last appointment began.

The practice is in Mexico City (UTC-6). The agenda day is Thursday 3 December 2026:
07:00 local is 13:00 UTC; its appointments are at 09:00, 10:00 and 11:00 local.
"""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from app.background import jobs
from app.background.runtime import build_runtime, set_runtime
from app.booking.appointments import cancel_reservation
from app.booking.attendance import confirm_attendance
from app.booking.context import BookingContext
from app.booking.morning_agenda import (
    PURPOSE,
    AgendaFailed,
    agenda_key,
    send_morning_agenda,
    send_morning_agendas,
)
from app.booking.requests import approve_request, hold_slot
from app.models import MessageLog, MessageStatus, Practice
from tests.conftest import FrozenClock
from tests.factories import context, intake, make_practice, make_service, make_slot

DAY = date(2026, 12, 3)
SEVEN = datetime(2026, 12, 3, 13, 0, tzinfo=UTC)  # 07:00 in Mexico City
NINE, TEN, ELEVEN = (SEVEN + timedelta(hours=hours) for hours in (2, 3, 4))
COMES, SILENT, ASKS = "+525599994001", "+525599994002", "+525599994003"


@dataclass(frozen=True)
class Booked:
    """A practice with, on DAY, an appointment whose patient said they will come (09:00),
    one whose patient did not answer (10:00) and a request waiting for the doctor (11:00)."""

    profile_id: uuid.UUID
    doctor_phone: str
    codes: tuple[str, str, str]


def book_the_day(ctx: BookingContext, clock: FrozenClock, **fields: object) -> Booked:
    with ctx.sessions.begin() as session:
        profile = make_practice(session, **fields)
        service = make_service(session, profile, name="Consulta general")
        slots = [make_slot(session, service, start) for start in (NINE, TEN, ELEVEN)]
    codes = []
    for slot, phone, name in zip(
        slots[:2], (COMES, SILENT), ("Ana Ruiz", "Luis Mora"), strict=True
    ):
        hold = hold_slot(
            ctx, profile_id=profile.id, slot_id=slot.id, intake=intake(phone, name=name)
        )
        codes.append(approve_request(ctx, profile_id=profile.id, code=hold.code).code or "")
    confirm_attendance(ctx, profile_id=profile.id, code=codes[0], patient_phone=COMES)
    # The request is made the evening before, so its hold still waits for the doctor.
    booked_at = clock.now
    clock.now = SEVEN - timedelta(hours=10)
    asked = hold_slot(ctx, profile_id=profile.id, slot_id=slots[2].id, intake=intake(ASKS))
    clock.now = booked_at
    return Booked(profile.id, profile.doctor_phone or "", (codes[0], codes[1], asked.code))


def agendas(sessions: sessionmaker[Session]) -> list[MessageLog]:
    with sessions() as session:
        return list(
            session.scalars(
                select(MessageLog).where(MessageLog.purpose == PURPOSE).order_by(MessageLog.id)
            )
        )


@pytest.fixture
def ctx(sessions: sessionmaker[Session], clock: FrozenClock) -> BookingContext:
    return context(sessions, clock, hold_minutes=12 * 60)


def test_the_agenda_goes_at_the_practices_hour_and_marks_who_said_they_will_come(
    ctx: BookingContext, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    booked = book_the_day(ctx, clock)
    clock.now = SEVEN - timedelta(seconds=1)
    assert send_morning_agendas(ctx) == 0
    assert agendas(sessions) == []

    clock.now = SEVEN
    assert send_morning_agendas(ctx) == 1
    [agenda] = agendas(sessions)
    assert (agenda.phone, agenda.dedupe_key) == (
        booked.doctor_phone, agenda_key(booked.profile_id, DAY)
    )  # fmt: skip
    comes, silent, asks = booked.codes
    assert agenda.body == (
        "☀️ Buenos días. 📅 Tu agenda de hoy, jueves, 3 de diciembre de 2026:\n"
        f"• 09:00 {comes} — Ana Ruiz, Consulta general (confirmada ✅ dijo que viene)\n"
        f"• 10:00 {silent} — Luis Mora, Consulta general (confirmada)\n"
        f"• 11:00 {asks} — María Pérez, Consulta general (esperando tu respuesta)\n"
        "✅ Dijeron que vienen: 1 de 2 citas."
    )


def test_the_agenda_is_in_the_practices_language(
    ctx: BookingContext, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    booked = book_the_day(ctx, clock, language="en")
    clock.now = SEVEN
    send_morning_agendas(ctx)
    [agenda] = agendas(sessions)
    comes = booked.codes[0]
    assert agenda.body.startswith(
        "☀️ Good morning. 📅 Your agenda for today, Thursday, December 3, 2026:\n"
        f"• 9:00 AM {comes} — Ana Ruiz, Consulta general (confirmed ✅ said they'll come)\n"
    )
    assert agenda.body.endswith("✅ Said they'll come: 1 of 2 appointments.")


def test_the_agenda_goes_once_a_day_however_many_ticks_run_however_late(
    ctx: BookingContext, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    booked = book_the_day(ctx, clock)
    clock.now = SEVEN + timedelta(hours=3)  # 10:00: the tick was down all morning
    assert send_morning_agendas(ctx) == 1
    clock.advance(seconds=30)
    assert send_morning_agendas(ctx) == 0
    # Past the sweep's own check (a second worker that read before the first committed).
    assert send_morning_agenda(ctx, booked.profile_id, DAY) is False
    assert len(agendas(sessions)) == 1


def test_two_workers_ticking_at_once_send_it_once(
    ctx: BookingContext, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    booked = book_the_day(ctx, clock)
    clock.now = SEVEN
    start = threading.Barrier(4)

    def worker() -> bool:
        start.wait(timeout=10)
        return send_morning_agenda(ctx, booked.profile_id, DAY)

    with ThreadPoolExecutor(4) as pool:
        sent = list(pool.map(lambda _: worker(), range(4)))
    assert sent.count(True) == 1
    assert len(agendas(sessions)) == 1


def test_no_agenda_on_a_day_with_nothing_booked_or_all_cancelled(
    ctx: BookingContext, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    with sessions.begin() as session:
        idle = make_practice(session, appointment_approval_required=False)
        busy_tomorrow = make_practice(session, appointment_approval_required=False)
        cancelled = make_practice(session, appointment_approval_required=False)
        make_slot(session, make_service(session, idle), NINE)  # free: nobody booked it
        tomorrow = make_slot(
            session, make_service(session, busy_tomorrow), NINE + timedelta(days=1)
        )
        gone = make_slot(session, make_service(session, cancelled), NINE)
    hold_slot(ctx, profile_id=busy_tomorrow.id, slot_id=tomorrow.id, intake=intake())
    code = hold_slot(ctx, profile_id=cancelled.id, slot_id=gone.id, intake=intake()).code
    cancel_reservation(ctx, profile_id=cancelled.id, code=code)
    for clock.now in (SEVEN, SEVEN + timedelta(hours=6)):
        assert send_morning_agendas(ctx) == 0
    assert agendas(sessions) == []


def test_no_agenda_once_the_days_last_appointment_has_begun(
    ctx: BookingContext, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    booked = book_the_day(ctx, clock)
    clock.now = ELEVEN
    assert send_morning_agendas(ctx) == 0
    assert send_morning_agenda(ctx, booked.profile_id, DAY) is False
    clock.now = SEVEN + timedelta(days=1)  # the next day has nothing
    assert send_morning_agendas(ctx) == 0
    assert agendas(sessions) == []


def test_the_agenda_hour_is_the_practices_own_in_its_time_zone(
    ctx: BookingContext, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    late_riser = book_the_day(ctx, clock, agenda_hour=9)
    with sessions.begin() as session:
        madrid = make_practice(
            session, timezone="Europe/Madrid", appointment_approval_required=False
        )
        # 09:00 in Madrid is 08:00 UTC; the agenda goes at 07:00 there, 06:00 UTC.
        slot = make_slot(
            session, make_service(session, madrid), datetime(2026, 12, 3, 8, tzinfo=UTC)
        )
    hold_slot(ctx, profile_id=madrid.id, slot_id=slot.id, intake=intake())

    clock.now = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)
    assert send_morning_agendas(ctx) == 1
    clock.now = SEVEN  # 07:00 in Mexico City, but this doctor asked for 09:00
    assert send_morning_agendas(ctx) == 0
    clock.now = SEVEN + timedelta(hours=2)
    assert send_morning_agendas(ctx) == 1
    assert {(m.profile_id, m.dedupe_key) for m in agendas(sessions)} == {
        (madrid.id, agenda_key(madrid.id, DAY)),
        (late_riser.profile_id, agenda_key(late_riser.profile_id, DAY)),
    }


def test_a_broken_practice_fails_the_sweep_after_the_others_agendas_went(
    ctx: BookingContext, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    healthy = book_the_day(ctx, clock)
    broken = book_the_day(ctx, clock)
    with sessions.begin() as session:
        session.execute(
            update(Practice)
            .where(Practice.id == broken.profile_id)
            .values(timezone="America/Ciudad_de_Mexico")
        )
    clock.now = SEVEN
    with pytest.raises(AgendaFailed, match=str(broken.profile_id)):
        send_morning_agendas(ctx)
    assert [m.profile_id for m in agendas(sessions)] == [healthy.profile_id]


def test_the_tick_sends_the_agenda_and_delivers_it_in_the_same_run(
    app: Flask, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    set_runtime(app, build_runtime(app, clock=clock))
    book_the_day(context(sessions, clock, hold_minutes=12 * 60), clock)
    clock.now = SEVEN + timedelta(minutes=1)
    with app.app_context():
        report = jobs.tick()
        assert report.failed == ()
        jobs.tick()
    [agenda] = agendas(sessions)
    assert agenda.status == MessageStatus.SENT
