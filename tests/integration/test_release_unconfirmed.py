"""Freeing unconfirmed appointments where the practice opts in: warned first, then freed,
and the place goes to the waitlist.

The clock starts at 2026-12-01 15:00 UTC; the appointments are on 3 December 2026 at
16:00 and 17:00 UTC. The practice asks 24 hours ahead and frees 6 hours ahead.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.background.after_commit import OwedJob, dispatch_after_commit
from app.booking import waitlist
from app.booking.attendance import ReleaseSweep, confirm_attendance, forgive, release_unconfirmed
from app.booking.requests import hold_slot
from app.db import make_sessionmaker
from app.models import Conversation, MessageLog, Reservation, TimeSlot
from tests.conftest import FrozenClock
from tests.factories import context, intake, make_practice, make_service, make_slot

FIRST = datetime(2026, 12, 3, 16, 0, tzinfo=UTC)
SECOND = FIRST + timedelta(hours=1)
KEEPS, FORGETS = "+525599993001", "+525599993002"


def test_an_unconfirmed_appointment_is_warned_then_freed_and_offered_to_the_waitlist(
    engine: Engine, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    owed: list[OwedJob] = []

    class Recorder:
        def dispatch(self, jobs: list[OwedJob]) -> None:
            owed.extend(jobs)

    factory = make_sessionmaker(engine)
    dispatch_after_commit(factory, Recorder())
    ctx = context(factory, clock)
    with factory.begin() as session:
        profile = make_practice(
            session, appointment_approval_required=False, release_unconfirmed_hours=6
        )
        service = make_service(session, profile)
        slots = [make_slot(session, service, FIRST), make_slot(session, service, SECOND)]
    keeps = hold_slot(ctx, profile_id=profile.id, slot_id=slots[0].id, intake=intake(KEEPS)).code
    forgets = hold_slot(ctx, profile_id=profile.id, slot_id=slots[1].id, intake=intake(FORGETS))
    waitlist.join(
        ctx, profile_id=profile.id, phone="+525599993003", service_id=service.id,
        first_day=date(2026, 12, 3), last_day=date(2026, 12, 3),
    )  # fmt: skip

    clock.now = FIRST - timedelta(hours=9, minutes=1)  # before the warning (6 + 3 hours)
    assert release_unconfirmed(ctx) == ReleaseSweep()
    clock.now = SECOND - timedelta(hours=9)
    assert release_unconfirmed(ctx) == ReleaseSweep(warned=2)
    assert release_unconfirmed(ctx) == ReleaseSweep()  # warned once
    with factory() as session:
        warnings = session.scalars(
            select(MessageLog.body).where(MessageLog.purpose == "patient_release_warning")
        ).all()
        states = set(session.scalars(select(Conversation.state)).all())
    assert len(warnings) == 2 and all("antes de las" in body for body in warnings)
    assert states <= {"reminder"}  # "1" answers it, as it answers the reminder

    confirm_attendance(ctx, profile_id=profile.id, code=keeps, patient_phone=KEEPS)
    clock.now = SECOND - timedelta(hours=6)
    assert release_unconfirmed(ctx) == ReleaseSweep(released=1)
    with factory() as session:
        kept = session.scalars(select(Reservation).where(Reservation.code == keeps)).one()
        freed = session.scalars(select(Reservation).where(Reservation.code == forgets.code)).one()
        told = session.scalars(
            select(MessageLog.purpose).where(
                MessageLog.purpose.in_(["patient_released", "doctor_released"])
            )
        ).all()
        slot = session.get_one(TimeSlot, slots[1].id)
    assert kept.status == "confirmed"
    assert (freed.status, freed.cancelled_by) == ("cancelled", "release")
    assert sorted(told) == ["doctor_released", "patient_released"]
    assert slot.current_reservations == 0
    assert OwedJob("offer_places", (str(slots[1].id),)) in owed


def test_a_warning_sent_late_still_leaves_an_hour_to_answer(
    sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    ctx = context(sessions, clock)
    with sessions.begin() as session:
        profile = make_practice(
            session, appointment_approval_required=False, release_unconfirmed_hours=6
        )
        slot = make_slot(session, make_service(session, profile), FIRST)
    hold_slot(ctx, profile_id=profile.id, slot_id=slot.id, intake=intake(FORGETS))
    clock.now = FIRST - timedelta(hours=5)  # the tick was down until after the release time
    assert release_unconfirmed(ctx) == ReleaseSweep(warned=1)
    clock.advance(minutes=59)
    assert release_unconfirmed(ctx) == ReleaseSweep()
    clock.advance(minutes=1)
    assert release_unconfirmed(ctx) == ReleaseSweep(released=1)


def test_a_practice_that_does_not_opt_in_frees_nothing(
    sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    ctx = context(sessions, clock)
    with sessions.begin() as session:
        profile = make_practice(session, appointment_approval_required=False)
        slot = make_slot(session, make_service(session, profile), FIRST)
    hold_slot(ctx, profile_id=profile.id, slot_id=slot.id, intake=intake(FORGETS))
    for hours in (9, 6, 1):
        clock.now = FIRST - timedelta(hours=hours)
        assert release_unconfirmed(ctx) == ReleaseSweep()


def test_a_reconfirm_policy_frees_only_the_unconfirmed_appointments_of_repeat_no_shows(
    sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    """Two no-shows at a practice whose policy says `reconfirm`: the patient books at once,
    is told to confirm, and loses the place 12 hours before unless they do; another
    patient's unconfirmed appointment stays, and a pardon in between spares the first."""
    ctx = context(sessions, clock)
    with sessions.begin() as session:
        profile = make_practice(
            session,
            appointment_approval_required=False,
            no_show_limit=2,
            no_show_action="reconfirm",
        )
        service = make_service(session, profile)
        slots = [make_slot(session, service, FIRST), make_slot(session, service, SECOND)]
        for n, days_ago in enumerate((20, 10)):  # the two appointments FORGETS missed
            past = make_slot(session, service, clock.now - timedelta(days=days_ago))
            session.add(
                Reservation(
                    profile_id=profile.id, slot_id=past.id, service_id=service.id,
                    code=f"MISS{n}Q", patient_name="Luis", patient_phone=FORGETS,
                    status="no_show", no_show=True,
                )
            )  # fmt: skip
    held = hold_slot(ctx, profile_id=profile.id, slot_id=slots[0].id, intake=intake(FORGETS))
    assert held.confirmed and held.reconfirm  # booked at once, and told to confirm
    other = hold_slot(ctx, profile_id=profile.id, slot_id=slots[1].id, intake=intake(KEEPS))
    assert other.confirmed and not other.reconfirm

    clock.now = FIRST - timedelta(hours=15, minutes=1)  # before the warning (12 + 3 hours)
    assert release_unconfirmed(ctx) == ReleaseSweep()
    clock.now = SECOND - timedelta(hours=15)
    assert release_unconfirmed(ctx) == ReleaseSweep(warned=1)  # only the repeat no-show
    clock.now = FIRST - timedelta(hours=12)
    assert release_unconfirmed(ctx) == ReleaseSweep(released=1)
    with sessions() as session:
        freed = session.scalars(select(Reservation).where(Reservation.code == held.code)).one()
        kept = session.scalars(select(Reservation).where(Reservation.code == other.code)).one()
    assert (freed.status, freed.cancelled_by) == ("cancelled", "release")
    assert kept.status == "confirmed"


def test_a_pardon_before_the_warning_spares_a_reconfirm_patient(
    sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    ctx = context(sessions, clock)
    with sessions.begin() as session:
        profile = make_practice(
            session, appointment_approval_required=False, no_show_limit=1,
            no_show_action="reconfirm",
        )  # fmt: skip
        service = make_service(session, profile)
        slot = make_slot(session, service, FIRST)
        past = make_slot(session, service, clock.now - timedelta(days=3))
        session.add(
            Reservation(
                profile_id=profile.id, slot_id=past.id, service_id=service.id, code="MISS9Q",
                patient_name="Luis", patient_phone=FORGETS, status="no_show", no_show=True,
            )
        )  # fmt: skip
    assert hold_slot(ctx, profile_id=profile.id, slot_id=slot.id, intake=intake(FORGETS)).reconfirm
    forgive(ctx, profile_id=profile.id, phone=FORGETS)
    for hours in (15, 12, 1):
        clock.now = FIRST - timedelta(hours=hours)
        assert release_unconfirmed(ctx) == ReleaseSweep()
