"""The desk in a real browser: Debian's chromium, driven by Playwright, on the real app.

The app is served in development mode on a loopback port (werkzeug, in a thread) on
the suite's PostgreSQL test database with the demo practice (`examples/demo_clinic.yaml`)
and 30 days of its slots. Its clock starts on Tuesday 1 December 2026, 15:00 UTC (09:00
in Mexico City) and runs with the real time, so the dates are the same on any day.
The doctor signs in with the code read from the outbox, as they would read it on
WhatsApp. Screenshots of every page visited are left in the test's tmp_path (and in
$DESK_SCREENSHOTS when set, e.g. for the README).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.booking import requests
from app.models import MedicalService, MessageLog, Practice, PracticeMember, ReservationRequest
from app.scheduling.search import free_days, free_times
from tests.desk_helpers import last_code
from tests.e2e.conftest import WAIT_MS, Served
from tests.factories import context, intake

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

PATIENT = "+5215587654321"
STAFF = "+525511119999"
SATURDAY = date(2026, 12, 5)


class Shots:
    """Screenshots, numbered in the order taken."""

    def __init__(self, tmp_path: Path) -> None:
        self.folders = [tmp_path]
        if os.environ.get("DESK_SCREENSHOTS"):
            self.folders.append(Path(os.environ["DESK_SCREENSHOTS"]))
        self.count = 0

    def take(self, page: Any, name: str) -> None:
        self.count += 1
        for folder in self.folders:
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(folder / f"{self.count:02d}-{name}.png"), full_page=True)


@pytest.fixture
def desk(browser: Any, served: Served) -> Iterator[Any]:
    """A phone-sized browser tab on the desk's sign-in page."""
    context_ = browser.new_context(viewport={"width": 390, "height": 844}, locale="es-MX")
    page = context_.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status == 404 else None)
    page.set_default_timeout(WAIT_MS)
    expect.set_options(timeout=WAIT_MS)
    page.goto(f"{served.url}/desk/")
    yield page
    context_.close()
    assert errors == []  # no script error, nothing the Content-Security-Policy refused


def sign_in(page: Any, served: Served, phone: str) -> None:
    expect(page.get_by_role("heading", name="Entrar")).to_be_visible()
    page.get_by_label("Tu número de WhatsApp").fill(phone)
    page.get_by_role("button", name="Enviarme el código").click()
    expect(page.get_by_role("heading", name="Tu código")).to_be_visible()
    page.get_by_label("Código de 6 dígitos").fill(last_code(served.sessions, phone))
    page.get_by_role("button", name="Entrar").click()
    expect(page.locator("nav").get_by_role("link", name="Agenda")).to_be_visible()


def first_service(served: Served) -> uuid.UUID:
    with served.sessions() as session:
        service_id = session.scalar(
            select(MedicalService.id)
            .where(MedicalService.profile_id == served.profile_id)
            .order_by(MedicalService.name)
        )
    assert service_id is not None
    return service_id


def a_request(served: Served) -> str:
    """A patient's request for the first free time, held as the chat holds it."""
    service_id = first_service(served)
    with served.sessions() as session:
        practice = session.get_one(Practice, served.profile_id)
        day = free_days(session, practice, service_id, served.clock(), 1)[0]
        slot = free_times(session, practice, service_id, day, served.clock())[0]
    answers = intake(PATIENT, chief_complaint="Dolor de rodilla al subir escaleras")
    held = requests.hold_slot(
        context(served.sessions, served.clock),
        profile_id=served.profile_id,
        slot_id=slot.slot_id,
        intake=answers,
    )
    return held.code


def days_offered(served: Served) -> list[date]:
    """The days the bot offers for the practice's first service (its `free_days` read)."""
    service_id = first_service(served)
    with served.sessions() as session:
        practice = session.get_one(Practice, served.profile_id)
        return free_days(session, practice, service_id, served.clock(), 7)


