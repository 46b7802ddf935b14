"""The booking guarantees under real concurrency: threads, each on its own connection.

Every race starts its competitors together on a `threading.Barrier` and then reads
the outcome back from PostgreSQL: capacity counters, requests, reservations, slot
status and the outbox must tell one consistent story, whoever won.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, func, select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.booking.appointments import reschedule_reservation
from app.booking.context import BookingContext
from app.booking.errors import IllegalTransition, OpenRequestExists, RequestExpired, SlotTaken
from app.booking.expiry import expire_overdue_holds, expire_request
from app.booking.requests import Hold, approve_request, hold_slot, reject_request
from app.db import Base, Savepoints, make_engine, make_sessionmaker
from app.models import (
    MessageLog,
    RequestStatus,
    Reservation,
    ReservationRequest,
    TimeSlot,
)
from tests.conftest import FrozenClock
from tests.factories import context, intake, make_practice, make_service, make_slot

CROWD = 200
HOLD_ROUNDS = 20
OVERLAP_ROUNDS = 50
OVERLAP_CROWD = 4
DECISION_ROUNDS = 100
ANSWER_ROUNDS = 50
BARRIER_TIMEOUT = 60  # seconds; only reached if a competitor never starts
SERVER_FULL_PATIENCE = 180  # seconds to wait for connections held by other runs

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture(scope="module")
def wide_engine(database_url: str) -> Iterator[Engine]:
    """An engine with a connection already open for each of the crowd's threads."""
    # Fresh, test-local connections: no need to ping each one before every checkout.
    engine = make_engine(database_url, pool_size=CROWD + 2, max_overflow=0, pool_pre_ping=False)
    # Connect everyone up front, so that the barrier releases threads into the race
    # itself and not into a queue of TCP handshakes.
    connections = [connect_patiently(engine) for _ in range(CROWD + 2)]
    for connection in connections:
        connection.close()
    yield engine
    engine.dispose()


def connect_patiently(engine: Engine) -> Connection:
    """A connection, waiting while the server is full (other test runs share it)."""
    deadline = time.monotonic() + SERVER_FULL_PATIENCE
    while True:
        try:
            return engine.connect()
        except OperationalError as error:
            if "too many clients" not in str(error) or time.monotonic() > deadline:
                raise
            threading.Event().wait(0.5)


@pytest.fixture
def crowd_sessions(wide_engine: Engine) -> Iterator[sessionmaker[Session]]:
    """Sessions for racing threads; every table is emptied afterwards."""
    yield make_sessionmaker(wide_engine)
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with wide_engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} CASCADE"))


def run_together(calls: Sequence[Callable[[], object]]) -> list[object]:
    """Start every call at the same instant, each in its own thread; results or exceptions."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], object]) -> object:
        barrier.wait(timeout=BARRIER_TIMEOUT)
        try:
            return call()
        except Exception as error:  # every outcome is judged by the test
            return error

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def kinds(outcomes: Sequence[object]) -> Counter[str]:
    """How many outcomes of each kind: `Hold`, `SlotTaken`, `Reservation`..."""
    return Counter(type(outcome).__name__ for outcome in outcomes)


@dataclass(frozen=True)
class SlotBooks:
    """What the database says about one slot: its counter and what stands behind it."""

    status: str
    current: int
    capacity: int
    pending: int
    reservations: int


def books_of(sessions: sessionmaker[Session], slot_id: uuid.UUID) -> SlotBooks:
    with sessions() as session:
        slot = session.get_one(TimeSlot, slot_id)
        pending = session.scalar(
            select(func.count()).where(
                ReservationRequest.slot_id == slot_id,
                ReservationRequest.status == RequestStatus.PENDING,
            )
        )
        reservations = session.scalar(
            select(func.count()).where(
                Reservation.slot_id == slot_id, Reservation.status != "cancelled"
            )
        )
        return SlotBooks(
            slot.status, slot.current_reservations, slot.max_reservations, pending, reservations
        )


def purposes_for(sessions: sessionmaker[Session], request_id: uuid.UUID) -> Counter[str]:
    """The outbox messages a request's transitions queued, by purpose."""
    with sessions() as session:
        rows = session.scalars(
            select(MessageLog.purpose).where(MessageLog.dedupe_key.like(f"request:{request_id}:%"))
        )
        return Counter(rows)


