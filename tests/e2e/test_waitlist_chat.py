"""Through the webhook and the worker: a place given back the day before goes to the waitlist.

The clock is the e2e clock (2026-12-01 15:00 UTC, 09:00 in Mexico City). The practice
has two free times: Wednesday 2 December 10:00, which the first patient books, and
Thursday 3 December 10:00, which suits nobody on the list.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.models import Conversation, ReservationRequest, WaitlistEntry
from tests.e2e.conftest import DAY_1, DAY_2, Person, World, make_practice_setup
from tests.e2e.test_conversation import INTAKE, book, es, start

pytestmark = pytest.mark.postgres


def join_the_list(patient: Person) -> None:
    """A new patient finds no time that suits and joins the list for mornings."""
    start(patient)
    assert patient.say("1")[0].startswith("📅 ¿Qué día te acomoda?")  # only Thursday is free
    offer = patient.say("avísame si se libera algo")
    assert offer[0].startswith("Puedo anotarte en la lista de espera de Consulta general")
    assert patient.say("1") == [es("patient.ask_name")]  # mornings
    summary = patient.says(*INTAKE)
    assert "⏳ Lista de espera: del martes 1 de diciembre al lunes 7 de diciembre" in summary[0]
    joined = patient.say("1")
    assert joined[0].startswith("✅ Listo, estás en la lista de espera de Consulta general")


def test_a_place_given_back_the_day_before_is_offered_and_the_first_to_answer_gets_it(
    world: World,
) -> None:
    practice = make_practice_setup(world.sessions, [DAY_1, DAY_2])
    world.practice = practice
    doctor = world.doctor()
    first = world.patient()
    book(first, time="1")
    with world.sessions() as session:
        code = session.scalars(
            select(ReservationRequest.code).where(ReservationRequest.patient_phone == first.phone)
        ).one()
    doctor.say(f"APROBAR {code}")

    waiting = [world.patient() for _ in range(3)]
    for patient in waiting:
        join_the_list(patient)

    # The day before, the first patient cancels: the worker offers the place to all three.
    first.say("3")
    first.say("1")
    assert first.say("1")[0] == es("patient.cancelled", code=code)
    world.run_jobs()
    for patient in waiting:
        [offer] = world.outbox(patient.phone, "patient_waitlist_offer")
        assert "miércoles 2 de diciembre" in offer.body

    fastest, second, third = waiting
    taken = fastest.say("1")
    assert taken[0].startswith("⏳") or "solicitud" in taken[0]
    with world.sessions() as session:
        request = session.scalars(
            select(ReservationRequest).where(ReservationRequest.patient_phone == fastest.phone)
        ).one()
        assert request.status == "pending" and request.chief_complaint == "Dolor de cabeza"
        assert request.slot_id == practice.slots[0].id

    world.run_jobs()
    for patient in (second, third):
        assert world.outbox(patient.phone, "patient_waitlist_gone")
    assert second.say("1")[0] == es("patient.waitlist_too_late")

    assert code not in doctor.say("PENDIENTES")[0] and request.code in doctor.say("PENDIENTES")[0]
    doctor.say(f"APROBAR {request.code}")
    world.run_jobs()
    assert world.outbox(fastest.phone, "patient_approved")

    with world.sessions() as session:
        entries = {
            entry.phone: entry
            for entry in session.scalars(
                select(WaitlistEntry).where(WaitlistEntry.profile_id == practice.profile.id)
            )
        }
        assert entries[fastest.phone].status == "booked"
        assert entries[fastest.phone].intake is None  # used, and not kept
        assert {entries[p.phone].status for p in (second, third)} == {"waiting"}
        assert entries[second.phone].intake is not None
        states = dict(
            session.execute(
                select(Conversation.phone, Conversation.state).where(
                    Conversation.phone.in_([p.phone for p in waiting])
                )
            ).all()
        )
    assert states[third.phone] == "waitlist_offer"  # still holds the offer it never answered
    assert states[fastest.phone] == states[second.phone] == "menu"


def test_an_unconfirmed_appointment_freed_by_the_practice_goes_to_the_waitlist(
    world: World,
) -> None:
    """The practice frees unconfirmed appointments 6 hours before: warned at 9 hours
    (Wednesday 07:00 UTC), freed at 6 (10:00 UTC), and offered to the patient waiting."""
    practice = make_practice_setup(
        world.sessions,
        [DAY_1, DAY_2],
        appointment_approval_required=False,
        release_unconfirmed_hours=6,
    )
    world.practice = practice
    forgetful = world.patient()
    assert book(forgetful)[0].startswith("✅ ¡Listo! Tu cita")
    waiting = world.patient()
    join_the_list(waiting)

    world.clock.now = DAY_1 - timedelta(hours=9)
    world.tick()
    assert world.outbox(forgetful.phone, "patient_release_warning")
    world.clock.now = DAY_1 - timedelta(hours=6)
    world.tick()
    world.run_jobs()
    world.tick()  # delivers what the offer queued
    assert world.outbox(forgetful.phone, "patient_released")
    [offer] = world.outbox(waiting.phone, "patient_waitlist_offer")
    assert "miércoles 2 de diciembre" in offer.body

    taken = waiting.say("1")
    assert taken[0].startswith("✅ ¡Listo! Tu cita"), taken
    with world.sessions() as session:
        entry = session.scalars(
            select(WaitlistEntry).where(WaitlistEntry.phone == waiting.phone)
        ).one()
    assert entry.status == "booked"
