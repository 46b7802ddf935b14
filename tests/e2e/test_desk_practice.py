"""The desk's practice pages: settings, blocks, the waitlist, the team and the audit log.

The clock is the e2e clock (2026-12-01 15:00 UTC: Tuesday 09:00 in Mexico City). The
world's practice has no weekly hours yet, only free times on Wednesday 2 and Thursday
3 December at 10:00; its doctor signs in with the code sent to their WhatsApp.
"""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from app.booking import waitlist
from app.booking.blocking import block_period
from app.models import (
    AuditEntry,
    ClosedDate,
    MedicalService,
    PracticeMember,
    SlotStatus,
    TimeSlot,
)
from app.practices import members
from tests.desk_helpers import csrf_token, sign_in
from tests.e2e.conftest import DAY_1, World, make_practice_setup
from tests.e2e.test_conversation import book, request_of, start
from tests.factories import context, intake

pytestmark = pytest.mark.postgres

ZONE = ZoneInfo("America/Mexico_City")
STAFF_PHONE = "+525512345678"
FRIDAY = 5  # the clinic file's numbering: 0 = Sunday


def doctor_client(world: World) -> FlaskClient:
    client = world.app.test_client()
    sign_in(client, world.sessions, world.practice.doctor_phone)
    return client


def settings_form(**changes: str) -> dict[str, str]:
    """The settings form as the page fills it for the world's practice, with `changes`."""
    form = {
        "service-0-name": "Consulta general",
        "service-0-duration": "30",
        "service-0-price": "500.00",
        "service-0-active": "on",
        "service-1-name": "",
        "hours-0-start": "",
        "hours-0-end": "",
        "hours-0-slot": "30",
        "closed": "",
        "approval_required": "on",
        "min_notice_minutes": "60",
        "booking_horizon_days": "60",
    }
    return form | changes


def post(
    client: FlaskClient, path: str, data: dict[str, str], page: str | None = None
) -> TestResponse:
    """Post `data` with the CSRF token of the page at `page` (default `path`); the answer."""
    token = csrf_token(client, page or path)
    return client.post(path, data=data | {"csrf_token": token})


def free_weekdays(world: World) -> set[int]:
    """The local weekdays (Monday = 0) of the practice's free times."""
    with world.sessions() as session:
        starts = session.scalars(
            select(TimeSlot.start_time).where(
                TimeSlot.profile_id == world.practice.profile.id,
                TimeSlot.status == SlotStatus.AVAILABLE,
            )
        ).all()
    return {start.astimezone(ZONE).weekday() for start in starts}


