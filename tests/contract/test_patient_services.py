"""The patient's services, fake and real: the same answers, the same refusals.

Each test runs on the unit tests' in-memory fake and on the real services over
PostgreSQL (the `sides` fixture), through `PatientServices` only; every `with`
block is one message. Where they would differ, the real services are the truth.
"""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta
from decimal import Decimal

import pytest

from app.booking.errors import (
    AlreadyStarted,
    MovePending,
    NotFound,
    OpenRequestExists,
    SlotNotBookable,
    SlotTaken,
    UpcomingAppointmentExists,
)
from app.booking.intake import ContactMethod, Urgency
from app.booking.queries import Booking
from app.practices.intake_settings import INTAKE_DEFAULTS
from bot_flows.ports import SlotOption, StoredPatient
from tests.contract.sides import (
    CONSULTA,
    DOCTOR,
    FAR,
    FRIDAY,
    OTHER,
    PATIENT,
    PRACTICE,
    THURSDAY,
    TUESDAY,
    ULTRASONIDO,
    WEDNESDAY,
    ZONE,
    Sides,
    Told,
    instant,
)
from tests.factories import intake


def local(slots: list[SlotOption]) -> list[tuple[date, time]]:
    """Free times as the patient reads them: local day and time."""
    return [(s.start.astimezone(ZONE).date(), s.start.astimezone(ZONE).time()) for s in slots]


def times_on(sides: Sides, service: str, day: date) -> list[time]:
    with sides.patient() as patient:
        return [at for _, at in local(patient.free_times(sides.service_id(service), day))]


def hold(sides: Sides, service: str, day: date, at: time, **fields: object) -> str:
    """`PATIENT` holds a slot in a message of their own; the hold's code."""
    with sides.patient() as patient:
        return patient.hold(sides.slot(service, day, at), intake(PATIENT, **fields)).code


def codes(sides: Sides) -> list[str]:
    with sides.patient() as patient:
        return [booking.code for booking in patient.bookings()]


# --- who is writing, and to whom ---------------------------------------------------------------


def test_the_services_know_the_practice_and_the_phone(sides: Sides) -> None:
    with sides.patient() as patient:
        practice = patient.practice
        assert patient.phone == PATIENT
    assert (practice.name, practice.doctor_phone, practice.timezone) == (
        PRACTICE["name"],
        DOCTOR,
        PRACTICE["timezone"],
    )
    assert practice.cancellation_policy == PRACTICE["cancellation_policy"]
    assert practice.emergency_number == PRACTICE["emergency_phone"]
    assert (practice.address, practice.doctor_title, practice.doctor_gender) == (
        PRACTICE["address"],
        "Dra.",
        "f",
    )
    assert (practice.show_prices, practice.currency) == (True, "MXN")
    # The stored intake names one question; the others take their defaults.
    assert practice.intake["sex"] == "optional"
    assert (practice.intake["name"], practice.intake["contact"]) == ("required", "off")
    assert set(practice.intake) == set(INTAKE_DEFAULTS)


# --- consent, language, the returning patient ------------------------------------------------


def test_consent_is_recorded_and_the_latest_answer_counts(sides: Sides) -> None:
    with sides.patient() as patient:
        assert patient.has_consented() is False
        patient.record_consent(True, "v1")
        assert patient.has_consented() is True
    with sides.patient() as patient:
        assert patient.has_consented() is True
    sides.clock.advance(minutes=5)
    with sides.patient() as patient:
        patient.record_consent(False, "v1")
    with sides.patient() as patient:
        assert patient.has_consented() is False


def test_a_declined_notice_is_no_consent(sides: Sides) -> None:
    with sides.patient() as patient:
        patient.record_consent(False, "v1")
    with sides.patient() as patient:
        assert patient.has_consented() is False


def test_the_chosen_language_is_kept(sides: Sides) -> None:
    assert sides.stored_language() is None
    with sides.patient() as patient:
        patient.set_language("en")
    assert sides.stored_language() == "en"


