"""Through the webhook: a patient past the practice's no-show limit waits for the doctor,
the doctor forgives them, and RESUMEN counts what happened.

The clock is the e2e clock (2026-12-01 15:00 UTC); the two missed appointments are
seeded on 20 and 25 November 2026, the free times are on 2 December 2026.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.models import MedicalService, Reservation, ReservationRequest, TimeSlot
from tests.e2e.conftest import DAY_1, World, free_times, make_practice_setup
from tests.e2e.test_conversation import book

pytestmark = pytest.mark.postgres


def test_two_no_shows_make_the_booking_wait_for_the_doctor_until_forgiven(world: World) -> None:
    practice = make_practice_setup(
        world.sessions,
        free_times(DAY_1, 2),
        appointment_approval_required=False,
        no_show_limit=2,
    )
    patient = world.patient(practice=practice)
    with world.sessions.begin() as session:
        service = session.scalars(
            select(MedicalService).where(MedicalService.profile_id == practice.profile.id)
        ).one()
        for n, days_ago in enumerate((11, 6)):
            start = world.clock.now - timedelta(days=days_ago)
            slot = TimeSlot(
                profile_id=practice.profile.id,
                service_id=service.id,
                start_time=start,
                end_time=start + timedelta(minutes=30),
                current_reservations=1,
                status="reserved",
            )
            session.add(slot)
            session.flush()
            session.add(
                Reservation(
                    profile_id=practice.profile.id,
                    slot_id=slot.id,
                    service_id=service.id,
                    code=f"MISS{n}X",
                    patient_name="María Pérez",
                    patient_phone=patient.phone,
                    status="no_show",
                    no_show=True,
                )
            )

    # At a practice that books at once, this patient's booking is a request.
    replies = book(patient)
    assert not replies[0].startswith("✅ ¡Listo! Tu cita")
    with world.sessions() as session:
        request = session.scalars(
            select(ReservationRequest).where(ReservationRequest.patient_phone == patient.phone)
        ).one()
    assert request.status == "pending"
    doctor = world.doctor(practice)
    assert request.code in doctor.say("PENDIENTES")[0]

    forgiven = doctor.say(f"PERDONAR {patient.phone}")
    assert "(2)" in forgiven[0] and patient.phone in forgiven[0]
    approved = doctor.say(f"APROBAR {request.code}")
    assert request.code in approved[0]

    week = doctor.say("RESUMEN")[0]  # 25 November to 1 December: one of the two no-shows
    assert week.startswith("📊 Resumen del 25 nov al 1 dic")
    assert "Solicitudes: 1 (aprobadas 1" in week and "Inasistencias: 1 (100" in week
    assert "Inasistencias: 2 (100" in doctor.say("RESUMEN mes")[0]