def overlapping_taken_pairs(sessions: sessionmaker[Session]) -> int:
    """Pairs of overlapping slots of one doctor that are both taken (must be none)."""
    with sessions() as session:
        return (
            session.scalar(
                text(
                    "SELECT count(*) FROM time_slot a JOIN time_slot b"
                    " ON a.profile_id = b.profile_id AND a.id < b.id"
                    " AND a.start_time < b.end_time AND b.start_time < a.end_time"
                    " WHERE a.current_reservations > 0 AND b.current_reservations > 0"
                )
            )
            or 0
        )


def crowd_phone(round_no: int, patient: int) -> str:
    return f"+521{round_no:03d}{patient:07d}"


def slot_starts(clock: FrozenClock, count: int, every: timedelta) -> list[datetime]:
    first = clock.now.replace(minute=0) + timedelta(days=2)
    return [first + every * i for i in range(count)]


# --- 1. Many patients, one slot ---------------------------------------------------------


@pytest.mark.parametrize(("capacity", "patients", "rounds"), [(1, CROWD, HOLD_ROUNDS), (3, 100, 3)])
def test_a_crowd_holding_one_slot_gets_exactly_its_capacity_and_no_more(
    crowd_sessions: sessionmaker[Session],
    clock: FrozenClock,
    capacity: int,
    patients: int,
    rounds: int,
) -> None:
    with crowd_sessions.begin() as session:
        profile = make_practice(session)
        service = make_service(session, profile)
        slot_ids = [
            make_slot(session, service, start, capacity=capacity).id
            for start in slot_starts(clock, rounds, timedelta(minutes=30))
        ]
    ctx = context(crowd_sessions, clock)

    for round_no, slot_id in enumerate(slot_ids):
        hold = partial(hold_slot, ctx, profile_id=profile.id, slot_id=slot_id)
        outcomes = run_together(
            [partial(hold, intake=intake(crowd_phone(round_no, n))) for n in range(patients)]
        )

        assert kinds(outcomes) == {"Hold": capacity, "SlotTaken": patients - capacity}
        assert books_of(crowd_sessions, slot_id) == SlotBooks(
            "pending_approval", capacity, capacity, pending=capacity, reservations=0
        )
        for won in outcomes:
            if isinstance(won, Hold):
                assert purposes_for(crowd_sessions, won.request_id) == {"doctor_new_request": 1}
    with crowd_sessions() as check:
        assert check.scalar(select(func.count()).select_from(MessageLog)) == rounds * capacity
        assert check.scalar(select(func.count()).select_from(ReservationRequest)) == (
            rounds * capacity
        )


def test_one_patient_racing_for_many_slots_keeps_a_single_open_request(
    crowd_sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    with crowd_sessions.begin() as session:
        profile = make_practice(session)
        service = make_service(session, profile)
        slot_ids = [
            make_slot(session, service, start).id
            for start in slot_starts(clock, 20, timedelta(minutes=30))
        ]
    ctx = context(crowd_sessions, clock)
    patient = intake("+525500000001")

    hold = partial(hold_slot, ctx, profile_id=profile.id, intake=patient)
    outcomes = run_together([partial(hold, slot_id=slot_id) for slot_id in slot_ids])

    assert kinds(outcomes) == {"Hold": 1, "OpenRequestExists": len(slot_ids) - 1}
    (won,) = [outcome for outcome in outcomes if isinstance(outcome, Hold)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, OpenRequestExists)]
    assert {refusal.code for refusal in refused} == {won.code}
    taken = [books_of(crowd_sessions, slot_id).current for slot_id in slot_ids]
    assert sorted(taken) == [0] * (len(slot_ids) - 1) + [1]


# --- 2. Overlapping slots of two services ------------------------------------------------