def test_a_returning_patient_is_remembered(sides: Sides) -> None:
    stored = StoredPatient("María Pérez", 34, "F")
    with sides.patient() as patient:
        assert patient.stored_patient() is None
        patient.remember_patient(stored)
        assert patient.stored_patient() == stored
    with sides.patient() as patient:
        assert patient.stored_patient() == stored
        patient.remember_patient(StoredPatient("María Pérez", None, None))
    with sides.patient() as patient:
        assert patient.stored_patient() == StoredPatient("María Pérez", None, None)


def test_a_returning_patients_last_request_is_offered_back(sides: Sides) -> None:
    """The answers of their latest request at this practice, whatever became of it."""
    with sides.patient() as patient:
        patient.remember_patient(StoredPatient("María", 30, None))
    hold(
        sides, CONSULTA, TUESDAY, time(10, 30), name="María Pérez", gender="female",
        medical_history="Asma", allergies="Penicilina", contact_method=ContactMethod.EMAIL,
        email="maria@example.com",
    )  # fmt: skip
    with sides.patient() as patient:
        assert patient.stored_patient() == StoredPatient(
            "María Pérez", 34, "female", history="Asma", medications=None,
            allergies="Penicilina", contact="email", email="maria@example.com", from_request=True,
        )  # fmt: skip
        patient.withdraw()
    sides.clock.advance(minutes=5)
    hold(sides, CONSULTA, WEDNESDAY, time(10, 0), name="María Pérez López")
    with sides.patient() as patient:
        assert patient.stored_patient() == StoredPatient(
            "María Pérez López", 34, "F", contact="whatsapp", from_request=True
        )


def test_a_patient_without_a_name_is_not_remembered(sides: Sides) -> None:
    with sides.patient() as patient:
        patient.remember_patient(StoredPatient("", 34, "F"))
    with sides.patient() as patient:
        assert patient.stored_patient() is None


def test_requests_are_read_back_only_for_a_patient_the_chat_remembered(sides: Sides) -> None:
    """A first booking reads nothing: the chat keeps the name with each request it sends."""
    hold(sides, CONSULTA, TUESDAY, time(10, 30), name="María Pérez")
    with sides.patient() as patient:
        assert patient.stored_patient() is None
        patient.remember_patient(StoredPatient("María Pérez", 34, None))
    with sides.patient() as patient:
        stored = patient.stored_patient()
    assert stored is not None and stored.from_request and stored.name == "María Pérez"


# --- what is offered -----------------------------------------------------------------------------


def test_services_are_listed_in_the_clinic_files_order_not_by_name(sides: Sides) -> None:
    with sides.patient() as patient:
        listed = patient.services()
    assert [(s.name, s.duration, s.price) for s in listed] == [
        (ULTRASONIDO, 30, Decimal("900.00")),
        (CONSULTA, 30, Decimal("500.00")),
    ]
    assert [s.id for s in listed] == [sides.service_id(ULTRASONIDO), sides.service_id(CONSULTA)]


def test_free_days_are_local_dates_inside_the_booking_window(sides: Sides) -> None:
    with sides.patient() as patient:
        consulta, ultrasonido = sides.service_id(CONSULTA), sides.service_id(ULTRASONIDO)
        # Tuesday's 09:30 is inside the hour's notice, but 10:30 is not; February is too far.
        assert patient.free_days(consulta, 10) == [TUESDAY, WEDNESDAY, FRIDAY]
        assert patient.free_days(consulta, 2) == [TUESDAY, WEDNESDAY]
        assert patient.free_days(ultrasonido, 10) == [WEDNESDAY, THURSDAY]
        assert patient.free_days(uuid.uuid4(), 10) == []


