"""Another time after a rejection: the times offered, picked by number, sent with the same answers.

The clock stands where tests/unit/fake_patient_services.py puts it (Monday 30 November
2026, 09:00 in Mexico City); the request is for Tuesday 1 December 10:00, so the times
offered are Tuesday 10:30, 11:00 and Wednesday 10:00.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from app.booking.errors import OpenRequestExists
from bot_flows.patient import PatientState
from tests.unit.test_patient_states import reach

S = PatientState


def test_a_number_asks_to_confirm_and_yes_sends_the_same_answers() -> None:
    patient = reach(S.REBOOK)
    [first] = patient.services.intakes
    confirm = patient.send("1")
    assert confirm.keys == ["patient.rebook_confirm"]
    assert "martes 1 de diciembre, 10:30" in confirm.text and "*K00001*" in confirm.text
    assert "a la Dra. Ana López" in confirm.text and "1. Sí, enviarla" in confirm.text
    sent = patient.send("sí")
    assert sent.keys == ["patient.requested", "patient.menu"]
    assert patient.state == S.MENU and patient.chat.data == {}
    assert patient.services.intakes == [first, first]  # nothing asked again
    [request] = [b for b in patient.services.booked() if b.kind == "request"]
    assert request.code == "K00002" and "martes 1 de diciembre, 10:30" in sent.text


def test_a_time_typed_picks_the_time_offered_not_a_position() -> None:
    patient = reach(S.REBOOK)
    assert patient.send("a las 11:00").keys == ["patient.rebook_confirm"]
    assert patient.chat.data["start"] == "2026-12-01T17:00:00+00:00"


def test_no_shows_the_times_again() -> None:
    patient = reach(S.REBOOK_CONFIRM)
    reply = patient.send("2")
    assert reply.keys == ["patient.rebook_options"] and patient.state == S.REBOOK
    assert "1. martes 1 de diciembre, 10:30" in reply.text


def test_a_time_taken_meanwhile_offers_the_nearest_again() -> None:
    patient = reach(S.REBOOK_CONFIRM)
    taken = patient.chat.data["slot_id"]
    patient.services.taken_meanwhile.add(uuid.UUID(taken))
    reply = patient.send("1")
    assert reply.keys == ["patient.slot_taken", "patient.rebook_options"]
    assert patient.state == S.REBOOK
    assert taken not in [slot_id for slot_id, _ in patient.chat.data["options"]]
    assert len(patient.services.intakes) == 1


def test_an_open_request_meanwhile_is_named_and_nothing_is_sent() -> None:
    patient = reach(S.REBOOK_CONFIRM)
    patient.services.refusals["rebook"] = OpenRequestExists("K9ZZ99")
    reply = patient.send("1")
    assert reply.keys == ["patient.open_request", "patient.menu"]
    assert len(patient.services.intakes) == 1


def test_a_number_that_is_no_option_is_asked_again_not_the_menus() -> None:
    patient = reach(S.REBOOK)
    reply = patient.send("4")  # the menu's hand-off, but only three times are offered
    assert reply.keys == ["patient.not_understood", "patient.rebook_options"]
    assert patient.state == S.REBOOK and patient.services.handoffs == 0


def test_other_words_are_read_as_the_menu_reads_them() -> None:
    patient = reach(S.REBOOK)
    assert patient.send("gracias").keys == ["patient.you_are_welcome"]
    assert patient.state == S.REBOOK  # the times still stand
    booking = patient.send("quiero una cita")
    assert booking.keys[0] == "patient.services" and patient.state == S.SERVICE
    assert "options" not in patient.chat.data


def test_a_day_later_the_numbers_are_the_menus_again() -> None:
    patient = reach(S.REBOOK)
    reply = patient.send("1", wait=timedelta(hours=24, minutes=1))
    assert reply.keys == ["patient.services"] and patient.state == S.SERVICE
    assert len(patient.services.intakes) == 1


def test_the_offer_reads_in_english_too() -> None:
    patient = reach(S.REBOOK)
    patient.chat.language = "en"
    reply = patient.send("1")
    assert "Send Dra. Ana López a new request for Tuesday, December 1, 10:30 AM" in reply.text