def test_the_doctor_signs_in_approves_a_request_and_the_patient_is_told(
    desk: Any, served: Served, tmp_path: Path
) -> None:
    shots = Shots(tmp_path)
    code = a_request(served)
    shots.take(desk, "login")
    sign_in(desk, served, served.doctor_phone)
    pending = desk.locator(".pending")
    expect(pending).to_contain_text("Solicitudes por responder: 1")
    shots.take(desk, "agenda")
    pending.get_by_role("link").first.click()
    expect(desk.locator("main")).to_contain_text("Dolor de rodilla al subir escaleras")
    shots.take(desk, "request")
    desk.get_by_role("button", name="Aprobar").click()
    expect(desk.locator(".notice")).to_be_visible()
    shots.take(desk, "approved")
    with served.sessions() as session:
        status = session.scalar(
            select(ReservationRequest.status).where(ReservationRequest.code == code)
        )
        told = session.scalars(
            select(MessageLog.status).where(
                MessageLog.phone == PATIENT, MessageLog.purpose == "patient_approved"
            )
        ).all()
    assert status == "approved" and told == ["queued"]  # the patient's WhatsApp notice


def test_changing_the_hours_changes_the_days_the_bot_offers(
    desk: Any, served: Served, tmp_path: Path
) -> None:
    shots = Shots(tmp_path)
    assert SATURDAY in days_offered(served)  # the demo's Saturday mornings
    sign_in(desk, served, served.doctor_phone)
    desk.locator("nav").get_by_role("link", name="Ajustes").click()
    # The demo's Saturday morning, wherever the page lists it: removed.
    saturday = desk.locator("input[name^='hours-'][name$='-day'][value='6']:checked")
    expect(saturday).to_have_count(1)
    window = saturday.get_attribute("name").removesuffix("-day")  # type: ignore[union-attr]
    desk.locator(f"input[name='{window}-remove']").check()
    shots.take(desk, "settings")
    desk.get_by_role("button", name="Guardar").click()
    expect(desk.locator(".notice")).to_be_visible()
    shots.take(desk, "settings-saved")
    assert SATURDAY not in days_offered(served)
    assert days_offered(served)  # the weekdays stay


def test_a_staff_member_works_the_agenda_but_cannot_open_the_doctors_notes(
    browser: Any,
    desk: Any,
    served: Served,
    tmp_path: Path,
) -> None:
    shots = Shots(tmp_path)
    code = a_request(served)
    sign_in(desk, served, served.doctor_phone)
    desk.locator("nav").get_by_role("link", name="Equipo").click()
    desk.get_by_label("Su número de WhatsApp").fill(STAFF)
    desk.get_by_label("Su nombre").fill("Lucía Recepción")
    desk.get_by_role("button", name="Agregar").click()
    expect(desk.locator("main")).to_contain_text("Lucía Recepción")
    shots.take(desk, "team")
    # The doctor approves, then writes a private note on the appointment.
    desk.goto(f"{served.url}/desk/requests/{code}")
    desk.get_by_role("button", name="Aprobar").click()
    desk.goto(f"{served.url}/desk/appointments/{code}")
    desk.get_by_label("Nota", exact=True).fill("Sospecha de condromalacia")
    desk.get_by_label("Privada (solo para ti)").check()
    desk.get_by_role("button", name="Guardar nota").click()
    expect(desk.locator("main")).to_contain_text("Sospecha de condromalacia")
    shots.take(desk, "appointment-doctor")

    staff_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="es-MX")
    staff = staff_context.new_page()
    staff.set_default_timeout(WAIT_MS)
    staff.goto(f"{served.url}/desk/")
    sign_in(staff, served, STAFF)
    expect(staff.locator("nav").get_by_role("link", name="Ajustes")).to_have_count(0)
    staff.goto(f"{served.url}/desk/appointments/{code}")
    expect(staff.locator("main")).to_contain_text(code)
    expect(staff.locator("main")).not_to_contain_text("Sospecha de condromalacia")
    shots.take(staff, "appointment-staff")
    answer = staff.request.get(f"{served.url}/desk/settings", max_redirects=0)
    assert answer.status == 403
    staff_context.close()
    with served.sessions() as session:
        member = session.scalars(select(PracticeMember).where(PracticeMember.phone == STAFF)).one()
    assert member.role == "staff" and isinstance(member.id, uuid.UUID)
