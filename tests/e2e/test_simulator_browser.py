"""The simulator in a real browser: Debian's chromium, driven by Playwright, on the real app.

The app is served in development mode on a loopback port of its own (werkzeug, in a
thread) on the suite's PostgreSQL test database, with the demo practice
(`examples/demo_clinic.yaml`) and its slots. Its clock starts on Tuesday 1 December
2026, 15:00 UTC (09:00 in Mexico City) and runs with the real time from there, so the
days offered are the same on any date (Tuesday 1 December from 10:00, the demo's
60-minute notice) and every message still comes after the one before it.

Replies with choices go as lists and buttons (`interactive_replies="auto"`, which the
console backend shows); nothing delivers the outbox here, so they stay "queued".
Chromium is `/usr/bin/chromium` (`make browser` installs it with apt); Playwright
never downloads a browser of its own. Screenshots of a list and of buttons are left in
the test's tmp_path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.models import MessageLog, ReservationRequest
from tests.e2e.conftest import WAIT_MS, Served
from tests.factories import CONSENT_BUTTONS, DAYS_LIST, DAYS_NUMBERED

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

PATIENT = "+5215512345678"  # the page's default patient


@pytest.fixture
def page(browser: Any, served: Served, tmp_path: Path) -> Iterator[Any]:
    """The simulator, the demo practice picked, both phones side by side."""
    context = browser.new_context(viewport={"width": 1000, "height": 820}, locale="es-MX")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_default_timeout(WAIT_MS)
    expect.set_options(timeout=WAIT_MS)
    page.goto(f"{served.url}/dev/chat")
    page.get_by_label("Consultorio").select_option(label="Dra. Ana López (+14155238886)")
    expect(page.get_by_label("Teléfono del doctor")).to_have_value(served.doctor_phone)
    yield page
    context.close()
    assert errors == []  # no script error, nothing the Content-Security-Policy refused


def last_reply(pane: Any) -> Any:
    return pane.locator(".turn.out").last


def sent_by_tap(page: Any, tap: Any) -> dict[str, Any]:
    """What the page posts to /dev/chat/send when `tap` is clicked."""
    with page.expect_request(lambda r: r.url.endswith("/dev/chat/send")) as posted:
        tap.click()
    return posted.value.post_data_json


def open_list(page: Any, turn: Any, button: str) -> Any:
    """Open the list of `turn` by its button; the panel."""
    opener = turn.get_by_role("button", name=button)
    expect(opener).to_have_attribute("aria-haspopup", "dialog")
    opener.click()
    panel = page.get_by_role("dialog", name=button)
    expect(panel).to_be_visible()
    expect(opener).to_have_attribute("aria-expanded", "true")
    return panel


def tap_item(page: Any, turn: Any, title: str, button: str = "Ver opciones") -> dict[str, Any]:
    """Tap the list item `title` of `turn`; what was posted. The panel closes."""
    panel = open_list(page, turn, button)
    posted = sent_by_tap(page, panel.get_by_role("button", name=title))
    expect(panel).to_have_count(0)
    return posted


def tap_button(page: Any, turn: Any, title: str) -> dict[str, Any]:
    """Tap the quick reply `title` under `turn`'s bubble; what was posted."""
    return sent_by_tap(page, turn.locator(".quick-replies").get_by_role("button", name=title))


def write(pane: Any, text: str) -> None:
    pane.get_by_placeholder("Mensaje").fill(text)
    pane.get_by_role("button", name="Enviar").click()


def log(served: Served, body: str, interactive: dict[str, Any]) -> None:
    with served.sessions.begin() as session:
        session.add(
            MessageLog(
                profile_id=served.profile_id, phone="+525512345678", direction="out",
                status="sent", purpose="reply", body=body, created_at=served.clock(),
                variables={"interactive": interactive},
            )
        )  # fmt: skip


