"""The desk's request and appointment pages: read the intake, answer, close, take notes.

Patients book through the signed webhook; the doctor (or a staff member) signs in with
the code from the outbox and acts on the desk, through the same use cases as the
WhatsApp commands. The clock is the e2e clock (2026-12-01 15:00 UTC); the practice's
free times are on 2 and 3 December, from 10:00 Mexico City time.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from app.models import (
    AppointmentNote,
    AuditEntry,
    PracticeMember,
    Reservation,
    ReservationRequest,
    Role,
)
from tests.desk_helpers import csrf_token, sign_in
from tests.e2e.conftest import DAY_1, PracticeSetup, World, free_times, make_practice_setup
from tests.e2e.test_conversation import book, request_of, reservation_of

pytestmark = pytest.mark.postgres

STAFF_PHONE = "+525599990001"


def desk(world: World, phone: str | None = None) -> tuple[FlaskClient, str]:
    """A browser signed in as `phone` (the doctor by default), and its forms' CSRF token."""
    client = world.app.test_client()
    sign_in(client, world.sessions, phone or world.practice.doctor_phone)
    return client, csrf_token(client, "/desk/")


def booked(world: World, practice: PracticeSetup | None = None) -> tuple[str, str]:
    """A new patient's pending request through the webhook: (their phone, its code)."""
    patient = world.patient(practice=practice)
    book(patient)
    return patient.phone, request_of(world, patient.phone).code


def audit_log(world: World) -> list[AuditEntry]:
    with world.sessions() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.at, AuditEntry.id)))


def add_staff(world: World) -> None:
    with world.sessions.begin() as session:
        session.add(
            PracticeMember(
                profile_id=world.practice.profile.id,
                phone=STAFF_PHONE,
                name="Recepción",
                role=Role.STAFF,
                created_at=world.clock.now,
            )
        )


def post(client: FlaskClient, path: str, token: str, **form: str) -> str:
    """Post a desk form and follow its redirect: the page, with its message."""
    answer = client.post(path, data={"csrf_token": token, **form})
    assert answer.status_code == 302, (answer.status_code, answer.get_data(as_text=True))
    return client.get(answer.location).get_data(as_text=True)


# --- a request ----------------------------------------------------------------------------