def test_free_times_of_a_local_day_in_time_order(sides: Sides) -> None:
    with sides.patient() as patient:
        consulta = sides.service_id(CONSULTA)
        tuesday = patient.free_times(consulta, TUESDAY)
        assert local(tuesday) == [(TUESDAY, time(10, 30)), (TUESDAY, time(11, 0))]
        assert [s.slot_id for s in tuesday] == [
            sides.slot(CONSULTA, TUESDAY, time(10, 30)),
            sides.slot(CONSULTA, TUESDAY, time(11, 0)),
        ]
        # 19:00 in Mexico City is already Saturday in UTC: still Friday's.
        assert local(patient.free_times(consulta, FRIDAY)) == [
            (FRIDAY, time(10, 0)),
            (FRIDAY, time(19, 0)),
        ]
        assert patient.free_times(consulta, FRIDAY + timedelta(days=1)) == []
        assert patient.free_times(consulta, THURSDAY) == []
        assert patient.free_times(consulta, FAR) == []


def test_nearest_free_times_come_closest_first(sides: Sides) -> None:
    consulta = sides.service_id(CONSULTA)
    around = instant(WEDNESDAY, time(10, 30))
    with sides.patient() as patient:
        assert local(patient.nearest_free(consulta, around, 3)) == [
            (WEDNESDAY, time(10, 30)),
            (WEDNESDAY, time(10, 0)),  # as close as 11:00: the earlier first
            (WEDNESDAY, time(11, 0)),
        ]
        assert local(patient.nearest_free(consulta, around, 10)) == [
            (WEDNESDAY, time(10, 30)),
            (WEDNESDAY, time(10, 0)),
            (WEDNESDAY, time(11, 0)),
            (TUESDAY, time(11, 0)),
            (TUESDAY, time(10, 30)),
            (FRIDAY, time(10, 0)),
            (FRIDAY, time(19, 0)),
        ]


def test_nearest_free_times_look_three_days_either_way(sides: Sides) -> None:
    consulta = sides.service_id(CONSULTA)
    with sides.patient() as patient:
        assert patient.nearest_free(consulta, instant(date(2026, 12, 9), time(10)), 5) == []
        assert local(patient.nearest_free(consulta, instant(date(2026, 12, 7), time(10)), 5)) == [
            (FRIDAY, time(19, 0)),
            (FRIDAY, time(10, 0)),
        ]


def test_a_slot_taken_meanwhile_is_no_longer_offered(sides: Sides) -> None:
    sides.given_request(CONSULTA, WEDNESDAY, time(10, 30))
    assert times_on(sides, CONSULTA, WEDNESDAY) == [time(10, 0), time(11, 0)]
    # The doctor cannot do an ultrasound at the same time either.
    assert times_on(sides, ULTRASONIDO, WEDNESDAY) == []
    with sides.patient() as patient:
        assert patient.free_days(sides.service_id(ULTRASONIDO), 10) == [THURSDAY]


# --- holding a slot ----------------------------------------------------------------------------


def test_a_hold_waits_for_the_doctor(sides: Sides) -> None:
    start = instant(WEDNESDAY, time(10, 30))
    with sides.patient() as patient:
        made = patient.hold(sides.slot(CONSULTA, WEDNESDAY, time(10, 30)), intake(PATIENT))
    assert isinstance(made.code, str) and made.code
    assert made.expires_at == sides.clock.now + timedelta(minutes=30)
    assert not made.confirmed and made.reservation_id is None
    with sides.patient() as patient:
        assert patient.bookings() == [
            Booking(
                made.code,
                "request",
                "pending",
                start,
                CONSULTA,
                "María Pérez",
                "normal",
                sides.service_id(CONSULTA),
            )
        ]
    assert times_on(sides, CONSULTA, WEDNESDAY) == [time(10, 0), time(11, 0)]


@pytest.mark.parametrize("approval_required", [False])
def test_without_approval_a_hold_is_an_appointment(sides: Sides) -> None:
    with sides.patient() as patient:
        made = patient.hold(
            sides.slot(CONSULTA, WEDNESDAY, time(10, 30)), intake(PATIENT, urgency=Urgency.HIGH)
        )
    assert made.confirmed and made.reservation_id is not None
    assert made.expires_at == sides.clock.now + timedelta(minutes=30)
    with sides.patient() as patient:
        assert patient.bookings() == [
            Booking(
                made.code,
                "reservation",
                "confirmed",
                instant(WEDNESDAY, time(10, 30)),
                CONSULTA,
                "María Pérez",
                None,
                sides.service_id(CONSULTA),
            )
        ]


