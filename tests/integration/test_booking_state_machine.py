"""The booking engine as a state machine: whatever the sequence, every guarantee holds.

Hypothesis drives the real services against PostgreSQL (holds, answers, withdrawals,
expiry, cancellations, reschedules, visits, the clock) while the machine keeps a
small model of what each one must do. Every refusal is predicted by the model, and
after every step the database is checked against the model and the hard rules:
capacity counters, slot status, overlapping slots, one open request per patient, and
an outbox holding exactly the notifications the transitions owe.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import Engine, select, text

from app.booking.appointments import (
    cancel_reservation,
    complete_reservation,
    mark_no_show,
    reschedule_reservation,
)
from app.booking.errors import (
    AlreadyStarted,
    BookingError,
    IllegalTransition,
    NotFound,
    NotStarted,
    OpenRequestExists,
    RequestExpired,
    SlotNotBookable,
    SlotTaken,
    UpcomingAppointmentExists,
)
from app.booking.expiry import expire_overdue_holds, expire_request
from app.booking.requests import approve_request, hold_slot, reject_request, withdraw_request
from app.db import Base, make_sessionmaker
from app.models import MessageLog, Reservation, ReservationRequest, TimeSlot
from tests.conftest import FrozenClock
from tests.factories import context, intake, make_practice, make_service, make_slot

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

OPENED = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
DAY = datetime(2026, 12, 2, tzinfo=UTC)
HOLD = timedelta(minutes=30)
MIN_NOTICE = timedelta(minutes=60)
HORIZON = timedelta(days=60)


@dataclass(frozen=True)
class SlotPlan:
    service: str  # "long" (60 min) or "short" (30 min)
    start: datetime
    capacity: int = 1

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=60 if self.service == "long" else 30)

    def overlaps(self, other: SlotPlan) -> bool:
        return self.start < other.end and other.start < self.end


# Two pairs of overlapping slots of different services, one of them with room for two,
# and two overlapping hours of the long service: a move between them overlaps itself.
SLOTS = {
    "long-16:00": SlotPlan("long", DAY.replace(hour=16)),
    "long-16:30": SlotPlan("long", DAY.replace(hour=16, minute=30)),
    "short-16:30": SlotPlan("short", DAY.replace(hour=16, minute=30)),
    "short-17:30": SlotPlan("short", DAY.replace(hour=17, minute=30)),
    "short-18:00-for-two": SlotPlan("short", DAY.replace(hour=18), capacity=2),
    "long-18:00": SlotPlan("long", DAY.replace(hour=18)),
}
PHONES = ["+525511110001", "+525511110002", "+525511110003", "+525511110004"]
# From a minute to three days: holds expire, slots come too close, then pass.
# Minutes the clock moves by: mostly around a hold's 30 minutes, rarely a day or three
# (slots come too close, then pass, and appointments can be completed).
# Hypothesis favours the first entries: a hold's exact length comes first.
STEPS = [30, 31, 29, 1, 10, 20, 45, 60] * 2 + [120, 24 * 60, 3 * 24 * 60]
PLACE_KEEPING = ("confirmed", "completed", "no_show")

T = TypeVar("T")
Refusal = type[BookingError] | None  # the refusal the model expects; None: success


@dataclass
class ModelRequest:
    id: uuid.UUID
    phone: str
    slot: str
    expires_at: datetime
    status: str = "pending"


@dataclass
class ModelReservation:
    id: uuid.UUID
    phone: str
    slot: str
    status: str = "confirmed"


class BookingMachine(RuleBasedStateMachine):
    """One practice, six slots, four patients, and a doctor who answers in any order."""

    codes = Bundle("codes")  # a request's code, also its reservation's

    def __init__(self, engine: Engine, approval_required: bool) -> None:
        super().__init__()
        self.engine = engine
        self.clock = FrozenClock(OPENED)
        self.ctx = context(make_sessionmaker(engine), self.clock)
        self.approval_required = approval_required
        with self.ctx.sessions.begin() as session:
            profile = make_practice(session, appointment_approval_required=approval_required)
            services = {
                "long": make_service(session, profile, duration=60),
                "short": make_service(session, profile, duration=30),
            }
            self.slot_ids = {
                key: make_slot(session, services[plan.service], plan.start, None, plan.capacity).id
                for key, plan in SLOTS.items()
            }
        self.profile_id = profile.id
        self.doctor_phone = profile.doctor_phone or ""
        self.slot_keys = {slot_id: key for key, slot_id in self.slot_ids.items()}
        self.requests: dict[str, ModelRequest] = {}
        self.reservations: dict[str, ModelReservation] = {}
        # dedupe_key -> (purpose, recipient) of every notification owed; reschedules apart,
        # since each move is its own event: reservation id -> number of moves.
        self.outbox: dict[str, tuple[str, str]] = {}
        self.moves: Counter[uuid.UUID] = Counter()

    def teardown(self) -> None:
        tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
        with self.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} CASCADE"))

    # --- the model ---------------------------------------------------------------------

    def taken(self, slot: str) -> int:
        pending = sum(r.slot == slot and r.status == "pending" for r in self.requests.values())
        kept = sum(r.slot == slot and r.status in PLACE_KEEPING for r in self.reservations.values())
        return pending + kept

    def refusal_to_take(self, slot: str, giving_back: str | None = None) -> Refusal:
        """Why `slot` cannot be taken now (after `giving_back` is released), or None."""
        plan, now = SLOTS[slot], self.clock.now
        if plan.start <= now or plan.start < now + MIN_NOTICE or plan.start > now + HORIZON:
            return SlotNotBookable
        if self.taken(slot) - (slot == giving_back) >= plan.capacity:
            return SlotTaken
        busy = any(
            other != slot
            and SLOTS[other].overlaps(plan)
            and self.taken(other) - (other == giving_back) > 0
            for other in SLOTS
        )
        return SlotTaken if busy else None

    def upcoming_codes(self, phone: str) -> list[str]:
        """The phone's confirmed appointments still ahead (at most one without approval)."""
        return [
            code
            for code, r in self.reservations.items()
            if r.phone == phone and r.status == "confirmed" and not self.started(r)
        ]

    def started(self, reservation: ModelReservation) -> bool:
        return SLOTS[reservation.slot].start <= self.clock.now

    def open_code(self, phone: str) -> str | None:
        codes = [c for c, r in self.requests.items() if r.phone == phone and r.status == "pending"]
        assert len(codes) <= 1
        return codes[0] if codes else None

    def overdue(self, request: ModelRequest) -> bool:
        return request.status == "pending" and request.expires_at <= self.clock.now

    def owe(self, key: str, purpose: str, phone: str) -> None:
        assert key not in self.outbox, f"the model owes {key} twice"
        self.outbox[key] = (purpose, phone)

    def expire(self, code: str) -> None:
        request = self.requests[code]
        request.status = "expired"
        self.owe(f"request:{request.id}:expired", "patient_expired", request.phone)

    def confirm(self, code: str, reservation_id: uuid.UUID) -> None:
        request = self.requests[code]
        request.status = "approved"
        self.reservations[code] = ModelReservation(reservation_id, request.phone, request.slot)

    def attempt(self, action: str, expected: Refusal, call: Callable[[], T]) -> T | None:
        """Run `call`; it must be refused with exactly `expected` (None: must succeed)."""
        try:
            result = call()
        except BookingError as refusal:
            event(f"{action}: {type(refusal).__name__}")
            assert type(refusal) is expected, f"{action}: {refusal!r}, expected {expected}"
            return None
        event(f"{action}: done")
        assert expected is None, f"{action}: done, expected {expected}"
        return result

    def answer_refusal(self, request: ModelRequest) -> Refusal:
        if self.overdue(request):
            return RequestExpired
        return None if request.status == "pending" else IllegalTransition

    # --- the rules ---------------------------------------------------------------------

    @rule(target=codes, slot=st.sampled_from(sorted(SLOTS)), phone=st.sampled_from(PHONES))
    def hold(self, slot: str, phone: str) -> object:
        # The window first, then (without approval) the one upcoming appointment, then
        # the one open request, then capacity.
        expected = self.refusal_to_take(slot)
        if expected is not SlotNotBookable:
            if not self.approval_required and self.upcoming_codes(phone):
                expected = UpcomingAppointmentExists
            elif self.open_code(phone):
                expected = OpenRequestExists
        hold = self.attempt(
            "hold",
            expected,
            partial(
                hold_slot,
                self.ctx,
                profile_id=self.profile_id,
                slot_id=self.slot_ids[slot],
                intake=intake(phone),
            ),
        )
        if hold is None:
            return multiple()
        assert hold.expires_at == min(self.clock.now + HOLD, SLOTS[slot].start)
        self.requests[hold.code] = ModelRequest(hold.request_id, phone, slot, hold.expires_at)
        if self.approval_required:
            assert not hold.confirmed
            self.owe(f"request:{hold.request_id}:new", "doctor_new_request", self.doctor_phone)
        else:
            assert hold.reservation_id is not None
            self.confirm(hold.code, hold.reservation_id)
            self.owe(f"request:{hold.request_id}:booked", "doctor_new_booking", self.doctor_phone)
        return hold.code

    @rule(code=codes)
    def approve(self, code: str) -> None:
        request = self.requests[code]
        expected = self.answer_refusal(request)
        call = partial(approve_request, self.ctx, profile_id=self.profile_id, code=code)
        reservation = self.attempt("approve", expected, call)
        if expected is RequestExpired:
            self.expire(code)
        if reservation is not None:
            assert (reservation.code, reservation.request_id) == (code, request.id)
            self.confirm(code, reservation.id)
            self.owe(f"request:{request.id}:approved", "patient_approved", request.phone)

    @rule(code=codes, reason=st.sampled_from([None, "Agenda llena"]))
    def reject(self, code: str, reason: str | None) -> None:
        request = self.requests[code]
        expected = self.answer_refusal(request)
        call = partial(
            reject_request, self.ctx, profile_id=self.profile_id, code=code, reason=reason
        )
        rejected = self.attempt("reject", expected, call)
        if expected is RequestExpired:
            self.expire(code)
        if rejected is not None:
            request.status = "rejected"
            self.owe(f"request:{request.id}:rejected", "patient_rejected", request.phone)

    @precondition(lambda self: self.pending_codes())
    @rule(phone=st.sampled_from(PHONES))
    def withdraw(self, phone: str) -> None:
        code = self.open_code(phone)
        call = partial(withdraw_request, self.ctx, profile_id=self.profile_id, phone=phone)
        withdrawn = self.attempt("withdraw", None if code else NotFound, call)
        if withdrawn is not None and code is not None:
            # Even past its deadline: the patient's word ends the hold before the sweep does.
            assert withdrawn.code == code
            request = self.requests[code]
            request.status = "cancelled"
            self.owe(
                f"request:{request.id}:withdrawn", "doctor_request_withdrawn", self.doctor_phone
            )

    @precondition(lambda self: self.pending_codes())
    @rule()
    def sweep_expired_holds(self) -> None:
        due = [code for code, request in self.requests.items() if self.overdue(request)]
        event(f"sweep: {min(len(due), 2)}{'+' if len(due) > 2 else ''} due")
        assert expire_overdue_holds(self.ctx, batch_size=2) == len(due)
        for code in due:
            self.expire(code)

    @rule(code=codes)
    def expiry_job(self, code: str) -> None:
        request = self.requests[code]
        due = self.overdue(request)
        event(f"expiry job: {'due' if due else 'nothing to do'}")
        assert expire_request(self.ctx, request.id) is due
        if due:
            self.expire(code)

    @rule(code=codes, by=st.sampled_from(["doctor", "patient", "someone else"]))
    def cancel(self, code: str, by: str) -> None:
        reservation = self.reservations.get(code)
        phone = {"doctor": None, "patient": self.requests[code].phone, "someone else": "+1999"}[by]
        expected: Refusal = None
        if reservation is None or by == "someone else":
            expected = NotFound
        elif reservation.status != "confirmed":
            expected = IllegalTransition
        elif self.started(reservation):
            expected = AlreadyStarted
        call = partial(
            cancel_reservation, self.ctx, profile_id=self.profile_id, code=code, patient_phone=phone
        )
        if self.attempt(f"cancel by {by}", expected, call) is None or reservation is None:
            return
        reservation.status = "cancelled"
        key = f"reservation:{reservation.id}:cancelled"
        if by == "doctor":
            self.owe(key, "patient_cancelled_by_doctor", reservation.phone)
        else:
            self.owe(key, "doctor_cancelled_by_patient", self.doctor_phone)

    @rule(code=codes, slot=st.sampled_from(sorted(SLOTS)))
    def reschedule(self, code: str, slot: str) -> None:
        reservation = self.reservations.get(code)
        expected: Refusal
        if reservation is None:
            expected = NotFound
        elif reservation.status != "confirmed":
            expected = IllegalTransition
        elif self.started(reservation):
            expected = AlreadyStarted
        else:
            # The window, then "same slot" or "another service", then capacity.
            expected = self.refusal_to_take(slot, giving_back=reservation.slot)
            elsewhere = SLOTS[slot].service != SLOTS[reservation.slot].service
            if slot == reservation.slot or elsewhere:
                expected = SlotNotBookable
        call = partial(
            reschedule_reservation,
            self.ctx,
            profile_id=self.profile_id,
            code=code,
            patient_phone=self.requests[code].phone,
            new_slot_id=self.slot_ids[slot],
        )
        moved = self.attempt("reschedule", expected, call)
        if moved is not None and reservation is not None:
            assert moved.slot_id == self.slot_ids[slot]
            if SLOTS[slot].overlaps(SLOTS[reservation.slot]):
                event("reschedule: onto its own old time")
            reservation.slot = slot
            self.moves[reservation.id] += 1

    @rule(code=codes, outcome=st.sampled_from(["completed", "no_show"]))
    def finish(self, code: str, outcome: str) -> None:
        reservation = self.reservations.get(code)
        expected: Refusal = None
        if reservation is None:
            expected = NotFound
        elif reservation.status != "confirmed":
            expected = IllegalTransition
        elif SLOTS[reservation.slot].start > self.clock.now:
            expected = NotStarted
        finish = complete_reservation if outcome == "completed" else mark_no_show
        done = self.attempt(
            outcome, expected, partial(finish, self.ctx, profile_id=self.profile_id, code=code)
        )
        if done is not None and reservation is not None:
            reservation.status = outcome

    # Picking codes from the bundle mostly finds requests already answered; these rules
    # aim at the live ones, so that successes are as common as refusals.

    def live(self, pick: int, codes: list[str]) -> str:
        # By age, never by code: codes are random, and the choice must replay the same.
        return codes[pick % len(codes)]

    def pending_codes(self) -> list[str]:
        return [code for code, r in self.requests.items() if r.status == "pending"]

    def confirmed_codes(self) -> list[str]:
        return [code for code, r in self.reservations.items() if r.status == "confirmed"]

    @precondition(lambda self: self.pending_codes())
    @rule(pick=st.integers(0, 7), approve=st.booleans())
    def doctor_answers_a_waiting_request(self, pick: int, approve: bool) -> None:
        code = self.live(pick, self.pending_codes())
        if approve:
            self.approve(code)
        else:
            self.reject(code, reason=None)

    @precondition(lambda self: self.confirmed_codes())
    @rule(pick=st.integers(0, 7), slot=st.sampled_from(sorted(SLOTS)))
    def patient_moves_an_appointment(self, pick: int, slot: str) -> None:
        self.reschedule(self.live(pick, self.confirmed_codes()), slot)

    @precondition(lambda self: self.confirmed_codes())
    @rule(pick=st.integers(0, 7), by=st.sampled_from(["doctor", "patient"]))
    def someone_cancels_an_appointment(self, pick: int, by: str) -> None:
        self.cancel(self.live(pick, self.confirmed_codes()), by)

    @rule(minutes=st.integers(0, len(STEPS) - 1).map(STEPS.__getitem__))
    def time_passes(self, minutes: int) -> None:
        event(f"time passes: {minutes} min")
        self.clock.advance(minutes=minutes)

    # --- what must hold after every step ----------------------------------------------

    @invariant()
    def slots_tell_the_truth_about_their_capacity(self) -> None:
        with self.ctx.sessions() as session:
            slots = {
                self.slot_keys[s.id]: s
                for s in session.scalars(
                    select(TimeSlot).where(TimeSlot.profile_id == self.profile_id)
                )
            }
            pending = Counter(
                self.slot_keys[slot_id]
                for slot_id in session.scalars(
                    select(ReservationRequest.slot_id).where(
                        ReservationRequest.profile_id == self.profile_id,
                        ReservationRequest.status == "pending",
                    )
                )
            )
            deadlines = dict(
                session.execute(
                    select(ReservationRequest.slot_id, ReservationRequest.expires_at)
                    .where(
                        ReservationRequest.profile_id == self.profile_id,
                        ReservationRequest.status == "pending",
                    )
                    .order_by(ReservationRequest.expires_at)
                ).all()
            )
            kept = Counter(
                self.slot_keys[slot_id]
                for slot_id in session.scalars(
                    select(Reservation.slot_id).where(
                        Reservation.profile_id == self.profile_id,
                        Reservation.status.in_(PLACE_KEEPING),
                    )
                )
            )
        for key, slot in slots.items():
            assert 0 <= slot.current_reservations <= slot.max_reservations, key
            assert slot.current_reservations == pending[key] + kept[key], key
            assert slot.current_reservations == self.taken(key), key
            if slot.current_reservations < slot.max_reservations:
                status = "available"
            else:
                status = "pending_approval" if pending[key] else "reserved"
            assert slot.status == status, key
            assert slot.expires_at == deadlines.get(self.slot_ids[key]), key
        for key, slot in slots.items():
            for other, neighbour in slots.items():
                if key < other and SLOTS[key].overlaps(SLOTS[other]):
                    assert not (slot.current_reservations and neighbour.current_reservations)

    @invariant()
    def requests_and_reservations_match_the_model(self) -> None:
        with self.ctx.sessions() as session:
            requests = {
                code: (status, self.slot_keys[slot_id], phone)
                for code, status, slot_id, phone in session.execute(
                    select(
                        ReservationRequest.code,
                        ReservationRequest.status,
                        ReservationRequest.slot_id,
                        ReservationRequest.patient_phone,
                    ).where(ReservationRequest.profile_id == self.profile_id)
                )
            }
            reservations = {
                code: (status, self.slot_keys[slot_id])
                for code, status, slot_id in session.execute(
                    select(Reservation.code, Reservation.status, Reservation.slot_id).where(
                        Reservation.profile_id == self.profile_id
                    )
                )
            }
        assert requests == {code: (r.status, r.slot, r.phone) for code, r in self.requests.items()}
        assert reservations == {code: (r.status, r.slot) for code, r in self.reservations.items()}
        open_per_phone = Counter(
            phone for status, _, phone in requests.values() if status == "pending"
        )
        assert all(count == 1 for count in open_per_phone.values())
        if not self.approval_required:
            assert all(len(self.upcoming_codes(phone)) <= 1 for phone in PHONES)

    @invariant()
    def the_outbox_holds_each_owed_notification_exactly_once(self) -> None:
        with self.ctx.sessions() as session:
            rows = session.execute(
                select(MessageLog.dedupe_key, MessageLog.purpose, MessageLog.phone).where(
                    MessageLog.profile_id == self.profile_id
                )
            ).all()
        keys = Counter(key for key, _, _ in rows)
        assert all(count == 1 for count in keys.values())
        moves: Counter[uuid.UUID] = Counter()
        notifications: dict[str, tuple[str, str]] = {}
        for key, purpose, phone in rows:
            if ":moved:" in key:
                assert (purpose, phone) == ("doctor_rescheduled", self.doctor_phone)
                moves[uuid.UUID(key.split(":")[1])] += 1
            else:
                notifications[key] = (purpose, phone)
        assert notifications == self.outbox
        assert moves == self.moves


def run_machine(engine: Engine, approval_required: bool, examples: int) -> None:
    run_state_machine_as_test(
        lambda: BookingMachine(engine, approval_required),
        settings=settings(
            max_examples=examples,
            stateful_step_count=40,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


def test_any_sequence_of_booking_actions_keeps_every_guarantee(engine: Engine) -> None:
    run_machine(engine, approval_required=True, examples=40)


def test_a_practice_without_approval_keeps_every_guarantee_too(engine: Engine) -> None:
    run_machine(engine, approval_required=False, examples=15)