def audit_actions(world: World) -> list[tuple[str, str | None, dict | None]]:
    """The audit log's entries, oldest first (entries made at one instant in any order)."""
    with world.sessions() as session:
        rows = session.execute(
            select(AuditEntry.action, AuditEntry.subject, AuditEntry.detail).order_by(
                AuditEntry.at, AuditEntry.id
            )
        ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


# --- settings -----------------------------------------------------------------------------


def test_new_weekly_hours_change_the_free_times_and_the_days_the_bot_offers(
    world: World,
) -> None:
    client = doctor_client(world)
    page = client.get("/desk/settings").get_data(as_text=True)
    assert 'value="Consulta general"' in page and 'name="hours-0-day"' in page
    assert free_weekdays(world) == {2, 3}  # Wednesday and Thursday, from the factory

    answer = post(
        client,
        "/desk/settings",
        settings_form(**{"hours-0-start": "09:00", "hours-0-end": "11:00"})
        | {"hours-0-day": str(FRIDAY)},
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert "Guardé los cambios" in client.get("/desk/settings").get_data(as_text=True)
    assert free_weekdays(world) == {4}  # Fridays only, regenerated at once
    with world.sessions() as session:
        first = session.scalars(
            select(TimeSlot.start_time)
            .where(TimeSlot.profile_id == world.practice.profile.id)
            .order_by(TimeSlot.start_time)
        ).first()
    assert first is not None and first.astimezone(ZONE).timetuple()[:5] == (2026, 12, 4, 9, 0)

    patient = world.patient()
    start(patient)
    days = patient.say("1")[0]
    assert days.startswith("📅 ¿Qué día te acomoda?")
    assert "viernes 4 de diciembre" in days and "miércoles 2" not in days
    assert audit_actions(world) == [("settings", "settings", {"changed": ["availability"]})]


@pytest.mark.parametrize(
    ("changes", "message", "kept"),
    [
        (
            {"service-0-duration": "0"},
            "La duración es un número entero de 1 a 480 minutos",
            'value="0"',
        ),
        (
            {"hours-0-start": "11:00", "hours-0-end": "09:00", "hours-0-day": "5"},
            "Escribe la hora de fin, posterior a la de inicio",
            'value="11:00"',
        ),
        (
            {"booking_horizon_days": "400"},
            "El plazo para reservar es de 1 a 365 días",
            'value="400"',
        ),
    ],
)
def test_a_bad_setting_is_refused_next_to_its_field_and_nothing_changes(
    world: World, changes: dict[str, str], message: str, kept: str
) -> None:
    client = doctor_client(world)
    client.get("/desk/settings")
    before = world.row_counts()
    answer = post(client, "/desk/settings", settings_form(**changes))
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "No guardé nada" in page and message in page and kept in page
    assert world.row_counts() == before
    assert free_weekdays(world) == {2, 3}
    with world.sessions() as session:
        service = session.get_one(MedicalService, world.practice.service.id)
        assert service.duration == 30
    assert audit_actions(world) == []


# --- blocks -------------------------------------------------------------------------------


def test_block_shows_what_it_hits_then_blocks_then_unblocks(world: World) -> None:
    patient = world.patient()
    book(patient)  # a request for Wednesday 10:00, waiting for the doctor
    code = request_of(world, patient.phone).code
    client = doctor_client(world)
    wednesday = {"day": "2026-12-02", "start": "09:00", "end": "12:00"}

    before = world.row_counts()
    preview = post(client, "/desk/block", wednesday | {"step": "preview"})
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Bloquear el miércoles 2 de diciembre, de 09:00 a 12:00" in page
    assert code in page and "María Pérez" in page
    assert world.row_counts() == before  # a preview writes nothing
    assert free_weekdays(world) == {2, 3}

    done = post(client, "/desk/block", wednesday | {"step": "confirm"})
    assert done.status_code == 302
    listed = client.get("/desk/block").get_data(as_text=True)
    assert "Bloqueé el miércoles 2 de diciembre, de 09:00 a 12:00" in listed
    assert "Citas y solicitudes que siguen en pie: 1." in listed
    assert free_weekdays(world) == {3}
    assert request_of(world, patient.phone).status == "pending"  # kept for the doctor
    with world.sessions() as session:
        block = session.scalars(select(ClosedDate)).one()
    assert (block.day, block.start_time, block.end_time, block.source) == (
        date(2026, 12, 2),
        time(9),
        time(12),
        "doctor",
    )
    assert f"/desk/block/{block.id}/unblock" in listed

    reopened = post(client, f"/desk/block/{block.id}/unblock", {}, page="/desk/block")
    assert reopened.status_code == 302
    assert "Desbloqueé el miércoles 2 de diciembre" in client.get("/desk/block").get_data(
        as_text=True
    )
    assert free_weekdays(world) == {2, 3}
    with world.sessions() as session:
        assert session.scalars(select(ClosedDate)).all() == []
    entries = {action: detail for action, _, detail in audit_actions(world)}
    assert sorted(entries) == ["block", "unblock"]  # at the same frozen instant
    assert entries["block"] == {
        "day": "2026-12-02",
        "start": "09:00",
        "end": "12:00",
        "slots": 4,
        "bookings": 1,
    }


def test_a_range_that_ends_before_it_starts_blocks_nothing(world: World) -> None:
    client = doctor_client(world)
    client.get("/desk/block")
    before = world.row_counts()
    for step in ("preview", "confirm"):
        answer = post(
            client,
            "/desk/block",
            {"day": "2026-12-02", "start": "12:00", "end": "09:00", "step": step},
        )
        assert answer.status_code == 400
        assert "con el inicio antes del fin" in answer.get_data(as_text=True)
    assert world.row_counts() == before


# --- the waitlist -------------------------------------------------------------------------


def test_the_waitlist_shows_who_waits_without_their_health_data(world: World) -> None:
    phone = "+525598761234"
    waitlist.join(
        context(world.sessions, world.clock),
        profile_id=world.practice.profile.id,
        phone=phone,
        service_id=world.practice.service.id,
        first_day=date(2026, 12, 7),
        last_day=date(2026, 12, 11),
        day_part="morning",
        intake=intake(phone, name="Lucía Gómez", chief_complaint="Migraña con aura"),
    )
    client = doctor_client(world)
    page = client.get("/desk/waitlist").get_data(as_text=True)
    assert "Lucía" in page and "terminado en 1234" in page and "Consulta general" in page
    assert "del lunes 7 de diciembre al viernes 11 de diciembre" in page
    assert "por la mañana" in page and "esperando" in page
    assert "Gómez" not in page and "Migraña" not in page and phone not in page


# --- the team -----------------------------------------------------------------------------


def test_the_doctor_adds_staff_who_may_not_open_the_doctors_pages(world: World) -> None:
    client = doctor_client(world)
    refused = post(client, "/desk/team", {"phone": "55 1234", "name": "Ana"})
    assert refused.status_code == 400
    assert "formato internacional" in refused.get_data(as_text=True)
    added = post(client, "/desk/team", {"phone": "+52 1 55 1234 5678", "name": "Ana Ruiz"})
    assert added.status_code == 302
    team = client.get("/desk/team").get_data(as_text=True)
    assert "Ana Ruiz ya es parte del equipo" in team and STAFF_PHONE in team

    # And by WhatsApp, as the doctor's command.
    said = world.doctor().say("EQUIPO +52 33 1111 2222 Beto")
    assert said[0].startswith("👥 Listo: Beto (+523311112222) ya es parte de tu equipo.")
    with world.sessions() as session:
        staff = session.execute(
            select(PracticeMember.name, PracticeMember.phone, PracticeMember.role).where(
                PracticeMember.role == "staff"
            )
        ).all()
    assert sorted(staff) == [("Ana Ruiz", STAFF_PHONE, "staff"), ("Beto", "+523311112222", "staff")]

    staff_client = world.app.test_client()
    sign_in(staff_client, world.sessions, STAFF_PHONE)
    for path in ("/desk/settings", "/desk/team", "/desk/audit"):
        assert staff_client.get(path).status_code == 403, path
    token = csrf_token(staff_client, "/desk/block")
    assert staff_client.post("/desk/team", data={"csrf_token": token}).status_code == 403
    for path in ("/desk/block", "/desk/waitlist"):
        assert staff_client.get(path).status_code == 200, path
    page = staff_client.get("/desk/block").get_data(as_text=True)
    assert "/desk/settings" not in page  # the doctor's links are not shown to staff

    with world.sessions() as session:
        ana = session.scalars(
            select(PracticeMember).where(PracticeMember.phone == STAFF_PHONE)
        ).one()
    assert post(client, f"/desk/team/{ana.id}/remove", {}, page="/desk/team").status_code == 302
    assert staff_client.get("/desk/block").location.endswith("/desk/login")  # signed out
    assert sorted(action for action, _, _ in audit_actions(world)) == [
        "add_member",
        "remove_member",
    ]


def test_the_audit_log_lists_the_changes_newest_first(world: World) -> None:
    client = doctor_client(world)
    hours = {"hours-0-start": "09:00", "hours-0-end": "11:00", "hours-0-day": "5"}
    assert post(client, "/desk/settings", settings_form(**hours)).status_code == 302
    world.clock.now += timedelta(minutes=5)
    post(client, "/desk/team", {"phone": STAFF_PHONE, "name": "Ana"})
    world.clock.now += timedelta(minutes=5)
    post(client, "/desk/block", {"day": "2026-12-04", "start": "", "end": "", "step": "confirm"})
    page = client.get("/desk/audit").get_data(as_text=True)
    newest_first = [
        page.index(done) for done in ("bloqueó", "agregó al equipo a", "cambió los ajustes")
    ]
    assert newest_first == sorted(newest_first)
    assert "cambió los ajustes</td><td>horario semanal" in page
    assert "2026-12-04" in page and "Ana" in page
    assert "martes 1 de diciembre, 09:10" in page  # the practice's time: 15:10 UTC


# --- another practice's ids ---------------------------------------------------------------


def test_another_practices_blocks_and_members_are_not_found(world: World) -> None:
    other = make_practice_setup(world.sessions, [DAY_1])
    ctx = context(world.sessions, world.clock)
    block_period(ctx, profile_id=other.profile.id, day=date(2026, 12, 2))
    member = members.add_member(
        world.sessions,
        profile_id=other.profile.id,
        phone=STAFF_PHONE,
        name="Ana",
        now=world.clock.now,
    )
    with world.sessions() as session:
        other_block = session.scalars(
            select(ClosedDate.id).where(ClosedDate.profile_id == other.profile.id)
        ).one()
    client = doctor_client(world)
    client.get("/desk/block")
    before = world.row_counts()
    for path in (
        f"/desk/block/{other_block}/unblock",
        f"/desk/block/{uuid.uuid4()}/unblock",
        f"/desk/team/{member.id}/remove",
        f"/desk/team/{uuid.uuid4()}/remove",
    ):
        answer = post(client, path, {}, page="/desk/block")
        assert answer.status_code == 404, path
    assert world.row_counts() == before
    with world.sessions() as session:
        assert session.get_one(PracticeMember, member.id).removed_at is None
        slot = session.get_one(TimeSlot, other.slots[0].id)
        assert slot.status == SlotStatus.BLOCKED  # still closed
