"""The booking engine end to end on PostgreSQL: every transition and what it owes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.booking.appointments import (
    add_note,
    cancel_reservation,
    complete_reservation,
    mark_no_show,
    reschedule_reservation,
)
from app.booking.blocking import block_period
from app.booking.context import BookingContext
from app.booking.errors import (
    AlreadyStarted,
    IllegalTransition,
    NotFound,
    NotStarted,
    OpenRequestExists,
    RequestExpired,
    SlotNotBookable,
    SlotTaken,
)
from app.booking.expiry import expire_overdue_holds, expire_request
from app.booking.intake import ContactMethod, Urgency
from app.booking.queries import doctor_agenda, patient_bookings, pending_requests
from app.booking.requests import approve_request, hold_slot, reject_request, withdraw_request
from app.models import (
    AppointmentNote,
    ClosedDate,
    MedicalService,
    MessageLog,
    Practice,
    Reservation,
    ReservationRequest,
    TimeSlot,
)
from bot_flows.texts import when
from tests.conftest import FrozenClock
from tests.factories import context, intake, make_practice, make_service, make_slot

MEXICO_CITY = ZoneInfo("America/Mexico_City")


@dataclass
class PracticeSetup:
    profile: Practice
    service: MedicalService
    slots: list[TimeSlot]
    ctx: BookingContext


@pytest.fixture
def practice(sessions: sessionmaker[Session], clock: FrozenClock) -> PracticeSetup:
    with sessions.begin() as session:
        profile = make_practice(session)
        service = make_service(session, profile)
        first = clock.now.replace(minute=0) + timedelta(days=2)
        slots = [make_slot(session, service, first + timedelta(minutes=30 * i)) for i in range(4)]
    return PracticeSetup(profile, service, slots, context(sessions, clock))


def outbox(sessions: sessionmaker[Session]) -> list[tuple[str, str]]:
    with sessions() as session:
        rows = session.execute(
            select(MessageLog.purpose, MessageLog.phone).order_by(MessageLog.created_at)
        )
        return [tuple(row) for row in rows]


def slot_state(sessions: sessionmaker[Session], slot: TimeSlot) -> tuple[str, int]:
    with sessions() as session:
        fresh = session.get_one(TimeSlot, slot.id)
        return fresh.status, fresh.current_reservations


def test_hold_then_approve_confirms_and_tells_each_side(
    practice: PracticeSetup, sessions: sessionmaker[Session]
) -> None:
    patient = intake()
    hold = hold_slot(
        practice.ctx, profile_id=practice.profile.id, slot_id=practice.slots[0].id, intake=patient
    )
    assert not hold.confirmed
    assert slot_state(sessions, practice.slots[0]) == ("pending_approval", 1)
    assert outbox(sessions) == [("doctor_new_request", practice.profile.doctor_phone)]

    reservation = approve_request(practice.ctx, profile_id=practice.profile.id, code=hold.code)

    assert reservation.code == hold.code
    assert reservation.price_at_booking == practice.service.price
    assert reservation.reminder_24h_scheduled and reservation.reminder_2h_scheduled
    assert slot_state(sessions, practice.slots[0]) == ("reserved", 1)
    assert outbox(sessions)[-1] == ("patient_approved", patient.phone)


def test_approval_records_who_and_when_and_keeps_the_whole_intake(
    practice: PracticeSetup, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    patient = intake(
        name="Juan Soto",
        age=61,
        gender="M",
        email="juan@example.com",
        chief_complaint="Tos seca",
        symptoms="Fiebre desde ayer",
        medical_history="Asma",
        current_medications="Salbutamol",
        allergies="Penicilina",
        urgency=Urgency.HIGH,
        contact_method=ContactMethod.EMAIL,
    )
    slot = practice.slots[1]
    hold = hold_slot(practice.ctx, profile_id=practice.profile.id, slot_id=slot.id, intake=patient)
    clock.advance(minutes=10)
    reservation = approve_request(practice.ctx, profile_id=practice.profile.id, code=hold.code)
    with sessions() as session:
        request = session.get_one(ReservationRequest, hold.request_id)
        stored = session.get_one(Reservation, reservation.id)
    assert request.status == "approved"
    assert (request.approved_by, request.approved_at) == (practice.profile.id, clock.now)
    assert request.requested_time == slot.start_time
    assert request.rejection_reason is None
    assert (
        request.patient_name, request.patient_phone, request.patient_email,
        request.patient_age, request.patient_gender, request.chief_complaint,
        request.symptoms, request.medical_history, request.current_medications,
        request.allergies, request.urgency_level, request.preferred_contact_method,
    ) == (
        "Juan Soto", patient.phone, "juan@example.com", 61, "M", "Tos seca",
        "Fiebre desde ayer", "Asma", "Salbutamol", "Penicilina", "high", "email",
    )  # fmt: skip
    assert stored.request_id == request.id and stored.slot_id == slot.id
    assert (stored.patient_name, stored.patient_phone, stored.patient_email) == (
        "Juan Soto",
        patient.phone,
        "juan@example.com",
    )
    assert (stored.source, stored.status, stored.payment_status) == (
        "whatsapp",
        "confirmed",
        "pending",
    )


def test_the_doctor_notification_carries_what_the_doctor_needs(
    practice: PracticeSetup, sessions: sessionmaker[Session]
) -> None:
    hold = hold_slot(
        practice.ctx,
        profile_id=practice.profile.id,
        slot_id=practice.slots[0].id,
        intake=intake(name="Juan Soto", age=61, chief_complaint="Tos seca"),
    )
    with sessions() as session:
        body = session.scalars(select(MessageLog.body)).one()
    for expected in (hold.code, "Juan Soto", "61 años", practice.service.name, "Tos seca"):
        assert expected in body
    assert "APROBAR" in body and "diciembre" in body


def test_reject_gives_the_place_back_and_tells_the_patient_why(
    practice: PracticeSetup, sessions: sessionmaker[Session]
) -> None:
    patient = intake()
    hold = hold_slot(
        practice.ctx, profile_id=practice.profile.id, slot_id=practice.slots[0].id, intake=patient
    )
    reject_request(
        practice.ctx, profile_id=practice.profile.id, code=hold.code, reason="Agenda llena"
    )
    assert slot_state(sessions, practice.slots[0]) == ("available", 0)
    with sessions() as session:
        body = session.scalar(
            select(MessageLog.body).where(MessageLog.purpose == "patient_rejected")
        )
        request = session.get_one(ReservationRequest, hold.request_id)
        reservations = session.scalar(select(func.count()).select_from(Reservation))
    assert body is not None and "Agenda llena" in body
    assert (request.status, request.rejection_reason) == ("rejected", "Agenda llena")
    assert (request.approved_by, request.approved_at) == (None, None)
    assert request.requested_time == practice.slots[0].start_time
    assert reservations == 0


def test_a_late_approval_expires_the_hold_and_says_so(
    practice: PracticeSetup, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    hold = hold_slot(
        practice.ctx, profile_id=practice.profile.id, slot_id=practice.slots[0].id, intake=intake()
    )
    clock.advance(minutes=31)
    with pytest.raises(RequestExpired):
        approve_request(practice.ctx, profile_id=practice.profile.id, code=hold.code)
    assert slot_state(sessions, practice.slots[0]) == ("available", 0)
    assert [p for p, _ in outbox(sessions)] == ["doctor_new_request", "patient_expired"]
    with pytest.raises(IllegalTransition):
        approve_request(practice.ctx, profile_id=practice.profile.id, code=hold.code)


def test_expiry_job_and_sweep_end_every_overdue_hold_once(
    practice: PracticeSetup, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    holds = [
        hold_slot(practice.ctx, profile_id=practice.profile.id, slot_id=slot.id, intake=intake())
        for slot in practice.slots[:3]
    ]
    assert expire_request(practice.ctx, holds[0].request_id) is False  # not yet due
    clock.advance(minutes=30)
    assert expire_request(practice.ctx, holds[0].request_id) is True
    assert expire_request(practice.ctx, holds[0].request_id) is False
    assert expire_overdue_holds(practice.ctx, batch_size=1) == 2
    assert expire_overdue_holds(practice.ctx) == 0
    purposes = [p for p, _ in outbox(sessions)]
    assert purposes.count("patient_expired") == 3
    for slot in practice.slots[:3]:
        assert slot_state(sessions, slot) == ("available", 0)


def test_a_lapsed_hold_offers_the_nearest_free_times_and_the_sweep_the_menu(
    practice: PracticeSetup, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    first, _second_patient = (
        hold_slot(
            practice.ctx,
            profile_id=practice.profile.id,
            slot_id=slot.id,
            intake=intake(phone=phone),
        )
        for slot, phone in zip(practice.slots, ["+525599990011", "+525599990012"], strict=False)
    )
    clock.advance(minutes=30)
    assert expire_request(practice.ctx, first.request_id) is True
    assert expire_overdue_holds(practice.ctx) == 1
    with sessions() as session:
        bodies = dict(
            session.execute(
                select(MessageLog.phone, MessageLog.body).where(
                    MessageLog.purpose == "patient_expired"
                )
            ).all()
        )
    zone = practice.profile.timezone
    offered = [when(slot.start_time, zone, "es") for slot in practice.slots]
    job_notification = bodies["+525599990011"]
    assert "Horarios libres cercanos" in job_notification
    # The lapsed time is free again and offered first; the second one is still held.
    assert [label in job_notification for label in offered] == [True, False, True, True]
    assert job_notification.index(offered[0]) < job_notification.index(offered[2])
    assert bodies["+525599990012"].endswith("Escribe *menu* para elegir otro.")


def test_one_open_request_per_patient(practice: PracticeSetup) -> None:
    patient = intake()
    hold = hold_slot(
        practice.ctx, profile_id=practice.profile.id, slot_id=practice.slots[0].id, intake=patient
    )
    with pytest.raises(OpenRequestExists) as refused:
        hold_slot(
            practice.ctx,
            profile_id=practice.profile.id,
            slot_id=practice.slots[1].id,
            intake=patient,
        )
    assert refused.value.code == hold.code


def test_a_full_slot_is_taken(practice: PracticeSetup) -> None:
    slot = practice.slots[0].id
    hold_slot(practice.ctx, profile_id=practice.profile.id, slot_id=slot, intake=intake())
    with pytest.raises(SlotTaken):
        hold_slot(practice.ctx, profile_id=practice.profile.id, slot_id=slot, intake=intake())


@pytest.mark.parametrize(
    ("offset", "why"),
    [
        (timedelta(minutes=30), "too_soon"),
        (timedelta(days=61), "too_far"),
        (timedelta(minutes=-30), "past"),
    ],
)
def test_notice_and_horizon_are_respected(
    practice: PracticeSetup,
    sessions: sessionmaker[Session],
    clock: FrozenClock,
    offset: timedelta,
    why: str,
) -> None:
    with sessions.begin() as session:
        slot = make_slot(
            session, session.get_one(MedicalService, practice.service.id), clock.now + offset
        )
    with pytest.raises(SlotNotBookable) as refused:
        hold_slot(practice.ctx, profile_id=practice.profile.id, slot_id=slot.id, intake=intake())
    assert refused.value.why == why


def test_another_practices_code_is_not_found(
    practice: PracticeSetup, sessions: sessionmaker[Session]
) -> None:
    hold = hold_slot(
        practice.ctx, profile_id=practice.profile.id, slot_id=practice.slots[0].id, intake=intake()
    )
    with sessions.begin() as session:
        other = make_practice(session)
    with pytest.raises(NotFound):
        approve_request(practice.ctx, profile_id=other.id, code=hold.code)


def test_without_approval_a_booking_is_confirmed_at_once(
    sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    with sessions.begin() as session:
        profile = make_practice(session, appointment_approval_required=False)
        slot = make_slot(session, make_service(session, profile), clock.now + timedelta(days=1))
    hold = hold_slot(
        context(sessions, clock), profile_id=profile.id, slot_id=slot.id, intake=intake()
    )
    assert hold.confirmed
    assert slot_state(sessions, slot) == ("reserved", 1)
    assert [p for p, _ in outbox(sessions)] == ["doctor_new_booking"]


def test_patient_withdraws_an_open_request(
    practice: PracticeSetup, sessions: sessionmaker[Session]
) -> None:
    patient = intake()
    hold_slot(
        practice.ctx, profile_id=practice.profile.id, slot_id=practice.slots[0].id, intake=patient
    )
    request = withdraw_request(practice.ctx, profile_id=practice.profile.id, phone=patient.phone)
    assert request.status == "cancelled"
    assert slot_state(sessions, practice.slots[0]) == ("available", 0)
    assert outbox(sessions)[-1][0] == "doctor_request_withdrawn"


def confirmed(practice: PracticeSetup, slot: TimeSlot, phone: str | None = None) -> str:
    hold = hold_slot(
        practice.ctx, profile_id=practice.profile.id, slot_id=slot.id, intake=intake(phone)
    )
    approve_request(practice.ctx, profile_id=practice.profile.id, code=hold.code)
    return hold.code


def test_patient_cancels_only_their_own_appointment(
    practice: PracticeSetup, sessions: sessionmaker[Session]
) -> None:
    code = confirmed(practice, practice.slots[0], "+525599990001")
    with pytest.raises(NotFound):
        cancel_reservation(
            practice.ctx, profile_id=practice.profile.id, code=code, patient_phone="+525599990002"
        )
    reservation = cancel_reservation(
        practice.ctx, profile_id=practice.profile.id, code=code, patient_phone="+525599990001"
    )
    assert reservation.status == "cancelled" and reservation.cancelled_at is not None
    assert not reservation.reminder_24h_scheduled
    assert slot_state(sessions, practice.slots[0]) == ("available", 0)
    assert outbox(sessions)[-1][0] == "doctor_cancelled_by_patient"


def test_doctor_cancels_and_the_patient_is_told(
    practice: PracticeSetup, sessions: sessionmaker[Session]
) -> None:
    code = confirmed(practice, practice.slots[0], "+525599990001")
    cancel_reservation(practice.ctx, profile_id=practice.profile.id, code=code, reason="Congreso")
    assert outbox(sessions)[-1] == ("patient_cancelled_by_doctor", "+525599990001")
    with pytest.raises(IllegalTransition):
        cancel_reservation(practice.ctx, profile_id=practice.profile.id, code=code)


def test_reschedule_moves_the_appointment_and_both_slots_tell_the_truth(
    practice: PracticeSetup, sessions: sessionmaker[Session]
) -> None:
    phone = "+525599990001"
    code = confirmed(practice, practice.slots[0], phone)
    moved = reschedule_reservation(
        practice.ctx,
        profile_id=practice.profile.id,
        code=code,
        patient_phone=phone,
        new_slot_id=practice.slots[2].id,
    )
    assert moved.slot_id == practice.slots[2].id
    assert slot_state(sessions, practice.slots[0]) == ("available", 0)
    assert slot_state(sessions, practice.slots[2]) == ("reserved", 1)
    assert outbox(sessions)[-1][0] == "doctor_rescheduled"


def test_reschedule_to_a_taken_slot_keeps_the_old_one(
    practice: PracticeSetup, sessions: sessionmaker[Session]
) -> None:
    phone = "+525599990001"
    code = confirmed(practice, practice.slots[0], phone)
    confirmed(practice, practice.slots[1])
    with pytest.raises(SlotTaken):
        reschedule_reservation(
            practice.ctx,
            profile_id=practice.profile.id,
            code=code,
            patient_phone=phone,
            new_slot_id=practice.slots[1].id,
        )
    assert slot_state(sessions, practice.slots[0]) == ("reserved", 1)


def test_complete_and_no_show_only_after_the_start(
    practice: PracticeSetup, clock: FrozenClock
) -> None:
    first = confirmed(practice, practice.slots[0])
    second = confirmed(practice, practice.slots[1])
    with pytest.raises(NotStarted):
        complete_reservation(practice.ctx, profile_id=practice.profile.id, code=first)
    clock.advance(days=3)
    assert complete_reservation(
        practice.ctx, profile_id=practice.profile.id, code=first
    ).completed_at
    missed = mark_no_show(practice.ctx, profile_id=practice.profile.id, code=second)
    assert missed.status == "no_show" and missed.no_show


def test_notes_stay_with_the_practice(
    practice: PracticeSetup, sessions: sessionmaker[Session]
) -> None:
    code = confirmed(practice, practice.slots[0])
    add_note(
        practice.ctx,
        profile_id=practice.profile.id,
        code=code,
        note_type="prescription",
        content="Paracetamol 500 mg",
        private=True,
    )
    add_note(
        practice.ctx,
        profile_id=practice.profile.id,
        code=code,
        note_type="follow_up",
        content="Control en 2 semanas",
    )
    with sessions() as session:
        notes = session.scalars(select(AppointmentNote).order_by(AppointmentNote.note_type)).all()
        reservation_id = session.scalar(select(Reservation.id).where(Reservation.code == code))
        other = make_practice(session)
        session.commit()
    assert [
        (n.note_type, n.content, n.is_private, n.profile_id, n.reservation_id) for n in notes
    ] == [
        ("follow_up", "Control en 2 semanas", False, practice.profile.id, reservation_id),
        ("prescription", "Paracetamol 500 mg", True, practice.profile.id, reservation_id),
    ]
    with pytest.raises(NotFound):
        add_note(practice.ctx, profile_id=other.id, code=code, note_type="diagnosis", content="x")
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(AppointmentNote)) == 2


def test_block_closes_free_slots_and_reports_bookings(
    practice: PracticeSetup, sessions: sessionmaker[Session]
) -> None:
    code = confirmed(practice, practice.slots[1])
    local_day = practice.slots[0].start_time.astimezone(MEXICO_CITY).date()
    report = block_period(practice.ctx, profile_id=practice.profile.id, day=local_day)
    assert report.blocked_slots == 4
    assert [booking.code for booking in report.affected] == [code]
    again = block_period(practice.ctx, profile_id=practice.profile.id, day=local_day)
    assert again.blocked_slots == 4
    with sessions() as session:
        closed = session.scalars(select(ClosedDate).where(ClosedDate.source == "doctor")).all()
        assert [(c.day, c.start_time) for c in closed] == [(local_day, None)]
    with pytest.raises(SlotNotBookable):
        hold_slot(
            practice.ctx,
            profile_id=practice.profile.id,
            slot_id=practice.slots[0].id,
            intake=intake(),
        )


def test_queries_are_scoped_to_the_practice_and_the_patient(
    practice: PracticeSetup, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    phone = "+525599990001"
    code = confirmed(practice, practice.slots[0], phone)
    hold = hold_slot(
        practice.ctx, profile_id=practice.profile.id, slot_id=practice.slots[1].id, intake=intake()
    )
    mine = patient_bookings(sessions, profile_id=practice.profile.id, phone=phone, now=clock.now)
    assert [(b.code, b.kind) for b in mine] == [(code, "reservation")]
    pending = pending_requests(sessions, profile_id=practice.profile.id)
    assert [p.code for p in pending] == [hold.code]
    local_day = practice.slots[0].start_time.astimezone(MEXICO_CITY).date()
    agenda = doctor_agenda(sessions, profile_id=practice.profile.id, day=local_day)
    assert [b.code for b in agenda] == [code, hold.code]
    with sessions.begin() as session:
        other = make_practice(session)
    assert pending_requests(sessions, profile_id=other.id) == []
    assert doctor_agenda(sessions, profile_id=other.id, day=local_day) == []


def test_blocking_a_time_range_closes_only_the_slots_it_touches_and_reports_both_kinds(
    practice: PracticeSetup, sessions: sessionmaker[Session]
) -> None:
    # The practice's slots are 09:00, 09:30, 10:00 and 10:30 local time.
    booked = confirmed(practice, practice.slots[0], "+525599990001")
    waiting = hold_slot(
        practice.ctx,
        profile_id=practice.profile.id,
        slot_id=practice.slots[1].id,
        intake=intake("+525599990002"),
    )
    local_day = practice.slots[0].start_time.astimezone(MEXICO_CITY).date()
    report = block_period(
        practice.ctx,
        profile_id=practice.profile.id,
        day=local_day,
        start=time(9, 15),
        end=time(10, 0),
        reason="Junta",
    )
    assert report.blocked_slots == 2  # 09:00-09:30 overlaps the range; 10:00 starts at its end
    assert [(b.code, b.status) for b in report.affected] == [
        (booked, "confirmed"),
        (waiting.code, "pending"),
    ]
    assert [slot_state(sessions, slot) for slot in practice.slots] == [
        ("blocked", 1),
        ("blocked", 1),
        ("available", 0),
        ("available", 0),
    ]
    with sessions() as session:
        closed = session.scalars(select(ClosedDate).where(ClosedDate.source == "doctor")).one()
        assert (closed.day, closed.start_time, closed.end_time, closed.reason) == (
            local_day,
            time(9, 15),
            time(10, 0),
            "Junta",
        )
        assert session.get_one(ReservationRequest, waiting.request_id).status == "pending"
    # Kept, not dropped: the doctor may still approve, and a cancellation does not reopen.
    approve_request(practice.ctx, profile_id=practice.profile.id, code=waiting.code)
    cancel_reservation(practice.ctx, profile_id=practice.profile.id, code=booked)
    assert slot_state(sessions, practice.slots[0]) == ("blocked", 0)
    assert slot_state(sessions, practice.slots[1]) == ("blocked", 1)
    with pytest.raises(SlotNotBookable):
        hold_slot(
            practice.ctx,
            profile_id=practice.profile.id,
            slot_id=practice.slots[0].id,
            intake=intake(),
        )
    hold_slot(
        practice.ctx, profile_id=practice.profile.id, slot_id=practice.slots[2].id, intake=intake()
    )


def test_a_move_that_overlaps_the_old_time_does_not_collide_with_itself(
    practice: PracticeSetup, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    """An hour-long visit at 10:00 moved to 10:30 of the same service and doctor."""
    start = clock.now.replace(minute=0) + timedelta(days=3)
    with sessions.begin() as session:
        profile = session.get_one(Practice, practice.profile.id)
        hour_long = make_service(session, profile, duration=60)
        old, new = (make_slot(session, hour_long, start + timedelta(minutes=m)) for m in (0, 30))
    phone = "+525599990001"
    code = confirmed(practice, old, phone)
    moved = reschedule_reservation(
        practice.ctx,
        profile_id=practice.profile.id,
        code=code,
        patient_phone=phone,
        new_slot_id=new.id,
    )
    assert moved.slot_id == new.id
    assert slot_state(sessions, old) == ("available", 0)
    assert slot_state(sessions, new) == ("reserved", 1)
    # The doctor is busy 10:30-11:30 now, so the 10:00 hour overlaps it.
    with pytest.raises(SlotTaken):
        hold_slot(practice.ctx, profile_id=practice.profile.id, slot_id=old.id, intake=intake())
    assert slot_state(sessions, old) == ("available", 0)


def test_an_appointment_that_has_started_cannot_be_cancelled_or_moved(
    practice: PracticeSetup, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    phone = "+525599990001"
    started = confirmed(practice, practice.slots[0], phone)
    ahead = confirmed(practice, practice.slots[1], "+525599990002")
    clock.now = practice.slots[0].start_time
    for patient_phone in (phone, None):
        with pytest.raises(AlreadyStarted) as refused:
            cancel_reservation(
                practice.ctx, profile_id=practice.profile.id, code=started,
                patient_phone=patient_phone,
            )  # fmt: skip
        assert refused.value.code == started
    with pytest.raises(AlreadyStarted):
        reschedule_reservation(
            practice.ctx,
            profile_id=practice.profile.id,
            code=started,
            patient_phone=phone,
            new_slot_id=practice.slots[3].id,
        )
    assert slot_state(sessions, practice.slots[0]) == ("reserved", 1)
    assert slot_state(sessions, practice.slots[3]) == ("available", 0)
    assert [p for p, _ in outbox(sessions)].count("doctor_cancelled_by_patient") == 0
    # What the doctor does with a started appointment; and one still ahead can go.
    assert (
        complete_reservation(practice.ctx, profile_id=practice.profile.id, code=started).status
        == "completed"
    )
    cancel_reservation(practice.ctx, profile_id=practice.profile.id, code=ahead)
    assert slot_state(sessions, practice.slots[1]) == ("available", 0)


def test_a_slot_of_a_withdrawn_service_cannot_be_booked_or_moved_to(
    practice: PracticeSetup, sessions: sessionmaker[Session]
) -> None:
    phone = "+525599990001"
    code = confirmed(practice, practice.slots[0], phone)
    with sessions.begin() as session:
        session.get_one(MedicalService, practice.service.id).is_active = False
    with pytest.raises(SlotNotBookable) as refused:
        hold_slot(
            practice.ctx,
            profile_id=practice.profile.id,
            slot_id=practice.slots[1].id,
            intake=intake(),
        )
    assert refused.value.why == "service_inactive"
    with pytest.raises(SlotNotBookable):
        reschedule_reservation(
            practice.ctx,
            profile_id=practice.profile.id,
            code=code,
            patient_phone=phone,
            new_slot_id=practice.slots[2].id,
        )
    assert [slot_state(sessions, slot) for slot in practice.slots[:3]] == [
        ("reserved", 1),
        ("available", 0),
        ("available", 0),
    ]
    # The appointment booked before stays the patient's, to keep or to cancel.
    cancel_reservation(practice.ctx, profile_id=practice.profile.id, code=code, patient_phone=phone)
