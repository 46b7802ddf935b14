"""The doctor's services, fake and real: the same answers, the same refusals.

Each test runs on the unit tests' in-memory fake and on the real services over
PostgreSQL, through `DoctorServices` only; every `with` block is one message, and a
refusal is caught inside it, as the doctor's flow does (an expired hold is then
written down, not rolled back).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time, timedelta

import pytest

from app.booking.blocking import AffectedBooking, BlockReport
from app.booking.errors import (
    AlreadyStarted,
    IllegalTransition,
    NotFound,
    NotStarted,
    RequestExpired,
)
from app.booking.intake import Urgency
from app.booking.queries import Booking, PendingRequest
from app.phones import InvalidPhoneNumber
from bot_flows.ports import DoctorServices
from tests.contract.sides import (
    CONSULTA,
    DOCTOR,
    FRIDAY,
    OTHER,
    PATIENT,
    PRACTICE,
    TUESDAY,
    ULTRASONIDO,
    WEDNESDAY,
    Sides,
    instant,
)

WED_1030 = instant(WEDNESDAY, time(10, 30))
Act = Callable[[DoctorServices, str], object]
# What the doctor may do to a code, each as a command would ask it.
ACTS: dict[str, Act] = {
    "approve": lambda doctor, code: doctor.approve(code),
    "reject": lambda doctor, code: doctor.reject(code, None),
    "cancel": lambda doctor, code: doctor.cancel(code, None),
    "complete": lambda doctor, code: doctor.complete(code),
    "no_show": lambda doctor, code: doctor.no_show(code),
    "note": lambda doctor, code: doctor.note(code, "diagnosis", False, "texto"),
}


def pending_codes(sides: Sides) -> list[str]:
    with sides.doctor() as doctor:
        return [request.code for request in doctor.pending()]


def agenda(sides: Sides, day: date) -> list[tuple[str, str, str]]:
    with sides.doctor() as doctor:
        return [(b.code, b.kind, b.status) for b in doctor.agenda(day)]


def test_the_services_know_the_practice(sides: Sides) -> None:
    with sides.doctor() as doctor:
        practice = doctor.practice
    assert (practice.name, practice.timezone, practice.language) == (
        PRACTICE["name"],
        PRACTICE["timezone"],
        PRACTICE["language"],
    )


# --- requests ---------------------------------------------------------------------------------


def test_pending_requests_most_pressing_deadline_first(sides: Sides) -> None:
    first_asked = sides.clock.now
    luis = sides.given_request(
        CONSULTA,
        FRIDAY,
        time(10, 0),
        name="Luis Gómez",
        age=50,
        chief_complaint="Fiebre",
        urgency=Urgency.HIGH,
    )
    sides.clock.advance(minutes=1)
    maria = sides.given_request(CONSULTA, WEDNESDAY, time(10, 30), phone=PATIENT)
    with sides.doctor() as doctor:
        assert doctor.pending() == [
            PendingRequest(
                luis,
                "Luis Gómez",
                50,
                CONSULTA,
                instant(FRIDAY, time(10, 0)),
                "Fiebre",
                "high",
                first_asked + timedelta(minutes=30),
            ),
            PendingRequest(
                maria,
                "María Pérez",
                34,
                CONSULTA,
                WED_1030,
                "Dolor de cabeza",
                "normal",
                first_asked + timedelta(minutes=31),
            ),
        ]


def test_approve_confirms_the_request(sides: Sides) -> None:
    code = sides.given_request(CONSULTA, WEDNESDAY, time(10, 30))
    with sides.doctor() as doctor:
        approved = doctor.approve(code)
    assert approved == Booking(
        code,
        "reservation",
        "confirmed",
        WED_1030,
        CONSULTA,
        "María Pérez",
        None,
        sides.service_id(CONSULTA),
    )
    assert pending_codes(sides) == []
    assert agenda(sides, WEDNESDAY) == [(code, "reservation", "confirmed")]
    with sides.doctor() as doctor, pytest.raises(IllegalTransition):
        doctor.approve(code)


def test_reject_declines_the_request(sides: Sides) -> None:
    code = sides.given_request(CONSULTA, WEDNESDAY, time(10, 30))
    with sides.doctor() as doctor:
        rejected = doctor.reject(code, "No hay lugar")
    assert rejected == Booking(
        code,
        "request",
        "rejected",
        WED_1030,
        CONSULTA,
        "María Pérez",
        "normal",
        sides.service_id(CONSULTA),
    )
    assert pending_codes(sides) == [] and agenda(sides, WEDNESDAY) == []
    for answer in ("approve", "reject"):
        with sides.doctor() as doctor, pytest.raises(IllegalTransition):
            ACTS[answer](doctor, code)


@pytest.mark.parametrize("answer", ["approve", "reject"])
def test_an_answer_after_the_deadline_finds_the_hold_expired(sides: Sides, answer: str) -> None:
    code = sides.given_request(CONSULTA, WEDNESDAY, time(10, 30))
    sides.clock.advance(minutes=30)
    with sides.doctor() as doctor:
        with pytest.raises(RequestExpired) as refused:
            ACTS[answer](doctor, code)
        assert refused.value.code == code
    assert pending_codes(sides) == [] and agenda(sides, WEDNESDAY) == []
    with sides.doctor() as doctor, pytest.raises(IllegalTransition):
        doctor.approve(code)


def test_unknown_codes_are_not_found(sides: Sides) -> None:
    for act in ACTS.values():
        with sides.doctor() as doctor, pytest.raises(NotFound):
            act(doctor, "KQQQQQ")


# --- the agenda ---------------------------------------------------------------------------------


def test_agenda_lists_a_local_day_in_time_order(sides: Sides) -> None:
    late = sides.given_request(CONSULTA, WEDNESDAY, time(11, 0), phone=PATIENT)
    early = sides.given_appointment(CONSULTA, WEDNESDAY, time(10, 0), name="Ana Ruiz")
    cancelled = sides.given_appointment(ULTRASONIDO, WEDNESDAY, time(10, 30))
    sides.given_appointment(CONSULTA, FRIDAY, time(19, 0))  # Saturday in UTC: not Wednesday's
    with sides.doctor() as doctor:
        doctor.cancel(cancelled, None)
    with sides.doctor() as doctor:
        assert doctor.agenda(WEDNESDAY) == [
            Booking(
                early,
                "reservation",
                "confirmed",
                instant(WEDNESDAY, time(10, 0)),
                CONSULTA,
                "Ana Ruiz",
                None,
                sides.service_id(CONSULTA),
            ),
            Booking(
                late,
                "request",
                "pending",
                instant(WEDNESDAY, time(11, 0)),
                CONSULTA,
                "María Pérez",
                "normal",
                sides.service_id(CONSULTA),
            ),
        ]
        assert [b.start for b in doctor.agenda(FRIDAY)] == [instant(FRIDAY, time(19, 0))]
        assert doctor.agenda(FRIDAY + timedelta(days=1)) == []


def test_agenda_keeps_appointments_that_were_closed(sides: Sides) -> None:
    seen = sides.given_appointment(CONSULTA, TUESDAY, time(10, 30))
    missed = sides.given_appointment(CONSULTA, TUESDAY, time(11, 0), phone=PATIENT)
    sides.clock.advance(hours=3)
    with sides.doctor() as doctor:
        doctor.complete(seen)
        doctor.no_show(missed)
    assert agenda(sides, TUESDAY) == [
        (seen, "reservation", "completed"),
        (missed, "reservation", "no_show"),
    ]


# --- appointments -------------------------------------------------------------------------------


def test_cancel_an_appointment(sides: Sides) -> None:
    code = sides.given_appointment(CONSULTA, WEDNESDAY, time(10, 30))
    with sides.doctor() as doctor:
        cancelled = doctor.cancel(code, "Tengo un congreso")
    assert cancelled == Booking(
        code,
        "reservation",
        "cancelled",
        WED_1030,
        CONSULTA,
        "María Pérez",
        None,
        sides.service_id(CONSULTA),
    )
    assert agenda(sides, WEDNESDAY) == []
    with sides.doctor() as doctor, pytest.raises(IllegalTransition):
        doctor.cancel(code, None)


def test_cancel_a_request_rejects_it(sides: Sides) -> None:
    code = sides.given_request(CONSULTA, WEDNESDAY, time(10, 30))
    with sides.doctor() as doctor:
        rejected = doctor.cancel(code, None)
    assert (rejected.code, rejected.kind, rejected.status) == (code, "request", "rejected")
    assert pending_codes(sides) == []
    with sides.doctor() as doctor, pytest.raises(IllegalTransition):
        doctor.cancel(code, None)


def test_a_started_appointment_cannot_be_cancelled(sides: Sides) -> None:
    code = sides.given_appointment(CONSULTA, TUESDAY, time(10, 30))
    sides.clock.advance(hours=2)
    with sides.doctor() as doctor, pytest.raises(AlreadyStarted):
        doctor.cancel(code, None)
    assert agenda(sides, TUESDAY) == [(code, "reservation", "confirmed")]


@pytest.mark.parametrize("status", ["completed", "no_show"])
def test_close_an_appointment_once_it_has_started(sides: Sides, status: str) -> None:
    code = sides.given_appointment(CONSULTA, TUESDAY, time(10, 30))

    def close() -> object:
        with sides.doctor() as doctor:
            return ACTS["complete" if status == "completed" else "no_show"](doctor, code)

    with pytest.raises(NotStarted):
        close()
    sides.clock.advance(hours=1, minutes=30)  # 10:30: it starts now
    assert close() == Booking(
        code,
        "reservation",
        status,
        instant(TUESDAY, time(10, 30)),
        CONSULTA,
        "María Pérez",
        None,
        sides.service_id(CONSULTA),
    )
    for again in ("complete", "no_show", "cancel"):
        with sides.doctor() as doctor, pytest.raises(IllegalTransition):
            ACTS[again](doctor, code)


def test_a_request_is_not_an_appointment_to_close_or_annotate(sides: Sides) -> None:
    code = sides.given_request(CONSULTA, TUESDAY, time(10, 30))
    sides.clock.advance(hours=2)
    for act in ("complete", "no_show", "note"):
        with sides.doctor() as doctor, pytest.raises(NotFound):
            ACTS[act](doctor, code)


def test_notes_are_kept_on_the_appointment(sides: Sides) -> None:
    code = sides.given_appointment(CONSULTA, WEDNESDAY, time(10, 30))
    with sides.doctor() as doctor:
        assert doctor.note(code, "diagnosis", True, "Migraña") is None
    sides.clock.advance(minutes=1)
    with sides.doctor() as doctor:
        doctor.note(code, "follow_up", False, "Volver en un mes")
    with sides.doctor() as doctor, pytest.raises(ValueError):
        doctor.note(code, "gossip", False, "…")
    assert sides.notes() == [
        (code, "diagnosis", True, "Migraña"),
        (code, "follow_up", False, "Volver en un mes"),
    ]


# --- blocking time ------------------------------------------------------------------------------


def test_block_a_day_closes_its_slots_and_lists_its_bookings(sides: Sides) -> None:
    request = sides.given_request(CONSULTA, WEDNESDAY, time(10, 30), name="Eva Sol")
    appointment = sides.given_appointment(
        CONSULTA, WEDNESDAY, time(10, 0), phone=PATIENT, name="Luis Paz"
    )
    with sides.doctor() as doctor:
        report = doctor.block(WEDNESDAY, None, None)
    # Every slot of the day, of both services, booked or not.
    assert report == BlockReport(
        4,
        [
            AffectedBooking(
                appointment, instant(WEDNESDAY, time(10, 0)), "Luis Paz", CONSULTA, "confirmed"
            ),
            AffectedBooking(request, WED_1030, "Eva Sol", CONSULTA, "pending"),
        ],
    )
    assert pending_codes(sides) == [request]  # kept, never dropped
    with sides.doctor() as doctor:
        assert doctor.block(WEDNESDAY, None, None).blocked_slots == 4  # the same block again


def test_block_a_range_closes_the_slots_it_overlaps(sides: Sides) -> None:
    code = sides.given_appointment(CONSULTA, WEDNESDAY, time(10, 0))
    with sides.doctor() as doctor:
        report = doctor.block(WEDNESDAY, time(10, 15), time(10, 45))
    # 10:00-10:30 and both 10:30-11:00 slots overlap 10:15-10:45; 11:00 does not.
    assert report.blocked_slots == 3
    assert [booking.code for booking in report.affected] == [code]
    with sides.doctor() as doctor:
        assert doctor.block(FRIDAY, time(18, 0), time(20, 0)).blocked_slots == 1
        assert doctor.block(TUESDAY, time(12, 0), time(13, 0)) == BlockReport(0, [])


def test_a_blocked_range_needs_a_start_before_its_end(sides: Sides) -> None:
    for start, end in ((time(10), None), (None, time(10)), (time(11), time(10))):
        with sides.doctor() as doctor, pytest.raises(ValueError):
            doctor.block(WEDNESDAY, start, end)


# --- hand-offs ----------------------------------------------------------------------------------


def test_resume_bot_ends_a_hand_off_once(sides: Sides) -> None:
    sides.given_hand_off(PATIENT, sides.clock.now + timedelta(hours=1))
    with sides.doctor() as doctor:
        assert doctor.resume_bot(OTHER) is False
        assert doctor.resume_bot(PATIENT) is True
    with sides.doctor() as doctor:
        assert doctor.resume_bot(PATIENT) is False


def test_resume_bot_reads_the_phone_as_written(sides: Sides) -> None:
    sides.given_hand_off(PATIENT, sides.clock.now + timedelta(hours=1))
    with sides.doctor() as doctor:
        assert doctor.resume_bot("+52 1 55 1234 5678") is True
    with sides.doctor() as doctor, pytest.raises(InvalidPhoneNumber):
        doctor.resume_bot("5512345678")


def test_a_hand_off_that_ran_out_is_not_resumed(sides: Sides) -> None:
    sides.given_hand_off(PATIENT, sides.clock.now - timedelta(minutes=1))
    with sides.doctor() as doctor:
        assert doctor.resume_bot(PATIENT) is False


# --- the doctor writes to patients through the practice number -------------------------------


def test_phone_of_names_the_patient_of_a_request_or_an_appointment(sides: Sides) -> None:
    request = sides.given_request(CONSULTA, WEDNESDAY, time(10, 0), phone=OTHER)
    appointment = sides.given_appointment(CONSULTA, FRIDAY, time(10, 0), phone=PATIENT)
    with sides.doctor() as doctor:
        assert doctor.phone_of(request) == OTHER
        assert doctor.phone_of(appointment) == PATIENT
        with pytest.raises(NotFound):
            doctor.phone_of("H4J9KP")


def test_a_relayed_message_names_its_patient_and_nothing_else_does(sides: Sides) -> None:
    sid = sides.given_relay(PATIENT)
    with sides.doctor() as doctor:
        assert doctor.relayed_patient(sid) == PATIENT
        assert doctor.relayed_patient("SM" + "0" * 32) is None


def test_a_reply_reaches_a_patient_who_wrote_within_24_hours(sides: Sides) -> None:
    sides.given_message_from(PATIENT, sides.clock.now - timedelta(hours=23), "María Pérez")
    with sides.doctor() as doctor:
        sent = doctor.reply_to_patient(PATIENT, "Sí, tómalo con comida.\nSaludos")
    assert (sent.outcome, sent.patient_name) == ("sent", "María Pérez")
    assert sides.doctor_replies() == [(PATIENT, "Sí, tómalo con comida.\nSaludos")]


def test_a_reply_past_whatsapps_24_hours_is_not_sent(sides: Sides) -> None:
    last = sides.clock.now - timedelta(hours=24, minutes=1)
    sides.given_message_from(PATIENT, last)
    with sides.doctor() as doctor:
        sent = doctor.reply_to_patient(PATIENT, "¿Cómo sigues?")
    assert (sent.outcome, sent.patient_name, sent.last_wrote) == ("window_closed", None, last)
    assert sides.doctor_replies() == []


def test_a_reply_to_a_stranger_or_the_doctor_is_not_sent(sides: Sides) -> None:
    sides.given_message_from(DOCTOR, sides.clock.now)
    with sides.doctor() as doctor:
        assert doctor.reply_to_patient(OTHER, "hola").outcome == "unknown_patient"
        assert doctor.reply_to_patient(DOCTOR, "hola").outcome == "unknown_patient"
    assert sides.doctor_replies() == []
