"""Through the webhook: a practice without approval keeps one upcoming appointment per number."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.models import Reservation, TimeSlot
from tests.e2e.conftest import DAY_1, World, free_times, make_practice_setup
from tests.e2e.test_conversation import INTAKE, book, es

pytestmark = pytest.mark.postgres


def test_a_second_booking_is_refused_with_the_way_to_see_or_change_the_first(
    world: World,
) -> None:
    times = free_times(DAY_1 + timedelta(days=3), 2)
    practice = make_practice_setup(world.sessions, times, appointment_approval_required=False)
    patient = world.patient(practice=practice)
    assert book(patient)[0].startswith("✅ ¡Listo! Tu cita")
    with world.sessions() as session:
        code = session.scalars(select(Reservation.code)).one()

    # Book again, a few minutes later (not a flood): the other free time of that day,
    # reusing the details given before: only the reason and urgency are asked.
    world.clock.advance(minutes=5)
    assert patient.says("1", "1", "1") == [es("patient.ask_reason")]
    summary = patient.says(INTAKE[2], INTAKE[4])
    assert summary[0].startswith("📋 Revisa tu solicitud")
    replies = patient.say("1")
    assert replies == [es("patient.upcoming_appointment", code=code), es("patient.menu")]
    assert "*2*" in replies[0] and "*3*" in replies[0]
    with world.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Reservation)) == 1
        taken = session.scalars(
            select(TimeSlot.current_reservations)
            .where(TimeSlot.profile_id == practice.profile.id)
            .order_by(TimeSlot.start_time)
        ).all()
    assert taken == [1, 0]
    # The menu's 2 shows the appointment the sentence named.
    assert code in patient.say("2")[0]