@pytest.mark.parametrize("approval_required", [False])
def test_without_approval_one_upcoming_appointment_per_phone(sides: Sides) -> None:
    first = hold(sides, CONSULTA, WEDNESDAY, time(10, 30))
    with sides.patient() as patient, pytest.raises(UpcomingAppointmentExists) as refused:
        patient.hold(sides.slot(CONSULTA, FRIDAY, time(10, 0)), intake(PATIENT))
    assert refused.value.code == first
    assert codes(sides) == [first]


def test_a_second_hold_while_one_is_open_is_refused(sides: Sides) -> None:
    first = hold(sides, CONSULTA, WEDNESDAY, time(10, 30))
    sides.given_request(CONSULTA, FRIDAY, time(10, 0))
    for day, at in ((WEDNESDAY, time(11, 0)), (FRIDAY, time(10, 0))):  # free, then taken
        with sides.patient() as patient, pytest.raises(OpenRequestExists) as refused:
            patient.hold(sides.slot(CONSULTA, day, at), intake(PATIENT))
        assert refused.value.code == first
    assert codes(sides) == [first]
    assert times_on(sides, CONSULTA, WEDNESDAY) == [time(10, 0), time(11, 0)]


def test_a_rejected_request_is_asked_again_with_the_same_answers(sides: Sides) -> None:
    code = hold(
        sides, CONSULTA, WEDNESDAY, time(10, 30),
        name="Ana Ruiz", age=51, allergies="Penicilina", urgency=Urgency.HIGH,
    )  # fmt: skip
    sides.given_rejected(code)
    with sides.patient() as patient:
        patient.remember_patient(StoredPatient("Ana Ruiz", 51, None))  # as the chat does on sending
        again = patient.rebook(code, sides.slot(CONSULTA, WEDNESDAY, time(11, 0)))
    assert again.code != code and not again.confirmed
    assert again.expires_at == sides.clock.now + timedelta(minutes=30)
    with sides.patient() as patient:
        assert patient.bookings() == [
            Booking(
                again.code,
                "request",
                "pending",
                instant(WEDNESDAY, time(11, 0)),
                CONSULTA,
                "Ana Ruiz",
                "high",
                sides.service_id(CONSULTA),
            )
        ]
        stored = patient.stored_patient()
    assert stored is not None and (stored.name, stored.age, stored.allergies) == (
        "Ana Ruiz", 51, "Penicilina",
    )  # fmt: skip


def test_only_a_rejected_request_of_ones_own_is_asked_again(sides: Sides) -> None:
    code = hold(sides, CONSULTA, WEDNESDAY, time(10, 30))
    friday = sides.slot(CONSULTA, FRIDAY, time(10, 0))
    for unknown in (code, "ZZZZ99"):  # still waiting for the doctor; never made
        with sides.patient() as patient, pytest.raises(NotFound):
            patient.rebook(unknown, friday)
    sides.given_rejected(code)
    with sides.patient() as patient, pytest.raises(SlotNotBookable) as refused:
        patient.rebook(code, sides.slot(ULTRASONIDO, THURSDAY, time(12, 0)))
    assert refused.value.why == "other_service"
    sides.given_request(CONSULTA, FRIDAY, time(10, 0))
    with sides.patient() as patient, pytest.raises(SlotTaken):
        patient.rebook(code, friday)
    assert codes(sides) == []


def test_a_taken_slot_is_refused(sides: Sides) -> None:
    sides.given_request(CONSULTA, WEDNESDAY, time(10, 30))
    for service in (CONSULTA, ULTRASONIDO):  # the same slot, or the doctor busy then
        with sides.patient() as patient, pytest.raises(SlotTaken):
            patient.hold(sides.slot(service, WEDNESDAY, time(10, 30)), intake(PATIENT))
    assert codes(sides) == []


