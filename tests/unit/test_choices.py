"""A reply's numbered options become buttons or a list only when they match its choices."""

from __future__ import annotations

import uuid

import pytest

from app.booking.notifications import Notification
from app.conversation.choices import as_interactive, render_notice
from app.messaging.console_messenger import shown_as
from app.messaging.interactive import LIST_PICKER, QUICK_REPLY, Interactive, Item, from_json
from bot_flows.engine import Choice, positions
from bot_flows.notices import DECISIONS, OFFERS, REMINDERS
from bot_flows.texts import render_notification, text
from tests.twilio_limits import assert_sendable
from tests.unit.test_texts import FACTS, PURPOSES


def test_three_short_options_become_buttons_and_leave_the_question() -> None:
    consent = text("patient.consent", "es", of_doctor="de la Dra. Ana López")
    made = as_interactive(consent, positions("consent", 2), "Ver opciones")
    assert made is not None
    kind, message = made
    assert kind == QUICK_REPLY
    assert message.items == (Item("consent:1", "Sí, acepto"), Item("consent:2", "No acepto"))
    assert message.body.endswith("¿Aceptas?") and "1. Sí" not in message.body


def test_four_options_go_as_a_list_described_by_their_titles() -> None:
    menu = text("patient.menu", "es")
    kind, message = as_interactive(menu, positions("menu", 4), "Ver opciones")  # type: ignore[misc]
    assert kind == LIST_PICKER and message.button == "Ver opciones"
    assert [i.title for i in message.items][:2] == ["Agendar una cita", "Mis citas"]
    assert message.items[0].description == "Agendar una cita"
    assert message.body == "¿Qué necesitas?"


def test_text_after_the_options_stays_in_the_body() -> None:
    said = "Estos horarios siguen libres:\n1. lunes 10:00\n2. lunes 11:00\nO escribe *menu*."
    choices = (Choice("slot:a"), Choice("slot:b"))
    _, message = as_interactive(said, choices, "Ver opciones")  # type: ignore[misc]
    assert message.body == "Estos horarios siguen libres:\nO escribe *menu*."


def test_a_flow_and_a_sentence_that_disagree_go_as_text() -> None:
    assert as_interactive("¿Sí?\n1. Sí\n2. No", positions("q", 3), "Ver") is None
    assert as_interactive("¿Sí?", positions("q", 2), "Ver") is None
    assert as_interactive("¿Sí?\n1. Sí", (), "Ver") is None


def test_more_than_ten_choices_go_as_text() -> None:
    lines = "\n".join(f"{n}. opción {n}" for n in range(1, 12))
    assert as_interactive(f"¿Cuál?\n{lines}", positions("q", 11), "Ver") is None


def test_choices_with_their_own_titles_keep_the_whole_text() -> None:
    pending = "📋 Solicitudes pendientes (1):\n• K7M3QX — Ana, 34 años"
    choice = Choice("APROBAR K7M3QX", "Aprobar K7M3QX", "Ana · lunes 10:00")
    kind, message = as_interactive(pending, (choice,), "Ver solicitudes")  # type: ignore[misc]
    assert kind == LIST_PICKER  # a description cannot show on a button
    assert message.body == pending
    assert message.items == (Item("APROBAR K7M3QX", "Aprobar K7M3QX", "Ana · lunes 10:00"),)


def test_the_console_prints_buttons_and_lists_with_the_ids_a_tap_sends() -> None:
    buttons = Interactive("¿Aceptas?", (Item("consent:1", "Sí"), Item("consent:2", "No")), "Ver")
    assert shown_as(QUICK_REPLY, buttons) == (
        "¿Aceptas?\n[ Sí ]  [ No ]\n(taps send: consent:1, consent:2)"
    )
    times = Interactive(
        "🕐 ¿A qué hora?",
        (Item("slot:a", "10:00", "10:00"), Item("slot:b", "10:30", "largo")),
        "Ver",
    )
    assert shown_as(LIST_PICKER, times).splitlines() == [
        "🕐 ¿A qué hora?",
        "[≡ Ver]",
        "  ( ) 10:00   [slot:a]",
        "  ( ) 10:30 — largo   [slot:b]",
    ]


@pytest.mark.parametrize("purpose", PURPOSES)
@pytest.mark.parametrize("language", ["es", "en"])
def test_a_notice_with_answers_carries_them_as_buttons_twilio_takes(
    purpose: str, language: str
) -> None:
    notification = Notification(uuid.uuid4(), purpose, "+525511111111", language, "k", FACTS)
    written = render_notice(notification)
    assert written.body == render_notification(notification)  # the typed answers stay written
    if purpose not in DECISIONS | REMINDERS | OFFERS:
        assert written.interactive is None
        return
    made = from_json(written.interactive)
    assert made is not None
    kind, message = made
    assert kind == QUICK_REPLY and message.body == written.body
    assert_sendable(kind, message, language)


def test_the_doctors_buttons_are_the_commands_and_the_reminders_the_questions_options() -> None:
    def buttons(purpose: str) -> list[tuple[str, str]]:
        notice = render_notice(Notification(uuid.uuid4(), purpose, "+52", "es", "k", FACTS))
        _, message = from_json(notice.interactive)  # type: ignore[misc]
        return [(item.id, item.title) for item in message.items]

    assert buttons("doctor_new_request") == [
        ("APROBAR K7M3QX", "Aprobar"),
        ("RECHAZAR K7M3QX", "Rechazar"),
    ]
    assert buttons("doctor_move_request")[0] == ("APROBAR K7M3QX", "Aprobar")
    assert buttons("reminder_24h") == [
        ("reminder:1", "Confirmo"),
        ("reminder:2", "Cancelar"),
        ("reminder:3", "Cambiar día u hora"),
    ]
