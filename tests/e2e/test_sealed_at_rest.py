"""The canary test: health text written through the app is nowhere in the database in clear.

A patient books through the signed webhook with a distinct canary in every free-text
answer; the doctor approves by WhatsApp and writes a note on the desk; another patient
joins the waitlist with a canary reason; the jobs deliver what was queued. Then every
text-like column of every table is read raw, as someone holding a copy of the
database would, and no canary is found; the use cases still read each one.

The clock is the e2e clock (Tuesday 2026-12-01 15:00 UTC, 09:00 in Mexico City); the
practice's free times are on Wednesday 2 and Thursday 3 December, from 10:00 local.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text

from app.booking import waitlist
from app.models import AppointmentNote, WaitlistEntry
from tests.desk_helpers import csrf_token, sign_in
from tests.e2e.conftest import DAY_1, DAY_2, Person, World, free_times, make_practice_setup
from tests.e2e.test_conversation import es, request_of, reservation_of, start
from tests.factories import context, intake
from tests.sealing_helpers import clear_in

pytestmark = pytest.mark.postgres

CANARY = "canario"  # every canary has it: one scan finds any of them
REASON = "Dolor de rodilla canario-motivo-7f3a"
SYMPTOMS = "Hinchazón canario-sintomas-7f3a"
HISTORY = "canario-antecedentes-7f3a"
MEDICATIONS = "canario-medicamentos-7f3a"
ALLERGIES = "canario-alergias-7f3a"
NOTE = "Gonartrosis leve canario-nota-7f3a"
WAITING_REASON = "Revisión de lunar canario-espera-7f3a"


def book_with_canaries(patient: Person) -> list[str]:
    """Every free-text question asked (symptoms apart, then "sí" at the health gate)."""
    start(patient)
    patient.says("1", "1", "1")  # book, the first day, its first time: the name is asked
    asked = patient.says("María Pérez", "34", REASON, SYMPTOMS, "sí")
    assert asked == [es("patient.ask_history")], asked
    summary = patient.says(HISTORY, MEDICATIONS, ALLERGIES, "2")
    assert summary[0].startswith("📋 Revisa tu solicitud"), summary
    return patient.say("1")


def join_waitlist_with_canary(patient: Person) -> None:
    """A new patient joins the list for mornings, the reason a canary (the practice asks
    the symptoms apart: "no"; the health gate "no"; urgency normal)."""
    start(patient)
    assert patient.say("1")[0].startswith("📅 ¿Qué día te acomoda?")
    offer = patient.say("avísame si se libera algo")
    assert offer[0].startswith("Puedo anotarte en la lista de espera"), offer
    summary = patient.says("1", "Rosa Díaz", "51", WAITING_REASON, "no", "no", "2")
    assert summary[0].startswith("📋"), summary
    joined = patient.say("1")
    assert joined[0].startswith("✅ Listo, estás en la lista de espera"), joined


def write_note(world: World, code: str) -> None:
    """The doctor signs in to the desk and keeps a private note on the appointment."""
    client = world.app.test_client()
    sign_in(client, world.sessions, world.practice.doctor_phone)
    token = csrf_token(client, "/desk/")
    form = {"csrf_token": token, "note_type": "diagnosis", "private": "1", "content": NOTE}
    saved = client.post(f"/desk/appointments/{code}/notes", data=form)
    assert saved.status_code == 302, saved.get_data(as_text=True)
    page = client.get(saved.location).get_data(as_text=True)
    assert NOTE in page  # the desk reads it back


def test_no_health_text_is_stored_in_clear_and_the_use_cases_still_read_it(
    world: World,
) -> None:
    """Every way health text enters (answers, replies that repeat them, notifications, the
    doctor's note, the waitlist's kept intake) ends sealed, yet each reader gets it back."""
    world.practice = make_practice_setup(
        world.sessions, free_times(DAY_1, 4) + free_times(DAY_2, 4), intake={"symptoms": "optional"}
    )
    patient, doctor = world.patient(), world.doctor()
    sent = book_with_canaries(patient)
    assert sent[0].startswith("✅ ¡Listo! Enviamos tu solicitud"), sent
    code = request_of(world, patient.phone).code
    assert doctor.say(f"APROBAR {code}")[0].startswith(f"✅ Aprobada {code}")
    write_note(world, code)
    waiting = world.patient()
    join_waitlist_with_canary(waiting)
    assert world.run_jobs() > 0  # the deliveries: the doctor's notice, the patient's confirmation
    held = patient.say("mis datos")

    # Raw: not one column of one table holds a canary in clear.
    found = clear_in(world.sessions, CANARY)
    assert found == {}, f"health text stored in clear in {', '.join(sorted(found))}"

    # Through the models and the use cases, each canary reads as written.
    request = request_of(world, patient.phone)
    assert (
        request.chief_complaint, request.symptoms, request.medical_history,
        request.current_medications, request.allergies,
    ) == (REASON, SYMPTOMS, HISTORY, MEDICATIONS, ALLERGIES)  # fmt: skip
    assert reservation_of(world, code).status == "confirmed"
    with world.sessions() as session:
        [note] = session.scalars(select(AppointmentNote)).all()
        entry = session.scalars(
            select(WaitlistEntry).where(WaitlistEntry.phone == waiting.phone)
        ).one()
    assert note.content == NOTE
    assert entry.intake is not None and entry.intake["chief_complaint"] == WAITING_REASON
    [notice] = world.outbox(doctor.phone, "doctor_new_request")
    assert f"Motivo: {REASON}" in notice.body and notice.status == "sent"
    shown = "\n".join(held)
    for answer in (REASON, SYMPTOMS, HISTORY, MEDICATIONS, ALLERGIES):
        assert answer in shown, (answer, held)
    assert NOTE not in shown  # MIS DATOS shows the patient's answers, never the doctor's notes


def test_the_scan_finds_a_canary_written_in_clear(world: World) -> None:
    """The scan is not vacuous: a canary that bypasses the models is found, and named."""
    patient = world.patient()
    start(patient)
    patient.says("1", "1", "1", "María Pérez", "34", "Dolor de cabeza", "no", "2", "1")
    code = request_of(world, patient.phone).code
    assert clear_in(world.sessions, CANARY) == {}
    with world.sessions.begin() as session:
        session.execute(
            text("UPDATE reservation_request SET chief_complaint = :plain WHERE code = :code"),
            {"plain": REASON, "code": code},
        )
        session.execute(
            text("UPDATE conversation SET data = CAST(:data AS json) WHERE phone = :phone"),
            {"data": '{"reason": "canario-json-7f3a"}', "phone": patient.phone},
        )

    assert clear_in(world.sessions, CANARY) == {
        "conversation.data": 1,
        "reservation_request.chief_complaint": 1,
    }
    # A value from before encryption still reads as it is.
    assert request_of(world, patient.phone).chief_complaint == REASON


def test_answers_of_an_intake_left_half_way_are_not_stored_in_clear(world: World) -> None:
    """A patient who gives their reason and stops: the answer waits in the conversation."""
    patient = world.patient()
    start(patient)
    patient.says("1", "1", "1", "María Pérez", "34", REASON)
    assert clear_in(world.sessions, CANARY) == {}


def test_a_doctors_rejection_reason_is_not_stored_in_clear(world: World) -> None:
    """The doctor's reason goes to the patient sealed in the outbox; the request keeps it too."""
    patient, doctor = world.patient(), world.doctor()
    start(patient)
    patient.says("1", "1", "1", "María Pérez", "34", "Dolor de cabeza", "no", "2", "1")
    code = request_of(world, patient.phone).code
    doctor.say(f"RECHAZAR {code} por su dolor de pecho canario-rechazo-7f3a vaya a urgencias")
    assert request_of(world, patient.phone).status == "rejected"
    assert clear_in(world.sessions, CANARY) == {}