@pytest.mark.parametrize(
    ("day", "at", "why"),
    [(TUESDAY, time(9, 30), "too_soon"), (FAR, time(10, 0), "too_far")],
)
def test_a_slot_outside_the_booking_window_is_not_bookable(
    sides: Sides, day: date, at: time, why: str
) -> None:
    with sides.patient() as patient, pytest.raises(SlotNotBookable) as refused:
        patient.hold(sides.slot(CONSULTA, day, at), intake(PATIENT))
    assert refused.value.why == why
    assert codes(sides) == []


def test_an_unknown_slot_is_not_bookable(sides: Sides) -> None:
    with sides.patient() as patient, pytest.raises(SlotNotBookable) as refused:
        patient.hold(uuid.uuid4(), intake(PATIENT))
    assert refused.value.why == "not_found"


def test_a_patient_books_only_for_their_own_phone(sides: Sides) -> None:
    with sides.patient() as patient, pytest.raises(ValueError):
        patient.hold(sides.slot(CONSULTA, WEDNESDAY, time(10, 30)), intake(OTHER))
    assert codes(sides) == []


# --- what the patient has booked ---------------------------------------------------------------


def test_bookings_are_the_patients_own_upcoming_ones_soonest_first(sides: Sides) -> None:
    past = sides.given_appointment(CONSULTA, TUESDAY, time(10, 30), phone=PATIENT)
    friday = sides.given_appointment(CONSULTA, FRIDAY, time(10, 0), phone=PATIENT)
    sides.given_appointment(CONSULTA, WEDNESDAY, time(11, 0))  # someone else's
    wednesday = hold(sides, CONSULTA, WEDNESDAY, time(10, 30))
    assert codes(sides) == [past, wednesday, friday]
    sides.clock.advance(hours=2)  # Tuesday's appointment has started
    with sides.patient() as patient:
        listed = patient.bookings()
    assert [(b.code, b.kind, b.status) for b in listed] == [
        (wednesday, "request", "pending"),
        (friday, "reservation", "confirmed"),
    ]
    assert listed[1] == Booking(
        friday,
        "reservation",
        "confirmed",
        instant(FRIDAY, time(10, 0)),
        CONSULTA,
        "María Pérez",
        None,
        sides.service_id(CONSULTA),
    )


def test_withdraw_gives_the_slot_back(sides: Sides) -> None:
    with sides.patient() as patient, pytest.raises(NotFound):
        patient.withdraw()
    hold(sides, CONSULTA, WEDNESDAY, time(10, 30))
    with sides.patient() as patient:
        patient.withdraw()
    assert codes(sides) == []
    assert times_on(sides, CONSULTA, WEDNESDAY) == [time(10, 0), time(10, 30), time(11, 0)]
    with sides.patient() as patient, pytest.raises(NotFound):
        patient.withdraw()


def test_cancel_an_appointment_gives_the_slot_back(sides: Sides) -> None:
    code = sides.given_appointment(CONSULTA, WEDNESDAY, time(10, 30), phone=PATIENT)
    with sides.patient() as patient:
        patient.cancel(code)
    assert codes(sides) == []
    assert times_on(sides, CONSULTA, WEDNESDAY) == [time(10, 0), time(10, 30), time(11, 0)]
    with sides.patient() as patient, pytest.raises(NotFound):
        patient.cancel(code)


def test_cancel_a_request_withdraws_it(sides: Sides) -> None:
    code = hold(sides, CONSULTA, WEDNESDAY, time(10, 30))
    with sides.patient() as patient:
        patient.cancel(code)
    assert codes(sides) == []
    assert times_on(sides, CONSULTA, WEDNESDAY) == [time(10, 0), time(10, 30), time(11, 0)]


def test_cancel_only_what_is_ones_own_and_still_ahead(sides: Sides) -> None:
    theirs = sides.given_appointment(CONSULTA, WEDNESDAY, time(11, 0))
    started = sides.given_appointment(CONSULTA, TUESDAY, time(10, 30), phone=PATIENT)
    sides.clock.advance(hours=2)
    for code in (theirs, "KQQQQQ", started):
        with sides.patient() as patient, pytest.raises(NotFound):
            patient.cancel(code)


