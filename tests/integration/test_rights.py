"""The rights register on PostgreSQL: MIS DATOS through the real services, and `flask rights`."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session, sessionmaker

from app.conversation.services import (
    PatientContact,
    SqlDoctorServices,
    SqlPatientServices,
    practice_details,
)
from app.models import Consent, Contact, ReservationRequest, RightsRequest
from bot_flows.texts import render_notification
from tests.factories import intake, make_practice, make_service, make_slot

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # Tuesday 09:00 in Mexico City
MINE, OTHER = "+525512345678", "+525587654321"
CANARY = "me duele el pecho desde ayer"


@pytest.fixture
def practice_id(sessions: sessionmaker[Session]) -> uuid.UUID:
    """A Mexican practice where each phone sent one request, with its own complaint."""
    with sessions.begin() as session:
        practice = make_practice(session, whatsapp_number="+525500000001")
        service = make_service(session, practice, name="Consulta general")
        slots = [make_slot(session, service, NOW + timedelta(days=2, hours=n)) for n in (1, 2)]
        profile_id = practice.id
    for phone, slot, complaint in ((MINE, slots[0], CANARY), (OTHER, slots[1], "Control")):
        with patient(sessions, profile_id, phone) as services:
            services.record_consent(True, "privacy-2026-11")
            services.hold(slot.id, intake(phone, chief_complaint=complaint, allergies="Penicilina"))
    return profile_id


@contextmanager
def patient(
    sessions: sessionmaker[Session], profile_id: uuid.UUID, phone: str, now: datetime = NOW
) -> Iterator[SqlPatientServices]:
    """The real services bound to `phone`, as the inbox builds them, in one transaction."""
    with sessions.begin() as session:
        details = practice_details(session, profile_id)
        assert details is not None
        session.execute(
            insert(Contact)
            .values(profile_id=profile_id, phone=phone, patient_name="María Pérez")
            .on_conflict_do_nothing(index_elements=[Contact.profile_id, Contact.phone])
        )
        row = session.execute(
            select(
                Contact.id, Contact.phone, Contact.language, Contact.patient_name,
                Contact.patient_age, Contact.patient_gender,
            ).where(Contact.profile_id == profile_id, Contact.phone == phone)
        ).one()  # fmt: skip
        yield SqlPatientServices(
            session, details, PatientContact(*row), now, render_notification, 30, "SM1"
        )


def register(sessions: sessionmaker[Session]) -> list[RightsRequest]:
    with sessions() as session:
        return list(session.scalars(select(RightsRequest).order_by(RightsRequest.requested_at)))


def test_seeing_shows_only_this_phones_data_and_is_answered_at_once(
    sessions: sessionmaker[Session], practice_id: uuid.UUID
) -> None:
    with patient(sessions, practice_id, MINE) as services:
        held = services.my_data()
    assert held.name == "María Pérez"
    [booking] = held.bookings
    assert booking.reason == CANARY and booking.allergies == "Penicilina"
    assert booking.status == "pending" and booking.service == "Consulta general"
    [row] = register(sessions)
    assert (row.kind, row.phone, row.answered_at, row.how_answered) == (
        "access", MINE, NOW, "chat, at once",
    )  # fmt: skip
    with patient(sessions, practice_id, OTHER) as services:
        others = services.my_data()
    assert [b.reason for b in others.bookings] == ["Control"]


def test_a_correction_changes_the_contact_and_the_requests(
    sessions: sessionmaker[Session], practice_id: uuid.UUID
) -> None:
    with patient(sessions, practice_id, MINE) as services:
        services.correct_identity(name="María José Pérez", age=35)
    with sessions() as session:
        contact = session.scalars(select(Contact).where(Contact.phone == MINE)).one()
        request = session.scalars(
            select(ReservationRequest).where(ReservationRequest.patient_phone == MINE)
        ).one()
        other = session.scalars(
            select(ReservationRequest).where(ReservationRequest.patient_phone == OTHER)
        ).one()
    assert (contact.patient_name, contact.patient_age) == ("María José Pérez", 35)
    assert (request.patient_name, request.patient_age) == ("María José Pérez", 35)
    assert other.patient_name == "María Pérez"
    assert [(r.kind, r.answered_at) for r in register(sessions)] == [("correction", NOW)]


def test_withdrawal_is_a_declined_consent_answered_at_once(
    sessions: sessionmaker[Session], practice_id: uuid.UUID
) -> None:
    later = NOW + timedelta(minutes=5)
    with patient(sessions, practice_id, MINE, later) as services:
        services.withdraw_consent("privacy-2026-11")
    with patient(sessions, practice_id, MINE, later) as services:
        assert not services.has_consented()
    with sessions() as session:
        accepted = session.scalars(
            select(Consent.accepted).where(Consent.phone == MINE).order_by(Consent.recorded_at)
        ).all()
    assert accepted == [True, False]
    assert [(r.kind, r.answered_at) for r in register(sessions)] == [("withdrawal", later)]


def test_erasure_stays_open_with_mexicos_deadline_and_the_doctor_sees_it(
    sessions: sessionmaker[Session], practice_id: uuid.UUID
) -> None:
    """Open until its job has run (tests/e2e/test_erasure.py runs it)."""
    with patient(sessions, practice_id, MINE) as services:
        done = services.erase_my_data("privacy-2026-11")
    # The pending request was cancelled first; nothing attended, so nothing is kept.
    assert len(done.cancelled) == 1 and (done.kept_visits, done.kept_until) == (0, None)
    # LFPDPPP: 20 working days from Tuesday 1 December, 09:00 in Mexico City.
    due = datetime(2026, 12, 29, 15, 0, tzinfo=UTC)
    [row] = register(sessions)
    assert (row.kind, row.answered_at, row.due_at) == ("erasure", None, due)
    with sessions.begin() as session:
        details = practice_details(session, practice_id)
        assert details is not None
        doctor = SqlDoctorServices(session, details, NOW, render_notification, 30, "SM2")
        [open_request] = doctor.open_rights_requests()
    assert (open_request.kind, open_request.phone, open_request.due_at) == ("erasure", MINE, due)


def test_nothing_of_the_intake_reaches_the_register(
    sessions: sessionmaker[Session], practice_id: uuid.UUID
) -> None:
    with patient(sessions, practice_id, MINE) as services:
        services.my_data()
        services.correct_identity(gender="female")
        services.erase_my_data("privacy-2026-11")
    for row in register(sessions):
        assert CANARY not in repr(vars(row)) and "Penicilina" not in repr(vars(row))


def test_the_cli_lists_the_register_and_the_overdue_masked(
    sessions: sessionmaker[Session], practice_id: uuid.UUID, runner: FlaskCliRunner
) -> None:
    with patient(sessions, practice_id, MINE) as services:
        services.my_data()
        services.erase_my_data("privacy-2026-11")
    listed = runner.invoke(args=["rights", "list"])
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert lines[0].split("\t") == ["practice", "kind", "phone", "requested", "due", "answered"]
    assert len(lines) == 3 and MINE not in listed.output and "*****5678" in listed.output
    assert "2026-12-01 15:00 UTC (chat, at once)" in lines[1] and lines[2].endswith("open")
    before = runner.invoke(args=["rights", "list", "--overdue", "--now", "2026-12-29T14:59"])
    assert before.output.splitlines()[1:] == []
    after = runner.invoke(args=["rights", "list", "--overdue", "--now", "2026-12-29T15:01"])
    [late] = after.output.splitlines()[1:]
    assert late.split("\t")[1:3] == ["erasure", "*********5678"]
