"""Outbox rows hold no more health data than their message needs.

The doctor's notification of a new request carries the intake's reason and urgency (the
doctor decides on them); the patient's own notifications (rejected, expired) carry none
of it, in their body or in the variables kept for WhatsApp templates.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.booking.expiry import expire_overdue_holds
from app.booking.requests import hold_slot, reject_request
from app.models import MessageLog
from tests.conftest import FrozenClock
from tests.factories import context, intake, make_practice, make_service, make_slot

COMPLAINT = "Dolor de cabeza muy fuerte desde ayer"


def messages(sessions: sessionmaker[Session], purpose: str) -> list[MessageLog]:
    with sessions() as session:
        return list(session.scalars(select(MessageLog).where(MessageLog.purpose == purpose)))


def held_twice(sessions: sessionmaker[Session], clock: FrozenClock) -> list[str]:
    """Two pending requests at one practice, both with a chief complaint; their codes."""
    with sessions.begin() as session:
        profile = make_practice(session)
        service = make_service(session, profile)
        starts = [clock.now + timedelta(days=2, hours=h) for h in (0, 1)]
        slots = [make_slot(session, service, start) for start in starts]
        profile_id = profile.id
    ctx = context(sessions, clock)
    holds = [
        hold_slot(
            ctx,
            profile_id=profile_id,
            slot_id=slot.id,
            intake=intake(chief_complaint=COMPLAINT, age=41),
        )
        for slot in slots
    ]
    with sessions() as session:
        # The facts are sealed (app/sealed.py): read through the model, not a JSON path.
        facts = [
            session.scalar(
                select(MessageLog.variables).where(
                    MessageLog.dedupe_key == f"request:{hold.request_id}:new"
                )
            )
            or {}
            for hold in holds
        ]
        codes = [fact.get("code") for fact in facts]
    assert all(codes)
    reject_request(ctx, profile_id=profile_id, code=str(codes[0]), reason="Agenda llena")
    clock.advance(minutes=31)
    assert expire_overdue_holds(ctx) == 1
    return [str(code) for code in codes]


def test_the_doctor_reads_the_intake_the_patient_notices_carry_none_of_it(
    sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    held_twice(sessions, clock)

    for doctor_notification in messages(sessions, "doctor_new_request"):
        assert doctor_notification.variables is not None
        assert doctor_notification.variables["reason"] == COMPLAINT
        assert doctor_notification.variables["age"] == 41
        assert COMPLAINT in doctor_notification.body

    patient_notifications = messages(sessions, "patient_rejected") + messages(
        sessions, "patient_expired"
    )
    assert len(patient_notifications) == 2
    for notification in patient_notifications:
        assert notification.variables is not None
        assert not {"reason", "age", "urgency"} & set(notification.variables)
        assert COMPLAINT not in notification.body
        assert COMPLAINT not in str(notification.variables)