@pytest.mark.parametrize("approval_required", [False])
def test_reschedule_moves_the_appointment(sides: Sides) -> None:
    code = sides.given_appointment(CONSULTA, FRIDAY, time(10, 0), phone=PATIENT)
    with sides.patient() as patient:
        assert patient.reschedule(code, sides.slot(CONSULTA, WEDNESDAY, time(11, 0))) is None
    with sides.patient() as patient:
        [moved] = patient.bookings()
    assert (moved.code, moved.kind, moved.status, moved.start) == (
        code,
        "reservation",
        "confirmed",
        instant(WEDNESDAY, time(11, 0)),
    )
    assert times_on(sides, CONSULTA, WEDNESDAY) == [time(10, 0), time(10, 30)]
    assert times_on(sides, CONSULTA, FRIDAY) == [time(10, 0), time(19, 0)]


def test_with_approval_a_move_waits_for_the_doctor_and_the_appointment_stands(
    sides: Sides,
) -> None:
    code = sides.given_appointment(CONSULTA, FRIDAY, time(10, 0), phone=PATIENT)
    with sides.patient() as patient:
        asked = patient.reschedule(code, sides.slot(CONSULTA, WEDNESDAY, time(11, 0)))
    assert asked is not None and asked.code != code and not asked.confirmed
    assert asked.expires_at == sides.clock.now + timedelta(minutes=30)
    with sides.patient() as patient:
        [move, kept] = patient.bookings()
    assert (move.code, move.kind, move.start, move.replaces) == (
        asked.code,
        "request",
        instant(WEDNESDAY, time(11, 0)),
        code,
    )
    assert (kept.code, kept.kind, kept.start, kept.replaces) == (
        code,
        "reservation",
        instant(FRIDAY, time(10, 0)),
        None,
    )
    assert times_on(sides, CONSULTA, WEDNESDAY) == [time(10, 0), time(10, 30)]
    assert times_on(sides, CONSULTA, FRIDAY) == [time(19, 0)]  # the old time is still taken


def test_one_move_at_a_time_and_it_is_no_second_booking(sides: Sides) -> None:
    code = sides.given_appointment(CONSULTA, FRIDAY, time(10, 0), phone=PATIENT)
    booking = hold(sides, CONSULTA, TUESDAY, time(11, 0))  # an open request of one's own
    with sides.patient() as patient:
        asked = patient.reschedule(code, sides.slot(CONSULTA, WEDNESDAY, time(11, 0)))
    assert asked is not None
    with sides.patient() as patient, pytest.raises(MovePending) as refused:
        patient.reschedule(code, sides.slot(CONSULTA, WEDNESDAY, time(10, 0)))
    assert refused.value.code == asked.code
    assert sorted(codes(sides)) == sorted([booking, asked.code, code])


def test_a_waiting_move_is_withdrawn_by_its_code_and_the_appointment_stays(sides: Sides) -> None:
    code = sides.given_appointment(CONSULTA, FRIDAY, time(10, 0), phone=PATIENT)
    booking = hold(sides, CONSULTA, TUESDAY, time(11, 0))
    with sides.patient() as patient:
        asked = patient.reschedule(code, sides.slot(CONSULTA, WEDNESDAY, time(11, 0)))
    assert asked is not None
    with sides.patient() as patient:
        patient.cancel(asked.code)
    assert sorted(codes(sides)) == sorted([booking, code])
    assert times_on(sides, CONSULTA, WEDNESDAY) == [time(10, 0), time(10, 30), time(11, 0)]


