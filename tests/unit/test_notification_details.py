"""Notifications to the patient name the doctor with its grammar and carry what the
practice shows: address, price (only with a currency), policy. A notification queued
before these facts existed still renders as it did."""

from __future__ import annotations

import uuid
from typing import Any

from app.booking.notifications import Notification
from bot_flows.texts import render_notification

OLD_FACTS = {  # as queued before the title, gender and details were facts
    "code": "K7M3QX",
    "service": "Consulta general",
    "doctor": "Dra. Ana López",
    "start": "2026-12-01T16:30:00+00:00",  # Tuesday 10:30 in Mexico City
    "timezone": "America/Mexico_City",
}
DETAILS = {
    "doctor_title": "Dra.",
    "doctor_gender": "f",
    "address": "Av. Insurgentes Sur 1234",
    "price": "500.00",
    "currency": "MXN",
    "policy": "Cancela con 24 horas de anticipación.",
}


def rendered(purpose: str, facts: dict[str, Any], language: str = "es") -> str:
    return render_notification(
        Notification(uuid.uuid4(), purpose, "+525511111111", language, "k", facts)
    )


def test_the_approval_names_the_doctor_and_adds_address_price_and_policy() -> None:
    body = rendered("patient_approved", OLD_FACTS | DETAILS)
    assert body == (
        "✅ ¡Tu cita está confirmada!\nConsulta general con la Dra. Ana López\n"
        "martes 1 de diciembre, 10:30\nCódigo: K7M3QX\n📍 Av. Insurgentes Sur 1234\n"
        "💵 Precio: $500.00\n📋 Cancela con 24 horas de anticipación.\n"
        "Te recordaremos un día antes y dos horas antes."
    )


def test_the_approval_in_english() -> None:
    body = rendered("patient_approved", OLD_FACTS | DETAILS, "en")
    assert "Consulta general with Dra. Ana López\n" in body
    assert "\n💵 Price: MX$500.00\n" in body


def test_an_old_notification_renders_without_the_new_lines() -> None:
    body = rendered("patient_approved", OLD_FACTS)
    assert body == (
        "✅ ¡Tu cita está confirmada!\nConsulta general con Dra. Ana López\n"
        "martes 1 de diciembre, 10:30\nCódigo: K7M3QX\n"
        "Te recordaremos un día antes y dos horas antes."
    )


def test_a_price_without_its_currency_is_not_shown() -> None:
    facts = OLD_FACTS | DETAILS
    del facts["currency"]
    assert "💵" not in rendered("patient_approved", facts)


def test_a_refusal_names_the_doctor_as_a_noun_in_their_gender() -> None:
    doctor = {"doctor": "Juan Ruiz", "doctor_title": "Dr.", "doctor_gender": "m"}
    assert rendered("patient_rejected", OLD_FACTS | doctor).startswith(
        "Lo sentimos, el doctor no puede atenderte"
    )
    neutral = OLD_FACTS | {"doctor_gender": "x"}
    assert rendered("patient_expired", neutral).startswith(
        "⌛ No llegó a tiempo la respuesta del consultorio a tu solicitud"
    )


def test_the_approval_links_the_calendar_file_when_the_edge_wrote_its_link() -> None:
    link = "https://citas.example/calendar/appointment/abc.ics"
    body = rendered("patient_approved", OLD_FACTS | {"calendar_link": link})
    assert f"Código: K7M3QX\n📅 Agrégala a tu calendario: {link}\nTe recordaremos" in body
    assert "📅" not in rendered("patient_approved", OLD_FACTS | {"calendar_token": "abc"})