def test_a_list_and_buttons_are_shown_as_whatsapp_shows_them_and_taps_sent_as_twilio_sends_them(
    page: Any, served: Served, tmp_path: Path
) -> None:
    patient = page.locator("#patient")
    write(patient, "hola")
    expect(last_reply(patient)).to_contain_text("¿Aceptas?")
    replies = patient.locator(".turn.out").count()
    # Rows as the delivery side logs them: the numbered text, and the choices apart.
    log(served, DAYS_NUMBERED, DAYS_LIST)
    log(served, "¿Aceptas el aviso de privacidad?\n1. Sí, acepto\n2. No acepto", CONSENT_BUTTONS)
    turns = patient.locator(".turn.out")
    days, consent = turns.filter(has_text="¿Qué día te"), turns.filter(has_text="aviso de")
    expect(patient.locator(".turn.out")).to_have_count(replies + 2)
    expect(days.locator(".text")).to_have_text("📅 ¿Qué día te queda mejor?")
    expect(consent.locator(".text")).to_have_text("¿Aceptas el aviso de privacidad?")
    expect(patient).not_to_contain_text("1. miércoles 2 de diciembre")  # not the fallback
    buttons = consent.locator(".quick-replies").get_by_role("button")
    expect(buttons).to_have_text(["Sí, acepto", "No acepto"])
    expect(days.locator(".quick-replies")).to_have_count(0)
    patient.screenshot(path=tmp_path / "buttons.png")

    panel = open_list(page, days, "Ver opciones")
    items = panel.get_by_role("list").get_by_role("button")
    expect(items).to_have_count(3)
    expect(panel.locator(".item-title")).to_have_text(
        ["miércoles 2 de diciembre", "jueves 3 de diciembre", "Más días"]
    )
    expect(panel.locator(".item-description")).to_have_text(["9 horarios", "Los siguientes 7 días"])
    expect(panel.locator(".item-title").first).to_have_css("font-weight", "600")
    expect(panel.get_by_role("button", name="Cerrar")).to_be_visible()
    patient.screenshot(path=tmp_path / "list.png")
    page.keyboard.press("Escape")
    expect(panel).to_have_count(0)
    expect(days.get_by_role("button", name="Ver opciones")).to_be_focused()

    posted = tap_button(page, consent, "Sí, acepto")
    assert posted == {
        "practice": str(served.profile_id), "phone": PATIENT,
        "body": "Sí, acepto", "payload": "consent:1",
    }  # fmt: skip
    expect(patient.locator(".turn.in").last).to_have_text(re.compile("^Sí, acepto"))
    expect(last_reply(patient)).to_contain_text("¿Qué necesitas?")
    # The days list is not the question now (the menu is): said old, the menu asked again.
    posted = tap_item(page, days, "jueves 3 de diciembre")
    assert (posted["body"], posted["list_id"]) == ("jueves 3 de diciembre", "day:2026-12-03")
    assert "payload" not in posted
    expect(patient.locator(".turn.in").last).to_have_text(re.compile("^jueves 3 de diciembre"))
    # One bubble: the list is said old, and the menu asked again with its own list.
    expect(last_reply(patient)).to_contain_text("Esa lista ya no está vigente")
    expect(last_reply(patient)).to_contain_text("¿Qué necesitas?")


def choose(page: Any, pane: Any, title: str) -> dict[str, Any]:
    """Tap `title` in the last reply: a button under it, or an item of its list."""
    turn = last_reply(pane)
    expect(turn.locator(".quick-replies button, .list-open").first).to_be_visible()
    if turn.locator(".list-open").count():
        return tap_item(page, turn, title, turn.locator(".list-open").inner_text().strip())
    return tap_button(page, turn, title)


def test_a_first_booking_by_taps_and_the_doctor_approves_by_tapping(
    page: Any, served: Served, tmp_path: Path
) -> None:
    patient, doctor = page.locator("#patient"), page.locator("#doctor")
    write(patient, "hola")
    expect(last_reply(patient)).to_contain_text("¿Aceptas?")
    assert choose(page, patient, "Sí, acepto")["payload"] == "consent:1"
    expect(last_reply(patient)).to_contain_text("¿Qué necesitas?")
    menu = patient.locator(".turn.out").filter(has_text="¿Qué necesitas?")
    assert choose(page, patient, "Agendar una cita")["list_id"] == "menu:1"
    expect(last_reply(patient)).to_contain_text("servicio")
    choose(page, patient, "Consulta general")
    expect(last_reply(patient)).to_contain_text("¿Qué día")
    patient.screenshot(path=tmp_path / "days.png")
    days = last_reply(patient)
    expect(days.locator(".text")).not_to_contain_text("1.")  # the question, not the fallback
    assert choose(page, patient, "miércoles 2 de diciembre")["list_id"] == "day:2026-12-02"
    expect(last_reply(patient)).to_contain_text("¿A qué hora, el miércoles 2 de diciembre?")
    # A day's times are a list: nine times a page and "más horarios".
    assert choose(page, patient, "10:30")["list_id"].startswith("slot:")
    expect(last_reply(patient)).to_contain_text("nombre")

    # A tap on an old list (the menu's): said old, and the name asked again.
    tap_item(page, menu, "Mis citas")
    expect(patient.locator(".turn.out").nth(-2)).to_contain_text("Esa lista ya no está vigente")
    expect(last_reply(patient)).to_contain_text("nombre")

    for answer, question in [
        ("María Pérez", "edad"),
        ("34", "motivo"),
        ("Dolor de garganta desde hace tres días", "enfermedad"),
        ("no", "¿Qué tan urgente es?"),
    ]:
        write(patient, answer)
        expect(last_reply(patient)).to_contain_text(question)
    choose(page, patient, "Normal")
    expect(last_reply(patient)).to_contain_text("Revisa tu solicitud")
    patient.screenshot(path=tmp_path / "summary.png")
    assert choose(page, patient, "Confirmar")["payload"] == "booking_summary:1"
    # One bubble: the request sent, and the menu again.
    expect(last_reply(patient)).to_contain_text("¡Listo! Enviamos tu solicitud")
    expect(last_reply(patient)).to_contain_text("¿Qué necesitas?")

    with served.sessions() as session:
        request = session.scalars(select(ReservationRequest)).one()
    assert request.requested_time == datetime(2026, 12, 2, 16, 30, tzinfo=UTC)  # 10:30 local
    notice = doctor.locator(".turn.out").filter(has_text=request.code).first
    posted = tap_button(page, notice, "Aprobar")
    assert posted["payload"] == f"APROBAR {request.code}"
    expect(last_reply(doctor)).to_contain_text(request.code)
    expect(
        patient.locator(".turn.out").filter(has_text="¡Tu cita está confirmada!")
    ).to_contain_text(request.code)
    page.screenshot(path=tmp_path / "approved.png")