def test_the_desk_names_a_patient_waiting_who_joined_by_chat(world: World) -> None:
    """The desk's waitlist page shows a waiting patient's first name, and no health data."""
    world.practice = make_practice_setup(
        world.sessions, free_times(DAY_1, 4) + free_times(DAY_2, 4), intake={"symptoms": "optional"}
    )
    join_waitlist_with_canary(world.patient())
    client = world.app.test_client()
    sign_in(client, world.sessions, world.practice.doctor_phone)

    page = client.get("/desk/waitlist").get_data(as_text=True)

    assert "Rosa" in page and "Sin nombre" not in page
    assert "canario" not in page and "Díaz" not in page


def test_the_desk_names_a_patient_waiting_from_the_intake_alone(world: World) -> None:
    """No contact names this phone: the first name comes from the entry's (sealed) intake."""
    phone = "+525598761234"
    waitlist.join(
        context(world.sessions, world.clock),
        profile_id=world.practice.profile.id,
        phone=phone,
        service_id=world.practice.service.id,
        first_day=date(2026, 12, 7),
        last_day=date(2026, 12, 11),
        day_part="morning",
        intake=intake(phone, name="Lucía Gómez", chief_complaint=WAITING_REASON),
    )
    client = world.app.test_client()
    sign_in(client, world.sessions, world.practice.doctor_phone)

    page = client.get("/desk/waitlist").get_data(as_text=True)

    assert "Lucía" in page and "Sin nombre" not in page