def hold_inside_a_message(ctx: BookingContext, **booking: Any) -> object:
    """`hold_slot` as the conversation calls it: a savepoint of the message's transaction.

    After a refusal the message's transaction must go on (here: one more statement,
    then the commit), as it does to answer the patient.
    """
    with ctx.sessions.begin() as session:
        try:
            return hold_slot(replace(ctx, sessions=Savepoints(session)), **booking)
        except SlotTaken as refusal:
            session.execute(select(1))
            return refusal


@dataclass(frozen=True)
class OverlapBench:
    """Pairs of slots one doctor cannot both serve: 10:00-11:00 (60 min) and 10:30-11:00."""

    profile_id: uuid.UUID
    ctx: BookingContext
    pairs: list[tuple[uuid.UUID, uuid.UUID]]

    def race(
        self, round_no: int, per_slot: int, hold: Callable[..., object] = hold_slot
    ) -> list[object]:
        """`per_slot` patients on each slot of pair `round_no`, all at once."""
        return run_together(
            [
                partial(
                    hold,
                    self.ctx,
                    profile_id=self.profile_id,
                    slot_id=slot_id,
                    intake=intake(crowd_phone(round_no, side * 100 + patient)),
                )
                for side, slot_id in enumerate(self.pairs[round_no])
                for patient in range(per_slot)
            ]
        )

    def assert_one_taken(self, round_no: int) -> None:
        books = sorted(
            (books_of(self.ctx.sessions, slot_id) for slot_id in self.pairs[round_no]),
            key=lambda books: books.current,
        )
        assert [(b.current, b.pending) for b in books] == [(0, 0), (1, 1)], f"round {round_no}"


@pytest.fixture
def overlaps(crowd_sessions: sessionmaker[Session], clock: FrozenClock) -> OverlapBench:
    with crowd_sessions.begin() as session:
        profile = make_practice(session)
        long_visit = make_service(session, profile, duration=60)
        short_visit = make_service(session, profile, duration=30)
        pairs = [
            (
                make_slot(session, long_visit, start).id,
                make_slot(session, short_visit, start + timedelta(minutes=30)).id,
            )
            for start in slot_starts(clock, OVERLAP_ROUNDS, timedelta(hours=2))
        ]
    return OverlapBench(profile.id, context(crowd_sessions, clock), pairs)


@pytest.mark.parametrize("per_slot", [1, OVERLAP_CROWD], ids=["one-each", "a-crowd-each"])
def test_overlapping_slots_of_two_services_are_never_both_taken(
    overlaps: OverlapBench, per_slot: int
) -> None:
    for round_no in range(OVERLAP_ROUNDS):
        outcomes = overlaps.race(round_no, per_slot)

        assert kinds(outcomes) == {"Hold": 1, "SlotTaken": 2 * per_slot - 1}, (
            f"round {round_no}: {outcomes}"
        )
        overlaps.assert_one_taken(round_no)
    assert overlapping_taken_pairs(overlaps.ctx.sessions) == 0


@pytest.mark.parametrize(
    "hold", [hold_slot, hold_inside_a_message], ids=["own-transaction", "inside-a-message"]
)
def test_the_loser_of_an_overlapping_race_is_told_the_slot_is_taken(
    overlaps: OverlapBench, hold: Callable[..., object]
) -> None:
    """Not a deadlock (a 500): the loser is refused like any patient who came second."""
    for round_no in range(OVERLAP_ROUNDS):
        outcomes = overlaps.race(round_no, per_slot=1, hold=hold)

        assert kinds(outcomes) == {"Hold": 1, "SlotTaken": 1}, f"round {round_no}: {outcomes}"
        overlaps.assert_one_taken(round_no)