def test_reschedule_refusals(sides: Sides) -> None:
    code = sides.given_appointment(CONSULTA, FRIDAY, time(10, 0), phone=PATIENT)
    sides.given_request(CONSULTA, WEDNESDAY, time(11, 0))
    refusals: list[tuple[uuid.UUID, type[Exception], str | None]] = [
        (sides.slot(CONSULTA, WEDNESDAY, time(11, 0)), SlotTaken, None),
        (sides.slot(CONSULTA, FRIDAY, time(10, 0)), SlotNotBookable, "same_slot"),
        (sides.slot(ULTRASONIDO, THURSDAY, time(12, 0)), SlotNotBookable, "other_service"),
        (sides.slot(CONSULTA, TUESDAY, time(9, 30)), SlotNotBookable, "too_soon"),
        (sides.slot(CONSULTA, FAR, time(10, 0)), SlotNotBookable, "too_far"),
        (uuid.uuid4(), SlotNotBookable, "not_found"),
    ]
    for slot_id, error, why in refusals:
        with sides.patient() as patient, pytest.raises(error) as refused:
            patient.reschedule(code, slot_id)
        assert getattr(refused.value, "why", None) == why
    with sides.patient() as patient:
        [kept] = patient.bookings()
    assert (kept.code, kept.start) == (code, instant(FRIDAY, time(10, 0)))


def test_reschedule_only_ones_own_appointment(sides: Sides) -> None:
    theirs = sides.given_appointment(CONSULTA, WEDNESDAY, time(10, 0))
    request = hold(sides, CONSULTA, FRIDAY, time(10, 0))
    to = sides.slot(CONSULTA, WEDNESDAY, time(11, 0))
    for code in (theirs, request, "KQQQQQ"):  # a request waits for the doctor: it cannot move
        with sides.patient() as patient, pytest.raises(NotFound):
            patient.reschedule(code, to)


def test_a_started_appointment_cannot_move(sides: Sides) -> None:
    code = sides.given_appointment(CONSULTA, TUESDAY, time(10, 30), phone=PATIENT)
    sides.clock.advance(hours=2)
    with sides.patient() as patient, pytest.raises(AlreadyStarted):
        patient.reschedule(code, sides.slot(CONSULTA, WEDNESDAY, time(11, 0)))


def test_confirm_attendance_of_ones_own_upcoming_appointment(sides: Sides) -> None:
    code = sides.given_appointment(CONSULTA, WEDNESDAY, time(10, 30), phone=PATIENT)
    started = sides.given_appointment(CONSULTA, TUESDAY, time(10, 30), phone=PATIENT)
    theirs = sides.given_appointment(CONSULTA, FRIDAY, time(10, 0))
    with sides.patient() as patient:
        assert patient.confirm_attendance(code) is None
    assert codes(sides) == [started, code]
    sides.clock.advance(hours=2)
    for other in (theirs, "KQQQQQ", started):
        with sides.patient() as patient, pytest.raises(NotFound):
            patient.confirm_attendance(other)


# --- asking for a person -----------------------------------------------------------------------


def test_hand_off_and_forwarded_messages_reach_the_doctor(sides: Sides) -> None:
    with sides.patient() as patient:
        patient.hand_off()
    sides.clock.advance(minutes=1)
    with sides.patient() as patient:
        patient.remember_patient(StoredPatient("María Pérez", 34, "F"))
        patient.forward_to_practice("¿Me pueden llamar?", urgent=False)
    sides.clock.advance(minutes=1)
    with sides.patient() as patient:
        patient.forward_to_practice("No puedo respirar", urgent=True)
    about = {"phone": PATIENT}
    assert sides.told_doctor() == [
        Told("doctor_handoff", about | {"patient_name": "", "timezone": PRACTICE["timezone"]}),
        Told(
            "doctor_patient_message",
            about | {"patient_name": "María Pérez", "body": "¿Me pueden llamar?", "urgent": False},
        ),
        Told(
            "doctor_patient_message",
            about | {"patient_name": "María Pérez", "body": "No puedo respirar", "urgent": True},
        ),
    ]


@pytest.mark.parametrize("doctor_phone", [None])
def test_without_a_doctor_phone_nobody_is_told(sides: Sides) -> None:
    with sides.patient() as patient:
        patient.hand_off()
        patient.forward_to_practice("hola", urgent=False)
    assert sides.told_doctor() == []