def test_the_doctor_reads_the_intake_and_approves_the_request(world: World) -> None:
    phone, code = booked(world)
    client, token = desk(world)

    page = client.get(f"/desk/requests/{code}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for shown in ("María Pérez", "34 años", "Dolor de cabeza", "Consulta general", phone):
        assert shown in html
    assert "miércoles 2 de diciembre, 10:00" in html  # the time asked for, local
    assert "martes 1 de diciembre, 09:30" in html  # the answer's deadline
    assert "miércoles 2 de diciembre, 10:30" in html  # the nearest other free time
    assert f"/desk/requests/{code}/approve" in html and f"/desk/requests/{code}/reject" in html
    [read] = audit_log(world)
    assert (read.action, read.subject, read.detail) == ("read_intake", f"request {code}", None)

    after = post(client, f"/desk/requests/{code}/approve", token)
    assert f"Aprobada {code}" in after and "Estado: aprobada" in after
    assert f"/desk/requests/{code}/approve" not in after  # answered: no buttons
    assert f"/desk/appointments/{code}" in after
    assert request_of(world, phone).status == "approved"
    assert reservation_of(world, code).status == "confirmed"
    [told] = world.outbox(phone, "patient_approved")
    assert "¡Tu cita está confirmada!" in told.body
    actions = sorted(entry.action for entry in audit_log(world))  # one frozen instant: unordered
    assert actions == ["approve", "read_intake", "read_intake"]

    again = post(client, f"/desk/requests/{code}/approve", token)
    assert f"La solicitud {code} ya está aprobada: no cambió nada." in again
    assert len(world.outbox(phone, "patient_approved")) == 1


def test_a_rejection_with_a_reason_tells_the_patient(world: World) -> None:
    phone, code = booked(world)
    client, token = desk(world)

    too_long = client.post(
        f"/desk/requests/{code}/reject", data={"csrf_token": token, "reason": "x" * 301}
    )
    assert too_long.status_code == 400 and "x" * 301 in too_long.get_data(as_text=True)
    assert request_of(world, phone).status == "pending"  # nothing lost, nothing sent

    after = post(client, f"/desk/requests/{code}/reject", token, reason="Ese día no atiendo")
    assert f"Rechazada {code}" in after and "Motivo del rechazo: Ese día no atiendo" in after
    request = request_of(world, phone)
    assert (request.status, request.rejection_reason) == ("rejected", "Ese día no atiendo")
    [told] = world.outbox(phone, "patient_rejected")
    assert "Motivo: Ese día no atiendo" in told.body
    reject = next(entry for entry in audit_log(world) if entry.action == "reject")
    assert reject.detail == {"fields": ["reason"]}  # which field, never what it says


def test_an_answer_after_the_deadline_is_refused_and_the_hold_expires(world: World) -> None:
    phone, code = booked(world)
    client, token = desk(world)
    world.clock.advance(minutes=31)

    after = post(client, f"/desk/requests/{code}/approve", token)
    assert f"La solicitud {code} venció (martes 1 de diciembre, 09:30)" in after
    assert "Estado: vencida" in after
    assert request_of(world, phone).status == "expired"
    assert not world.outbox(phone, "patient_approved")
    assert len(world.outbox(phone, "patient_expired")) == 1
    assert "approve" not in [entry.action for entry in audit_log(world)]


def test_a_form_without_its_csrf_token_is_refused(world: World) -> None:
    phone, code = booked(world)
    client, _ = desk(world)
    assert client.post(f"/desk/requests/{code}/approve").status_code == 400
    assert request_of(world, phone).status == "pending"
    assert not world.outbox(phone, "patient_approved")


# --- an appointment -----------------------------------------------------------------------


def test_an_appointment_is_completed_with_notes_and_shows_the_patients_earlier_visits(
    world: World,
) -> None:
    phone, first = booked(world)
    client, token = desk(world)
    post(client, f"/desk/requests/{first}/approve", token)
    # The same patient asks for the next half hour too; the doctor approves it.
    patient = world.patient(phone)
    for body in ("quiero una cita", "1", "1", "Control", "2"):
        patient.say(body)
    assert patient.say("1")[0].startswith("✅ ¡Listo!")
    with world.sessions() as session:
        second = session.scalars(
            select(ReservationRequest.code).where(
                ReservationRequest.patient_phone == phone, ReservationRequest.status == "pending"
            )
        ).one()
    post(client, f"/desk/requests/{second}/approve", token)

    page = client.get(f"/desk/appointments/{first}").get_data(as_text=True)
    assert "Estado: confirmada" in page and "aún no confirma su asistencia" in page
    assert f"/desk/appointments/{first}/cancel" in page
    assert f"/desk/appointments/{first}/complete" not in page  # not started yet
    refused = post(client, f"/desk/appointments/{first}/complete", token)
    assert f"La cita {first} aún no empieza" in refused
    assert reservation_of(world, first).status == "confirmed"

    world.clock.now = DAY_1 + timedelta(minutes=40)  # both have started
    client, token = desk(world)  # a day later: the idle session has lapsed
    done = post(client, f"/desk/appointments/{first}/complete", token)
    assert f"Cita {first} marcada como atendida" in done and "Estado: atendida" in done
    assert reservation_of(world, first).status == "completed"
    saved = post(
        client,
        f"/desk/appointments/{first}/notes",
        token,
        note_type="diagnosis",
        private="1",
        content="Cefalea tensional",
    )
    assert f"Nota privada guardada en la cita {first}" in saved
    assert "Cefalea tensional" in saved and "privada" in saved
    with world.sessions() as session:
        [note] = session.scalars(select(AppointmentNote)).all()
    assert (note.note_type, note.is_private, note.content) == (
        "diagnosis", True, "Cefalea tensional",
    )  # fmt: skip

    missed = post(client, f"/desk/appointments/{second}/no-show", token)
    assert f"Cita {second} marcada como no asistió" in missed
    assert reservation_of(world, second).status == "no_show"
    assert f"/desk/appointments/{first}" in missed  # the earlier visit, listed
    assert "atendida" in missed

    entries = [(entry.action, entry.subject, entry.detail) for entry in audit_log(world)]
    assert ("complete", f"appointment {first}", None) in entries
    assert ("no_show", f"appointment {second}", None) in entries
    note_entry = ("note", f"appointment {first}", {"note_type": "diagnosis", "private": True})
    assert note_entry in entries
    assert ("read_notes", f"appointment {first}", None) in entries
    assert "Cefalea" not in repr(entries)  # health data never in the audit log


def test_the_doctor_cancels_an_appointment_with_a_reason(world: World) -> None:
    phone, code = booked(world)
    client, token = desk(world)
    post(client, f"/desk/requests/{code}/approve", token)

    after = post(client, f"/desk/appointments/{code}/cancel", token, reason="Tengo un congreso")
    assert f"Cita {code} cancelada" in after and "Cancelada por el consultorio" in after
    reservation = reservation_of(world, code)
    assert (reservation.status, reservation.cancelled_by) == ("cancelled", "doctor")
    [told] = world.outbox(phone, "patient_cancelled_by_doctor")
    assert "Tengo un congreso" in told.body
    again = post(client, f"/desk/appointments/{code}/cancel", token)
    assert f"La cita {code} ya está cancelada: no cambió nada." in again


# --- who sees what ------------------------------------------------------------------------


def test_staff_answer_requests_but_never_see_or_write_notes(world: World) -> None:
    add_staff(world)
    phone, code = booked(world)
    staff, token = desk(world, STAFF_PHONE)

    page = staff.get(f"/desk/requests/{code}").get_data(as_text=True)
    assert "Dolor de cabeza" in page
    after = post(staff, f"/desk/requests/{code}/approve", token)
    assert f"Aprobada {code}" in after
    assert request_of(world, phone).status == "approved"
    doctor, doctor_token = desk(world)
    post(
        doctor,
        f"/desk/appointments/{code}/notes",
        doctor_token,
        note_type="prescription",
        private="1",
        content="Paracetamol 500 mg",
    )

    seen = staff.get(f"/desk/appointments/{code}")
    html = seen.get_data(as_text=True)
    assert seen.status_code == 200 and "Consulta general" in html
    assert "Paracetamol" not in html and 'id="notes"' not in html and "Notas" not in html
    refused = staff.post(
        f"/desk/appointments/{code}/notes",
        data={"csrf_token": token, "note_type": "diagnosis", "content": "Gripe"},
    )
    assert refused.status_code == 403
    with world.sessions() as session:
        assert session.scalars(select(AppointmentNote.content)).all() == ["Paracetamol 500 mg"]
    with world.sessions() as session:
        staff_id = session.scalar(
            select(PracticeMember.id).where(PracticeMember.phone == STAFF_PHONE)
        )
    staff_actions = sorted(e.action for e in audit_log(world) if e.member_id == staff_id)
    assert staff_actions == ["approve", "read_intake", "read_intake"]  # no notes read


def test_another_practices_codes_are_not_found_by_any_route_and_nothing_changes(
    world: World,
) -> None:
    other = make_practice_setup(world.sessions, free_times(DAY_1, 4))
    _, appointment = booked(world, other)
    world.doctor(other).say(f"APROBAR {appointment}")
    pending_phone, pending = booked(world, other)
    client, token = desk(world)
    before = world.row_counts()

    for code in (pending, appointment, "ZZZZZZ"):
        assert client.get(f"/desk/requests/{code}").status_code == 404
        assert client.get(f"/desk/appointments/{code}").status_code == 404
        for path, form in (
            (f"/desk/requests/{code}/approve", {}),
            (f"/desk/requests/{code}/reject", {"reason": "no"}),
            (f"/desk/appointments/{code}/complete", {}),
            (f"/desk/appointments/{code}/no-show", {}),
            (f"/desk/appointments/{code}/cancel", {"reason": "no"}),
            (f"/desk/appointments/{code}/notes", {"note_type": "diagnosis", "content": "x"}),
        ):
            answer = client.post(path, data={"csrf_token": token, **form})
            assert answer.status_code == 404, (path, answer.status_code)

    assert world.row_counts() == before
    assert request_of(world, pending_phone).status == "pending"
    assert reservation_of(world, appointment).status == "confirmed"
    with world.sessions() as session:
        assert session.scalars(select(Reservation.status)).all() == ["confirmed"]
    assert not world.outbox(pending_phone, "patient_approved")