def test_a_move_racing_a_hold_of_an_overlapping_slot_leaves_one_taker(
    crowd_sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    """A reschedule takes capacity too: against a hold of an overlapping slot, one wins."""
    with crowd_sessions.begin() as session:
        profile = make_practice(session, appointment_approval_required=False)
        long_visit = make_service(session, profile, duration=60)
        short_visit = make_service(session, profile, duration=30)
        rounds = [
            (
                make_slot(session, long_visit, start + timedelta(days=5)).id,  # booked first
                make_slot(session, long_visit, start).id,  # the move's target
                make_slot(session, short_visit, start + timedelta(minutes=30)).id,
            )
            for start in slot_starts(clock, OVERLAP_ROUNDS, timedelta(hours=2))
        ]
    ctx = context(crowd_sessions, clock)

    for round_no, (booked, target, other) in enumerate(rounds):
        mover = crowd_phone(round_no, 1)
        code = hold_slot(ctx, profile_id=profile.id, slot_id=booked, intake=intake(mover)).code
        move = partial(
            reschedule_reservation,
            ctx,
            profile_id=profile.id,
            code=code,
            patient_phone=mover,
            new_slot_id=target,
        )
        other_hold = partial(
            hold_slot,
            ctx,
            profile_id=profile.id,
            slot_id=other,
            intake=intake(crowd_phone(round_no, 2)),
        )
        moved, held = run_together([move, other_hold])

        assert kinds([moved, held]) in (
            {"Reservation": 1, "SlotTaken": 1},
            {"SlotTaken": 1, "Hold": 1},
        ), f"round {round_no}: {moved!r}, {held!r}"
        places = [books_of(crowd_sessions, slot).current for slot in (booked, target, other)]
        assert places == ([0, 1, 0] if isinstance(moved, Reservation) else [1, 0, 1])
    assert overlapping_taken_pairs(crowd_sessions) == 0


# --- 3. The doctor's answer racing the deadline, and the doctor's two answers -------------


@dataclass(frozen=True)
class Ending:
    """How a request ended, as the database tells it."""

    request: str
    reservations: int
    slot: SlotBooks
    outbox: Counter[str]


def ending_of(sessions: sessionmaker[Session], hold: Hold, slot_id: uuid.UUID) -> Ending:
    with sessions() as session:
        request = session.get_one(ReservationRequest, hold.request_id)
        reservations = session.scalar(
            select(func.count()).where(Reservation.request_id == hold.request_id)
        )
    return Ending(
        request.status,
        reservations or 0,
        books_of(sessions, slot_id),
        purposes_for(sessions, hold.request_id),
    )


APPROVED = Ending(
    "approved",
    1,
    SlotBooks("reserved", 1, 1, pending=0, reservations=1),
    Counter({"doctor_new_request": 1, "patient_approved": 1}),
)
EXPIRED = Ending(
    "expired",
    0,
    SlotBooks("available", 0, 1, pending=0, reservations=0),
    Counter({"doctor_new_request": 1, "patient_expired": 1}),
)
REJECTED = Ending(
    "rejected",
    0,
    SlotBooks("available", 0, 1, pending=0, reservations=0),
    Counter({"doctor_new_request": 1, "patient_rejected": 1}),
)


@dataclass
class DecisionBench:
    """A practice with one slot per round, and a hold placed on a slot when asked."""

    profile_id: uuid.UUID
    sessions: sessionmaker[Session]
    slot_ids: list[uuid.UUID]
    opened: datetime

    def hold(self, round_no: int) -> Hold:
        ctx = context(self.sessions, FrozenClock(self.opened))
        return hold_slot(
            ctx,
            profile_id=self.profile_id,
            slot_id=self.slot_ids[round_no],
            intake=intake(crowd_phone(round_no, 1)),
        )

    def at(self, instant: datetime) -> BookingContext:
        return context(self.sessions, FrozenClock(instant))


@pytest.fixture
def decisions(crowd_sessions: sessionmaker[Session], clock: FrozenClock) -> DecisionBench:
    with crowd_sessions.begin() as session:
        profile = make_practice(session)
        service = make_service(session, profile)
        slot_ids = [
            make_slot(session, service, start).id
            for start in slot_starts(clock, DECISION_ROUNDS, timedelta(minutes=30))
        ]
    return DecisionBench(profile.id, crowd_sessions, slot_ids, clock.now)


def test_an_approval_at_the_deadline_racing_the_expiry_ends_expired_exactly_once(
    decisions: DecisionBench,
) -> None:
    for round_no in range(DECISION_ROUNDS):
        hold = decisions.hold(round_no)
        deadline = decisions.at(hold.expires_at)
        # The job scheduled at the deadline on even rounds, the safety-net sweep on odd.
        expire: Callable[[], object] = (
            partial(expire_overdue_holds, deadline)
            if round_no % 2
            else partial(expire_request, deadline, hold.request_id)
        )
        approve = partial(
            approve_request, deadline, profile_id=decisions.profile_id, code=hold.code
        )
        approval, expiry = run_together([approve, expire])

        # Exactly one of the two did the expiring: the approval itself (it finds the
        # hold overdue) or the expiry, after which the approval finds nothing to approve.
        if isinstance(approval, RequestExpired):
            assert expiry in (0, False), f"round {round_no}"
        else:
            assert isinstance(approval, IllegalTransition), f"round {round_no}: {approval!r}"
            assert expiry in (1, True), f"round {round_no}"
        assert ending_of(decisions.sessions, hold, decisions.slot_ids[round_no]) == EXPIRED


def test_an_approval_a_second_early_racing_the_expiry_ends_in_exactly_one_state(
    decisions: DecisionBench,
) -> None:
    """The doctor's process runs a second behind the sweep's: either may win, never both."""
    for round_no in range(DECISION_ROUNDS):
        hold = decisions.hold(round_no)
        deadline = decisions.at(hold.expires_at)
        doctor = decisions.at(hold.expires_at - timedelta(seconds=1))
        approval, expired = run_together(
            [
                partial(approve_request, doctor, profile_id=decisions.profile_id, code=hold.code),
                partial(expire_overdue_holds, deadline),
            ]
        )

        ending = ending_of(decisions.sessions, hold, decisions.slot_ids[round_no])
        if isinstance(approval, Reservation):
            assert (expired, ending) == (0, APPROVED), f"round {round_no}"
        else:
            assert isinstance(approval, IllegalTransition), f"round {round_no}: {approval!r}"
            assert (expired, ending) == (1, EXPIRED), f"round {round_no}"


def test_approve_racing_reject_ends_in_exactly_one_answer(decisions: DecisionBench) -> None:
    for round_no in range(ANSWER_ROUNDS):
        hold = decisions.hold(round_no)
        doctor = decisions.at(decisions.opened + timedelta(minutes=10))
        answer = {"profile_id": decisions.profile_id, "code": hold.code}
        approval, rejection = run_together(
            [
                partial(approve_request, doctor, **answer),
                partial(reject_request, doctor, **answer, reason="Lleno"),
            ]
        )

        ending = ending_of(decisions.sessions, hold, decisions.slot_ids[round_no])
        assert kinds([approval, rejection]) in (
            {"Reservation": 1, "IllegalTransition": 1},
            {"ReservationRequest": 1, "IllegalTransition": 1},
        ), f"round {round_no}: {approval!r}, {rejection!r}"
        assert ending == (APPROVED if isinstance(approval, Reservation) else REJECTED)


def test_the_database_refuses_two_overlapping_taken_slots_even_without_the_service(
    crowd_sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    """The exclusion constraint is the last line: a raw UPDATE cannot break the rule."""
    with crowd_sessions.begin() as session:
        profile = make_practice(session)
        long_visit = make_service(session, profile, duration=60)
        short_visit = make_service(session, profile, duration=30)
        start = slot_starts(clock, 1, timedelta(hours=1))[0]
        first = make_slot(session, long_visit, start)
        second = make_slot(session, short_visit, start + timedelta(minutes=30))
        first.current_reservations = 1
    with pytest.raises(IntegrityError, match="ex_time_slot_no_overlap"):  # noqa: SIM117
        with crowd_sessions.begin() as session:
            session.get_one(TimeSlot, second.id).current_reservations = 1
    assert overlapping_taken_pairs(crowd_sessions) == 0
