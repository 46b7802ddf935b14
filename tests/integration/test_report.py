"""`flask report` and RESUMEN on PostgreSQL: a week with known answers, the same numbers in both.

The clock starts at 2026-12-01 15:00 UTC (Tuesday 09:00 in Mexico City) and is moved
by hand; every row is written by the booking services at the clock's time.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import date, timedelta

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.booking import waitlist
from app.booking.appointments import cancel_reservation, complete_reservation, mark_no_show
from app.booking.attendance import confirm_attendance
from app.booking.expiry import expire_overdue_holds
from app.booking.figures import local_period, practice_figures
from app.booking.requests import approve_request, hold_slot, reject_request
from app.models import MessageLog, OfferStatus, Practice, WaitlistEntry, WaitlistOffer
from tests.conftest import FrozenClock
from tests.factories import context, intake, make_practice, make_service, make_slot

PHONES = [f"+5255999920{n:02d}" for n in range(6)]


@pytest.fixture
def week(sessions: sessionmaker[Session], clock: FrozenClock) -> uuid.UUID:
    """Six requests made on 1 December; appointments on the 3rd to the 6th."""
    with sessions.begin() as session:
        profile = make_practice(session, cancellation_window_hours=24)
        service = make_service(session, profile)
        first = clock.now + timedelta(days=2)
        slots = [
            make_slot(session, service, first + timedelta(days=n // 2, hours=n)) for n in range(6)
        ]
    ctx = context(sessions, clock, hold_minutes=60)
    codes = [
        hold_slot(ctx, profile_id=profile.id, slot_id=slot.id, intake=intake(phone)).code
        for slot, phone in zip(slots, PHONES, strict=True)
    ]
    answer_after = {0: 10, 1: 30, 2: 50, 3: 20}  # minutes; 4 and 5 are never answered
    start = clock.now
    for index, minutes in sorted(answer_after.items(), key=lambda pair: pair[1]):
        clock.now = start + timedelta(minutes=minutes)
        if index == 3:
            reject_request(ctx, profile_id=profile.id, code=codes[index])
        else:
            approve_request(ctx, profile_id=profile.id, code=codes[index])
    clock.now = start + timedelta(hours=2)
    assert expire_overdue_holds(ctx) == 2
    # Appointment 0 is confirmed and kept; 1 is confirmed and missed; 2 is cancelled late.
    for code in codes[:2]:
        confirm_attendance(
            ctx, profile_id=profile.id, code=code, patient_phone=PHONES[codes.index(code)]
        )
    clock.now = slots[1].start_time + timedelta(hours=1)
    complete_reservation(ctx, profile_id=profile.id, code=codes[0])
    mark_no_show(ctx, profile_id=profile.id, code=codes[1])
    clock.now = slots[2].start_time - timedelta(hours=3)
    cancel_reservation(ctx, profile_id=profile.id, code=codes[2], patient_phone=PHONES[2])
    return profile.id


def test_the_weeks_figures_are_the_known_ones_in_csv_json_and_resumen(
    week: uuid.UUID, runner: FlaskCliRunner, sessions: sessionmaker[Session]
) -> None:
    args = ["report", "--practice", str(week), "--from", "2026-12-01", "--to", "2026-12-07"]
    shown = runner.invoke(args=[*args, "--format", "json"])
    assert shown.exit_code == 0, shown.output
    figures = json.loads(shown.output)
    expected = {
        "requests": 6, "approved": 3, "rejected": 1, "expired": 2, "withdrawn": 0,
        "approval_rate": 0.75, "median_minutes_to_answer": 25.0,
        "appointments": 2, "confirmed_attendance": 2, "completed": 1, "no_shows": 1,
        "no_show_rate": 0.5, "cancellations": 1, "late_cancellations": 1,
    }  # fmt: skip
    assert {name: figures[name] for name in expected} == expected
    with sessions() as session:
        patients = session.scalar(
            select(func.count()).select_from(MessageLog).where(MessageLog.phone.in_(PHONES))
        )
        timezone = session.get_one(Practice, week).timezone
    assert figures["messages"] == patients and patients > 0
    assert figures["messages_per_booking"] == round(patients / 6, 3)

    as_csv = runner.invoke(args=args)
    assert as_csv.exit_code == 0, as_csv.output
    [row] = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert {name: row[name] for name in expected} == {k: str(v) for k, v in expected.items()}

    # RESUMEN reads the same function; its numbers for the same period are these.
    since, until = local_period(date(2026, 12, 1), date(2026, 12, 7), timezone)
    same = practice_figures(sessions, profile_id=week, since=since, until=until).as_row()
    assert same == figures


def test_a_period_a_week_earlier_is_empty(week: uuid.UUID, runner: FlaskCliRunner) -> None:
    args = ["report", "--practice", str(week), "--from", "2026-11-20", "--to", "2026-11-30"]
    figures = json.loads(runner.invoke(args=[*args, "--format", "json"]).output)
    assert figures["requests"] == figures["appointments"] == figures["messages"] == 0
    assert figures["approval_rate"] is None


@pytest.fixture
def refills(sessions: sessionmaker[Session], clock: FrozenClock) -> uuid.UUID:
    """Three places refilled from the waitlist in 12, 20 and 5 minutes (median 12).

    The place on the 3rd is declined, then taken; given back an hour later and offered
    again, it is a new round. The offer of the place on the 4th lapses before it is taken.
    """
    with sessions.begin() as session:
        profile = make_practice(session, appointment_approval_required=False)
        service = make_service(session, profile)
        third, fourth = (
            make_slot(session, service, clock.now + timedelta(days=days)) for days in (2, 3)
        )
    ctx = context(sessions, clock)
    waiting = [f"+5255999930{n:02d}" for n in range(5)]
    for phone in waiting:
        waitlist.join(
            ctx,
            profile_id=profile.id,
            phone=phone,
            service_id=service.id,
            first_day=date(2026, 12, 3),
            last_day=date(2026, 12, 5),
        )
        clock.advance(seconds=1)
    start = clock.now

    def at(minutes: int) -> None:
        clock.now = start + timedelta(minutes=minutes)

    def accept(phone: str) -> str:
        with sessions() as session:
            offer_id = session.scalars(
                select(WaitlistOffer.id)
                .join(WaitlistEntry, WaitlistEntry.id == WaitlistOffer.entry_id)
                .where(WaitlistEntry.phone == phone, WaitlistOffer.status == OfferStatus.OPEN)
            ).one()
        return waitlist.accept(ctx, offer_id=offer_id, phone=phone, intake=intake(phone)).code

    assert waitlist.offer_places(ctx, [third.id], fan_out=1) == 1  # to the first
    at(5)
    with sessions() as session:
        declined = session.scalars(select(WaitlistOffer.id)).one()
    waitlist.decline(ctx, offer_id=declined, phone=waiting[0])  # offered to the next three
    at(12)
    code = accept(waiting[1])
    at(30)
    assert waitlist.offer_places(ctx, [fourth.id], fan_out=1) == 1  # to the first again
    at(46)
    assert waitlist.sweep(ctx) == (1, 0)  # it lapsed; the next three are offered it
    at(50)
    accept(waiting[3])
    at(60)
    cancel_reservation(ctx, profile_id=profile.id, code=code, patient_phone=waiting[1])
    assert waitlist.offer_places(ctx, [third.id], fan_out=1) == 1  # the only one not asked
    at(65)
    accept(waiting[4])
    return profile.id


def test_places_refilled_from_the_waitlist_are_the_same_in_csv_json_and_resumen(
    refills: uuid.UUID, runner: FlaskCliRunner, sessions: sessionmaker[Session]
) -> None:
    args = ["report", "--practice", str(refills), "--from", "2026-12-01", "--to", "2026-12-07"]
    figures = json.loads(runner.invoke(args=[*args, "--format", "json"]).output)
    assert (figures["refilled_from_waitlist"], figures["median_minutes_to_refill"]) == (3, 12.0)
    [row] = list(csv.DictReader(io.StringIO(runner.invoke(args=args).output)))
    assert (row["refilled_from_waitlist"], row["median_minutes_to_refill"]) == ("3", "12.0")
    with sessions() as session:
        timezone = session.get_one(Practice, refills).timezone
    since, until = local_period(date(2026, 12, 1), date(2026, 12, 7), timezone)
    assert practice_figures(sessions, profile_id=refills, since=since, until=until).as_row() == (
        figures
    )
    # The day before the acceptances: none.
    earlier = ["report", "--practice", str(refills), "--from", "2026-11-30", "--to", "2026-11-30"]
    before = json.loads(runner.invoke(args=[*earlier, "--format", "json"]).output)
    assert (before["refilled_from_waitlist"], before["median_minutes_to_refill"]) == (0, None)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--from", "2026-12-07", "--to", "2026-12-01"], "must not be before --from"),
        (["--from", "2026-12-01", "--to", "7 Dec"], "Invalid value for '--to'"),
        (["--from", "2026-12-01", "--to", "2026-12-07", "--format", "xml"], "'xml' is not one"),
    ],
)
def test_bad_arguments_get_a_clear_answer(
    week: uuid.UUID, runner: FlaskCliRunner, args: list[str], said: str
) -> None:
    result = runner.invoke(args=["report", "--practice", str(week), *args])
    assert result.exit_code == 2 and said in result.output


def test_an_unknown_practice_is_named(runner: FlaskCliRunner) -> None:
    unknown = uuid.uuid4()
    args = ["report", "--practice", str(unknown), "--from", "2026-12-01", "--to", "2026-12-07"]
    result = runner.invoke(args=args)
    assert result.exit_code == 1 and f"no practice has the id {unknown}" in result.output
