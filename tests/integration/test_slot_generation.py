"""Slot generation against PostgreSQL: persists, repeats safely, never touches booked slots."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from click.testing import Result
from flask.testing import FlaskCliRunner
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.booking.requests import approve_request, hold_slot, reject_request
from app.models import (
    AvailabilityRule,
    ClosedDate,
    MedicalService,
    Practice,
    Reservation,
    SlotStatus,
    TimeSlot,
)
from app.scheduling.generation import NO_CHANGES, PracticeNotFound, generate_slots
from app.scheduling.search import free_slots
from app.scheduling.slot_sync import SlotChanges
from tests.conftest import FrozenClock
from tests.factories import context, intake, make_practice, make_service, make_slot

MEXICO_CITY = ZoneInfo("America/Mexico_City")
WEEKDAYS = (1, 2, 3, 4, 5)  # the seed's numbering: Monday..Friday
# When the rules take effect unless a test says otherwise: before the frozen clock's
# today (2026-12-01) and any real day the command tests run on. Left out, the column's
# default would be the database server's real CURRENT_DATE, and the slots made before
# it would vanish as the calendar moves on.
IN_FORCE_FROM = date(2026, 11, 1)


@dataclass
class PracticeSetup:
    profile_id: uuid.UUID
    service_id: uuid.UUID


@pytest.fixture
def practice(sessions: sessionmaker[Session]) -> PracticeSetup:
    """Weekdays 09:00-11:00 in Mexico City, one 30-minute service."""
    with sessions.begin() as session:
        profile = make_practice(session)
        service = make_service(session, profile, duration=30)
        for day in WEEKDAYS:
            session.add(rule(profile.id, day, "09:00", "11:00"))
        return PracticeSetup(profile.id, service.id)


def rule(
    profile_id: uuid.UUID, day: int, start: str, end: str, **fields: object
) -> AvailabilityRule:
    values: dict[str, object] = {
        "profile_id": profile_id,
        "day_of_week": day,
        "start_time": time.fromisoformat(start),
        "end_time": time.fromisoformat(end),
        "slot_duration": 30,
        "effective_from": IN_FORCE_FROM,
    }
    return AvailabilityRule(**(values | fields))


def stored(
    sessions: sessionmaker[Session], profile_id: uuid.UUID, weekday: int | None = None
) -> list[tuple[str, int, str]]:
    """The practice's slots as (local 'MM-DD HH:MM-HH:MM', capacity, status), in time order.

    Only those on the local `weekday` (Python's numbering, Monday = 0) when given.
    """
    with sessions() as session:
        rows = session.scalars(
            select(TimeSlot).where(TimeSlot.profile_id == profile_id).order_by(TimeSlot.start_time)
        )
        return [
            (
                f"{row.start_time.astimezone(MEXICO_CITY):%m-%d %H:%M}"
                f"-{row.end_time.astimezone(MEXICO_CITY):%H:%M}",
                row.max_reservations,
                row.status,
            )
            for row in rows
            if weekday in (None, row.start_time.astimezone(MEXICO_CITY).weekday())
        ]


def slot_at(sessions: sessionmaker[Session], practice: PracticeSetup, local: str) -> TimeSlot:
    start = datetime.fromisoformat(local).replace(tzinfo=MEXICO_CITY)
    with sessions() as session:
        return session.scalars(
            select(TimeSlot).where(
                TimeSlot.profile_id == practice.profile_id, TimeSlot.start_time == start
            )
        ).one()


def run(sessions: sessionmaker[Session], clock: FrozenClock, days: int = 7) -> SlotChanges:
    (report,) = generate_slots(sessions, now=clock(), days=days)
    return report.changes


def test_generation_stores_the_slots_after_now_and_up_to_the_horizon(
    practice: PracticeSetup, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    # The clock stands at Tuesday 2026-12-01 09:00 in Mexico City; 7 days end at the
    # same moment a week later, so 09:00 is excluded today and included then.
    assert clock.now.astimezone(MEXICO_CITY) == datetime(2026, 12, 1, 9, tzinfo=MEXICO_CITY)

    changes = run(sessions, clock)

    slots = stored(sessions, practice.profile_id)
    assert changes == SlotChanges(created=20, updated=0, removed=0, kept=0)
    assert [label for label, _, _ in slots[:4]] == [
        "12-01 09:30-10:00",
        "12-01 10:00-10:30",
        "12-01 10:30-11:00",
        "12-02 09:00-09:30",
    ]
    assert [label for label, _, _ in slots[-5:]] == [
        "12-07 09:00-09:30",
        "12-07 09:30-10:00",
        "12-07 10:00-10:30",
        "12-07 10:30-11:00",
        "12-08 09:00-09:30",
    ]
    assert {(capacity, status) for _, capacity, status in slots} == {(1, "available")}


def test_a_second_run_changes_nothing(
    practice: PracticeSetup, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    run(sessions, clock)
    with sessions() as session:
        before = sorted(session.scalars(select(TimeSlot.id)))

    assert run(sessions, clock) == NO_CHANGES
    with sessions() as session:
        assert sorted(session.scalars(select(TimeSlot.id))) == before


def test_the_database_refuses_a_second_slot_for_the_same_service_and_start(
    practice: PracticeSetup, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    run(sessions, clock)
    taken = slot_at(sessions, practice, "2026-12-02 09:00")

    with (
        pytest.raises(IntegrityError, match="uq_time_slot_profile_id"),
        sessions.begin() as session,
    ):
        make_slot(session, session.get_one(MedicalService, practice.service_id), taken.start_time)


def rows(sessions: sessionmaker[Session], slots: list[TimeSlot]) -> dict[uuid.UUID, tuple]:
    """Every column of `slots`, as stored now."""
    with sessions() as session:
        query = select(TimeSlot.__table__).where(TimeSlot.id.in_([slot.id for slot in slots]))
        return {row.id: tuple(row) for row in session.execute(query)}


def test_a_rule_change_never_touches_slots_with_requests_reservations_or_blocks(
    practice: PracticeSetup, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    run(sessions, clock)
    ctx, owner = context(sessions, clock), {"profile_id": practice.profile_id}
    pending = slot_at(sessions, practice, "2026-12-02 09:00")
    hold_slot(ctx, **owner, slot_id=pending.id, intake=intake())
    rejected = slot_at(sessions, practice, "2026-12-02 09:30")
    reject_request(
        ctx, **owner, code=hold_slot(ctx, **owner, slot_id=rejected.id, intake=intake()).code
    )
    approved = slot_at(sessions, practice, "2026-12-03 10:00")
    approve_request(
        ctx, **owner, code=hold_slot(ctx, **owner, slot_id=approved.id, intake=intake()).code
    )
    blocked = slot_at(sessions, practice, "2026-12-04 09:00")
    cancelled = slot_at(sessions, practice, "2026-12-04 09:30")
    with sessions.begin() as session:
        session.execute(
            update(TimeSlot).where(TimeSlot.id == blocked.id).values(status=SlotStatus.BLOCKED)
        )
        # Entered by hand, then cancelled: the slot is free again but has history.
        session.add(
            Reservation(
                profile_id=practice.profile_id,
                slot_id=cancelled.id,
                service_id=practice.service_id,
                patient_name="María Pérez",
                patient_phone="+5215500000001",
                status="cancelled",
            )
        )
    booked = [pending, rejected, approved, blocked, cancelled]
    before = rows(sessions, booked)
    assert stored(sessions, practice.profile_id)[3:5] == [  # rejected: free, but has a request
        ("12-02 09:00-09:30", 1, "pending_approval"),
        ("12-02 09:30-10:00", 1, "available"),
    ]

    # The practice now opens 10:00-12:00 and takes two patients per slot.
    with sessions.begin() as session:
        session.execute(delete(AvailabilityRule))
        for day in WEEKDAYS:
            session.add(
                rule(practice.profile_id, day, "10:00", "12:00", max_appointments_per_slot=2)
            )
    changes = run(sessions, clock)

    # Removed: the free 09:00 and 09:30 slots (6); updated to capacity 2: the free 10:00
    # and 10:30 ones (9); created: 11:00 and 11:30 on five days (10); kept: the 5 booked.
    assert changes == SlotChanges(created=10, updated=9, removed=6, kept=5)
    assert rows(sessions, booked) == before
    assert [slot for slot in stored(sessions, practice.profile_id) if "12-03" in slot[0]] == [
        ("12-03 10:00-10:30", 1, "reserved"),
        ("12-03 10:30-11:00", 2, "available"),
        ("12-03 11:00-11:30", 2, "available"),
        ("12-03 11:30-12:00", 2, "available"),
    ]
    assert run(sessions, clock) == SlotChanges(created=0, updated=0, removed=0, kept=5)


def test_inactive_rules_and_services_make_no_slots_and_lose_their_free_ones(
    practice: PracticeSetup, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    with sessions.begin() as session:
        profile = session.get_one(Practice, practice.profile_id)
        dormant = make_service(session, profile, is_active=False)
        session.add(rule(profile.id, 6, "09:00", "10:00", is_active=False))  # Saturday
        extra = make_service(session, profile, duration=60)
    assert run(sessions, clock).created == 20 + 15  # 60 minutes fit at 09:00, 09:30, 10:00

    with sessions.begin() as session:
        session.execute(
            update(MedicalService).where(MedicalService.id == extra.id).values(is_active=False)
        )
        session.execute(
            update(AvailabilityRule)
            .where(AvailabilityRule.day_of_week == 1)  # Monday
            .values(is_active=False)
        )

    assert run(sessions, clock) == SlotChanges(created=0, updated=0, removed=15 + 4, kept=0)
    with sessions() as session:
        services = set(session.scalars(select(TimeSlot.service_id)))
    assert services == {practice.service_id} and dormant.id not in services
    assert not [slot for slot in stored(sessions, practice.profile_id) if "12-07" in slot[0]]


def test_effective_dates_of_stored_rules_bound_their_slots(
    practice: PracticeSetup, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    with sessions.begin() as session:
        session.execute(delete(AvailabilityRule))
        for day in WEEKDAYS:
            session.add(
                rule(
                    practice.profile_id,
                    day,
                    "09:00",
                    "09:30",
                    effective_from=date(2026, 12, 3),
                    effective_to=date(2026, 12, 4),
                )
            )
            session.add(rule(practice.profile_id, day, "12:00", "12:30"))  # always

    run(sessions, clock)

    assert [label for label, _, _ in stored(sessions, practice.profile_id)] == [
        "12-01 12:00-12:30",
        "12-02 12:00-12:30",
        "12-03 09:00-09:30",
        "12-03 12:00-12:30",
        "12-04 09:00-09:30",
        "12-04 12:00-12:30",
        "12-07 12:00-12:30",
    ]


def test_closing_a_day_removes_its_free_slots_and_keeps_booked_ones(
    practice: PracticeSetup, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    run(sessions, clock)
    held = slot_at(sessions, practice, "2026-12-03 10:00")
    hold_slot(
        context(sessions, clock), profile_id=practice.profile_id, slot_id=held.id, intake=intake()
    )
    with sessions.begin() as session:
        session.add(ClosedDate(profile_id=practice.profile_id, day=date(2026, 12, 3)))
        session.add(
            ClosedDate(
                profile_id=practice.profile_id,
                day=date(2026, 12, 4),
                start_time=time(9, 15),
                end_time=time(10, 0),
            )
        )

    assert run(sessions, clock) == SlotChanges(created=0, updated=0, removed=3 + 2, kept=1)
    days = {
        day: [label[6:] for label, _, _ in stored(sessions, practice.profile_id) if day in label]
        for day in ("12-03", "12-04")
    }
    assert days == {"12-03": ["10:00-10:30"], "12-04": ["10:00-10:30", "10:30-11:00"]}


def test_a_shorter_run_after_a_rule_change_also_fixes_the_free_slots_beyond_its_days(
    practice: PracticeSetup, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    # 60 days, a rule change, then the default 30: the slots of days 31-60 are still
    # offered (the booking horizon is 60 days), so they must follow the new rules.
    with sessions.begin() as session:
        session.add(rule(practice.profile_id, 6, "09:00", "11:00"))  # Saturday
    run(sessions, clock, days=60)
    held = slot_at(sessions, practice, "2027-01-09 09:00")  # a Saturday after day 30
    hold_slot(
        context(sessions, clock), profile_id=practice.profile_id, slot_id=held.id, intake=intake()
    )
    with sessions.begin() as session:
        session.execute(delete(AvailabilityRule).where(AvailabilityRule.day_of_week.in_([3, 6])))
        # Wednesdays now take two patients per slot, and Sundays open 09:00-10:00.
        session.add(rule(practice.profile_id, 3, "09:00", "11:00", max_appointments_per_slot=2))
        session.add(rule(practice.profile_id, 0, "09:00", "10:00"))

    changes = run(sessions, clock, days=30)

    # Removed: 8 Saturdays x 4 and 2027-01-30 09:00, but for the held one; updated:
    # 9 Wednesdays x 4, through 2027-01-27; created: Sundays up to day 30 only.
    assert changes == SlotChanges(created=4 * 2, updated=9 * 4, removed=8 * 4 + 1 - 1, kept=1)
    saturdays, sundays, wednesdays = (
        stored(sessions, practice.profile_id, day) for day in (5, 6, 2)
    )
    assert saturdays == [("01-09 09:00-09:30", 1, "pending_approval")]
    assert [label[:11] for label, _, _ in sundays] == [
        f"12-{day:02} {start}" for day in (6, 13, 20, 27) for start in ("09:00", "09:30")
    ]
    assert {capacity for _, capacity, _ in wednesdays} == {2}
    assert wednesdays[-1][0] == "01-27 10:30-11:00"
    with sessions() as session:
        profile = session.get_one(Practice, practice.profile_id)
        offered = list(free_slots(session, profile, practice.service_id, clock()))
    assert {slot.start.astimezone(MEXICO_CITY).weekday() for slot in offered} == {0, 1, 2, 3, 4, 6}
    assert run(sessions, clock, days=30) == SlotChanges(created=0, updated=0, removed=0, kept=1)


def test_one_profile_only_and_an_unknown_one(
    practice: PracticeSetup, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    with sessions.begin() as session:
        other = make_practice(session)
        make_service(session, other)
        session.add(rule(other.id, 3, "09:00", "10:00"))

    reports = generate_slots(sessions, now=clock(), days=7, profile_id=other.id)

    assert [(report.profile_id, report.changes.created) for report in reports] == [(other.id, 2)]
    assert stored(sessions, practice.profile_id) == []
    with pytest.raises(PracticeNotFound):
        generate_slots(sessions, now=clock(), days=7, profile_id=uuid.uuid4())


def generate(runner: FlaskCliRunner, *args: str) -> Result:
    result = runner.invoke(args=["slots", "generate", *args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def test_the_command_generates_and_repeats_safely(
    practice: PracticeSetup, runner: FlaskCliRunner, sessions: sessionmaker[Session]
) -> None:
    # The command reads the real clock; any 14 days hold ten weekdays, and today's
    # slots after now plus those of the same weekday in two weeks up to now make one.
    first = generate(runner, "--days", "14")
    with sessions() as session:
        name = session.get_one(Practice, practice.profile_id).name

    assert first.exit_code == 0
    assert len(stored(sessions, practice.profile_id)) == 10 * 4
    assert first.output == (
        f"{name} ({practice.profile_id}): 40 created, 0 updated, 0 removed, "
        "0 kept (taken or blocked)\n"
    )
    second = generate(runner, "--days", "14", "--profile", str(practice.profile_id))
    assert second.exit_code == 0
    assert f"{practice.profile_id}): 0 created, 0 updated, 0 removed, 0 kept" in second.output


def test_the_command_with_no_profiles_says_so(runner: FlaskCliRunner) -> None:
    result = generate(runner)

    assert (result.exit_code, result.output) == (0, "No profiles: nothing to generate.\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--days", "abc"], "Invalid value for '--days': 'abc' is not a valid integer"),
        (["--days", "0"], "Invalid value for '--days': 0 is not in the range 1<=x<=366"),
        (["--days", "367"], "Invalid value for '--days': 367 is not in the range 1<=x<=366"),
        (["--days"], "Option '--days' requires an argument"),
        (
            ["--profile", "dr-lopez"],
            "Invalid value for '--profile': 'dr-lopez' is not a valid UUID",
        ),
        (["--weeks", "2"], "No such option '--weeks'"),
    ],
)
def test_the_command_refuses_bad_arguments_with_usage_and_exit_code_2(
    practice: PracticeSetup,
    runner: FlaskCliRunner,
    sessions: sessionmaker[Session],
    args: list[str],
    message: str,
) -> None:
    result = generate(runner, *args)

    assert result.exit_code == 2
    assert message in result.output and "Error:" in result.output
    assert stored(sessions, practice.profile_id) == []


def test_the_command_names_an_unknown_profile_with_exit_code_1(
    practice: PracticeSetup, runner: FlaskCliRunner, sessions: sessionmaker[Session]
) -> None:
    unknown = uuid.uuid4()

    result = generate(runner, "--profile", str(unknown))

    assert (result.exit_code, result.output) == (1, f"Error: no practice with id {unknown}\n")
    assert stored(sessions, practice.profile_id) == []


def test_a_profile_with_an_unknown_time_zone_is_skipped_and_named(
    practice: PracticeSetup, runner: FlaskCliRunner, sessions: sessionmaker[Session]
) -> None:
    # The clinic import checks the zone; a hand-edited row must not stop everyone else.
    with sessions.begin() as session:
        broken = make_practice(session, name="Dr. Roto", timezone="Mars/Olympus")
        make_service(session, broken)
        session.add(rule(broken.id, 3, "09:00", "10:00"))

    result = generate(runner, "--days", "14")

    assert result.exit_code == 1
    assert f"Dr. Roto ({broken.id}): skipped, unknown time zone 'Mars/Olympus'\n" in result.output
    assert result.output.endswith("Error: 1 profile(s) skipped; fix them and run again.\n")
    assert stored(sessions, practice.profile_id) != []
    assert stored(sessions, broken.id) == []


def test_a_withdrawn_service_offers_no_free_times(
    practice: PracticeSetup, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    run(sessions, clock)
    with sessions() as session:
        profile = session.get_one(Practice, practice.profile_id)
        assert list(free_slots(session, profile, practice.service_id, clock()))
    with sessions.begin() as session:
        session.get_one(MedicalService, practice.service_id).is_active = False
    with sessions() as session:
        profile = session.get_one(Practice, practice.profile_id)
        assert list(free_slots(session, profile, practice.service_id, clock())) == []
