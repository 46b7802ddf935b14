"""The catalogues: Spanish and English say the same things, and every notification renders."""

from __future__ import annotations

import string
import uuid
from datetime import UTC, datetime

import pytest

from app.booking.notifications import Notification
from bot_flows.texts import CATALOGUES, render_notification, when
from bot_flows.texts.grammar import DOCTOR_PLACEHOLDERS


def placeholders(template: str) -> set[str]:
    """The template's placeholders; the doctor's forms count as one, as all are always given
    and each language picks the ones its grammar needs ("de la Dra.", "Dr. X's")."""
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    return {"doctor, in any form" if name in DOCTOR_PLACEHOLDERS else name for name in names}


def test_every_key_exists_in_every_language_with_the_same_placeholders() -> None:
    spanish = CATALOGUES["es"]
    for language, catalogue in CATALOGUES.items():
        assert set(catalogue) == set(spanish), language
        for key, template in catalogue.items():
            assert placeholders(template) == placeholders(spanish[key]), (language, key)


FACTS = {
    "code": "K7M3QX",
    "patient_name": "María Pérez",
    "service": "Consulta general",
    "doctor": "Dra. Ana López",
    "start": "2026-12-01T16:30:00+00:00",
    "old_start": "2026-12-01T16:00:00+00:00",
    "timezone": "America/Mexico_City",
    "age": 34,
    "reason": "Dolor de cabeza",
    "urgency": "urgent",
    "deadline": "2026-12-01T15:30:00+00:00",
    "rejection_reason": "Agenda llena",
    # The morning agenda's.
    "day": "2026-12-01",
    "bookings": [
        {
            "start": "2026-12-01T16:30:00+00:00",
            "code": "K7M3QX",
            "patient_name": "María Pérez",
            "service": "Consulta general",
            "status": "attending",
            "urgency": None,
        },
    ],
}
PURPOSES = sorted(
    key.removeprefix("notification.") for key in CATALOGUES["es"] if key.startswith("notification.")
)


@pytest.mark.parametrize("purpose", PURPOSES)
@pytest.mark.parametrize("language", ["es", "en"])
def test_every_notification_renders_in_both_languages(purpose: str, language: str) -> None:
    body = render_notification(
        Notification(uuid.uuid4(), purpose, "+525511111111", language, "k", FACTS)
    )
    assert "{" not in body and body.strip()


def test_dates_are_local_and_in_the_readers_language() -> None:
    instant = datetime(2026, 12, 1, 16, 30, tzinfo=UTC)
    assert when(instant, "America/Mexico_City", "es") == "martes 1 de diciembre, 10:30"
    assert when(instant, "America/Mexico_City", "en") == "Tuesday, December 1, 10:30 AM"


def test_a_forwarded_message_names_the_patient_and_says_when_it_is_urgent() -> None:
    facts = {"patient_name": "Juan Ruiz", "phone": "+5215512345678", "body": "¿Me llaman?"}
    plain = render_notification(
        Notification(uuid.uuid4(), "doctor_patient_message", "+52", "es", "k", facts)
    )
    assert plain == (
        "💬 Mensaje de Juan Ruiz (+5215512345678):\n¿Me llaman?\n"
        "↩️ Responde a este mensaje o escribe RESPONDER +5215512345678 <texto>."
    )
    nameless = facts | {"patient_name": "", "urgent": True}
    urgent = render_notification(
        Notification(uuid.uuid4(), "doctor_patient_message", "+52", "en", "k", nameless)
    )
    assert urgent.startswith("🚨 URGENT") and "Message from +5215512345678:\n" in urgent


def test_a_doctors_reply_names_the_doctor_before_their_words() -> None:
    facts = {"doctor": "Dra. Ana López", "body": "Sí, tómalo con comida.\nSaludos"}
    body = render_notification(Notification(uuid.uuid4(), "doctor_reply", "+52", "en", "k", facts))
    assert body == "*Dra. Ana López:* Sí, tómalo con comida.\nSaludos"


def test_the_doctor_notification_flags_urgency_and_names_the_deadline() -> None:
    body = render_notification(
        Notification(uuid.uuid4(), "doctor_new_request", "+52", "es", "k", FACTS)
    )
    assert "‼️" in body and "URGENTE" in body and "09:30" in body and "34 años" in body
