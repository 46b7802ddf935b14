"""The waitlist in the chat: joining when no time suits, and answering a place freed.

The fake practice (tests/unit/fake_patient_services.py) is seen on Monday 2026-11-30
at 09:00 in Mexico City, with free mornings from Tuesday 1 to Thursday 3 December.
"""

from __future__ import annotations

import uuid
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from app.booking.errors import OfferGone
from bot_flows.patient import PatientState
from bot_flows.patient_waitlist import offered_place
from bot_flows.ports import StoredPatient
from tests.unit.fake_patient_services import FakePatientServices, Patient

S = PatientState
TO_TIME = ("hola", "1", "1", "1", "1")  # consent, book, the first service, Tuesday 1
INTAKE = ("María Pérez", "34", "Control de presión", "no", "2")  # default questions
TODAY = date(2026, 11, 30)
MEXICO_CITY = ZoneInfo("America/Mexico_City")


def at_the_times() -> Patient:
    patient = Patient()
    patient.say(*TO_TIME)
    assert patient.state == S.TIME
    return patient


@pytest.mark.parametrize(
    "message",
    [
        "avísame si se libera algo",
        "me avisas si alguien cancela porfa",
        "hay lista de espera?",
    ],
)
def test_no_time_that_suits_offers_the_waitlist(message: str) -> None:
    patient = at_the_times()
    reply = patient.send(message)
    assert patient.state == S.WAITLIST_JOIN
    assert reply.keys == ["patient.waitlist_join"]
    # From today to the day looked at, a week at least: Sunday 6 December.
    assert "domingo 6 de diciembre" in reply.text and "Consulta general" in reply.text


def test_joining_asks_the_intake_then_the_summary_joins_the_list() -> None:
    patient = at_the_times()
    patient.send("avísame si se libera")
    assert patient.send("por la tarde").keys == ["patient.ask_name"]
    reply = patient.say(*INTAKE)
    assert patient.state == S.SUMMARY
    assert "Lista de espera: del lunes 30 de noviembre al domingo 6 de diciembre, por la tarde" in (
        reply.text
    )
    assert patient.send("1").keys == ["patient.waitlist_joined", "patient.menu"]
    services = patient.services
    [service] = [s for s in services.service_list if s.name == "Consulta general"]
    first, last, part, intake = services.waiting[service.id]
    assert (first, last, part) == (TODAY, date(2026, 12, 6), "afternoon")
    assert intake.name == "María Pérez" and intake.chief_complaint == "Control de presión"
    assert not services.intakes  # nothing held: the list holds no time
    assert patient.chat.data == {}


def test_a_returning_patient_joins_after_the_reason_only() -> None:
    services = FakePatientServices.with_services(
        "Consulta general", stored=StoredPatient(name="Luis Gómez", age=51, gender=None)
    )
    patient = Patient(services)
    patient.say("hola", "1", "1", "1")  # one service: straight to the days
    assert patient.state == S.TIME
    patient.send("avísame si se libera")
    assert patient.send("3").keys == ["patient.ask_reason"]
    patient.say("Dolor de rodilla", "no", "2")
    assert patient.state == S.SUMMARY
    patient.send("1")
    [(_, _, part, intake)] = services.waiting.values()
    assert part == "any" and intake.name == "Luis Gómez"


def test_saying_no_to_the_waitlist_goes_back_to_the_menu_and_joins_nothing() -> None:
    patient = at_the_times()
    patient.send("avisame")
    assert patient.send("no gracias").keys == ["patient.waitlist_not_joined", "patient.menu"]
    assert not patient.services.waiting


def test_none_suits_at_the_times_shows_the_days_and_none_there_offers_the_list() -> None:
    patient = at_the_times()
    patient.send("ninguno me sirve")
    assert patient.state == S.DAY  # another day may suit
    patient.send("no me sirve ninguno")  # every free day was shown
    assert patient.state == S.WAITLIST_JOIN


def test_at_the_days_none_suits_when_every_day_was_shown() -> None:
    patient = Patient()
    patient.say("hola", "1", "1", "1")
    assert patient.state == S.DAY
    patient.send("ninguno")
    assert patient.state == S.WAITLIST_JOIN


def offered(patient: Patient) -> None:
    """The patient joined; a Wednesday place of their service is freed and offered."""
    services = patient.services
    service = services.service_list[0]
    slot = services.free[service.id][3]  # Wednesday 2 December, 10:00
    offer_id = services.offer_place(service, slot)
    patient.chat.state = S.WAITLIST_OFFER
    patient.chat.data = offered_place(offer_id, service.name, slot.start)


def joined() -> Patient:
    patient = at_the_times()
    patient.say("avísame si se libera", "1", *INTAKE, "1")
    assert patient.state == S.MENU
    return patient


@pytest.mark.parametrize("answer", ["1", "lo quiero", "sí", "👍"])
def test_taking_the_place_holds_it_with_the_answers_given_on_joining(answer: str) -> None:
    patient = joined()
    offered(patient)
    reply = patient.send(answer)
    assert reply.keys == ["patient.requested", "patient.menu"]
    assert "miércoles 2 de diciembre" in reply.text
    [intake] = patient.services.intakes
    assert intake.chief_complaint == "Control de presión"


def test_a_tap_on_the_offers_button_takes_it() -> None:
    patient = joined()
    offered(patient)
    reply = patient.send("Lo quiero", choice="waitlist_offer:1")
    assert reply.keys[0] == "patient.requested"


def test_a_place_taken_first_by_someone_else_is_said_so_and_the_list_kept() -> None:
    patient = joined()
    offered(patient)
    patient.services.offers.clear()  # another patient answered first
    reply = patient.send("1")
    assert reply.keys == ["patient.waitlist_too_late", "patient.menu"]
    assert patient.services.waiting


def test_passing_keeps_the_list_and_leaving_ends_it() -> None:
    patient = joined()
    offered(patient)
    assert patient.send("no, este no").keys == ["patient.waitlist_passed", "patient.menu"]
    assert patient.services.calls[-1][:1] == ("decline_offer",)
    assert patient.services.waiting
    offered(patient)
    assert patient.send("sácame de la lista").keys == ["patient.waitlist_left", "patient.menu"]
    assert not patient.services.waiting


def test_passing_on_an_offer_already_closed_still_says_it_passed() -> None:
    patient = joined()
    offered(patient)
    patient.services.refusals["decline_offer"] = OfferGone(uuid.uuid4())  # it lapsed meanwhile
    assert patient.send("2").keys == ["patient.waitlist_passed", "patient.menu"]


def test_words_not_understood_ask_the_offer_again() -> None:
    patient = joined()
    offered(patient)
    reply = patient.send("mmm déjame ver")
    assert reply.keys == ["patient.not_understood", "patient.waitlist_offer"]
    assert patient.state == S.WAITLIST_OFFER


def test_the_offer_in_english() -> None:
    patient = Patient(language="en")
    patient.say(*TO_TIME)
    patient.send("let me know if something opens up")
    assert patient.state == S.WAITLIST_JOIN
    patient.say("mornings", *INTAKE, "1")
    offered(patient)
    assert patient.send("yes").keys[0] == "patient.requested"
