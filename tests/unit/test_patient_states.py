"""What holds in every state: menu, help, media, language, stale data, random text, the diagram."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.booking.errors import BookingError
from app.booking.intake import PatientIntake
from bot_flows.engine import fold
from bot_flows.patient import CHOOSING, ELSEWHERE, FLOW, MENU_WORDS, PatientState
from bot_flows.patient_rebook import offer
from bot_flows.patient_states import BEFORE_CONSENT, OPENINGS
from bot_flows.patient_waitlist import offered_place
from bot_flows.texts import CATALOGUES
from bot_flows.understanding import intent_of
from tests.unit.fake_patient_services import MINUTE, NOW, PRACTICE, FakePatientServices, Patient

S = PatientState
ROOT = Path(__file__).resolve().parents[2]
TO_MENU = ("hola", "1")
TO_TIME = (*TO_MENU, "1", "1", "1")
# A practice that asks every question (intake settings all required), up to the contact;
# and one with the default settings, up to the summary.
EVERY_QUESTION = dict.fromkeys(PRACTICE.intake, "required")
TO_CONTACT = (*TO_TIME, "1", "María Pérez", "34", "1", "Control", "Fiebre", "no", "no", "no", "2")
TO_SUMMARY = (*TO_TIME, "1", "María Pérez", "34", "Control", "no", "2")
TO_MY_DATA = (*TO_MENU, "mis datos")
PATHS: dict[PatientState, tuple[str, ...]] = {
    S.NEW: (),
    S.CONSENT: ("hola",),
    S.DECLINED: ("hola", "2"),
    S.MENU: TO_MENU,
    S.HANDOFF: (*TO_MENU, "4"),
    S.SERVICE: (*TO_MENU, "1"),
    S.DAY: (*TO_MENU, "1", "1"),
    S.TIME: TO_TIME,
    S.NAME: (*TO_TIME, "1"),
    S.AGE: TO_CONTACT[:7],
    S.SEX: TO_CONTACT[:8],
    S.REASON: TO_CONTACT[:9],
    S.SYMPTOMS: TO_CONTACT[:10],
    S.HEALTH: TO_SUMMARY[:9],
    S.HISTORY: TO_CONTACT[:11],
    S.MEDICATIONS: TO_CONTACT[:12],
    S.ALLERGIES: TO_CONTACT[:13],
    S.URGENCY: TO_CONTACT[:14],
    S.CONTACT: TO_CONTACT,
    S.EMAIL: (*TO_CONTACT, "3"),
    S.SUMMARY: TO_SUMMARY,
    S.TAKEN: TO_SUMMARY,  # then the slot is taken and the patient confirms
    S.PICK: (*TO_MENU, "3"),
    S.ACTION: (*TO_MENU, "3"),
    S.CANCEL: (*TO_MENU, "3", "1"),
    S.MOVE_DAY: (*TO_MENU, "3", "2"),
    S.MOVE_TIME: (*TO_MENU, "3", "2", "1"),
    S.MOVE_CONFIRM: (*TO_MENU, "3", "2", "1", "1"),
    S.REMINDER: TO_MENU,  # then the reminder job takes over
    S.REBOOK: (*TO_SUMMARY, "1"),  # then the doctor rejects the request
    S.REBOOK_CONFIRM: (*TO_SUMMARY, "1"),  # and the patient picks the first time offered
    S.WAITLIST_JOIN: (*TO_TIME, "avísame si se libera algo"),
    S.WAITLIST_OFFER: TO_MENU,  # then a place freed is offered
    S.MY_DATA: TO_MY_DATA,
    S.MY_DATA_FIX: (*TO_MY_DATA, "1"),
    S.MY_DATA_NAME: (*TO_MY_DATA, "1", "1"),
    S.MY_DATA_AGE: (*TO_MY_DATA, "1", "2"),
    S.MY_DATA_SEX: (*TO_MY_DATA, "1", "3"),
    S.MY_DATA_WITHDRAW: (*TO_MY_DATA, "2"),
    S.MY_DATA_ERASE: (*TO_MY_DATA, "3"),
}
ASKING_EVERY_QUESTION = {
    S.NAME, S.AGE, S.SEX, S.REASON, S.SYMPTOMS, S.HISTORY, S.MEDICATIONS, S.ALLERGIES,
    S.URGENCY, S.CONTACT, S.EMAIL,
}  # fmt: skip
WITH_BOOKING = {S.PICK, S.ACTION, S.CANCEL, S.MOVE_DAY, S.MOVE_TIME, S.MOVE_CONFIRM, S.REMINDER}
CONSENTED = [state for state in S if state not in BEFORE_CONSENT]


def reach(state: PatientState) -> Patient:
    """A patient whose conversation got to `state` the way a real one would."""
    services = FakePatientServices.with_services("Consulta general", "Ultrasonido")
    if state in ASKING_EVERY_QUESTION:
        services.practice = replace(PRACTICE, intake=EVERY_QUESTION)
    if state in WITH_BOOKING:
        services.add_booking("K7M3QX", services.service_list[0], NOW + timedelta(days=3, hours=1))
    if state == S.PICK:
        services.add_booking("P2Q8RT", services.service_list[1], NOW + timedelta(days=4))
    patient = Patient(services)
    for message in PATHS[state]:
        patient.send(message)
    if state == S.TAKEN:
        services.taken_meanwhile.add(uuid.UUID(patient.chat.data["slot_id"]))
        patient.send("1")
    if state == S.REMINDER:
        patient.chat.state, patient.chat.data = S.REMINDER, {"code": "K7M3QX"}
    if state in (S.REBOOK, S.REBOOK_CONFIRM):
        offered_after_rejection(patient)
    if state == S.REBOOK_CONFIRM:
        patient.send("1")
    if state == S.WAITLIST_OFFER:
        service = services.service_list[0]
        slot = services.free[service.id][0]
        intake = PatientIntake(phone=services.phone, name="María Pérez", chief_complaint="Control")
        services.join_waitlist(service.id, slot.start.date(), slot.start.date(), "any", intake)
        offer_id = services.offer_place(service, slot)
        patient.chat.state = S.WAITLIST_OFFER
        patient.chat.data = offered_place(offer_id, service.name, slot.start)
    assert patient.state == state
    return patient


def offered_after_rejection(patient: Patient) -> None:
    """The doctor rejects the patient's request: the conversation offers the nearest times,
    as app/conversation/rebooking.py does in the rejection's transaction."""
    services, data = patient.services, patient.chat.data
    [request] = [booking for booking in services.booked() if booking.kind == "request"]
    services.close_request(request.code)
    assert request.service_id is not None
    nearest = services.nearest_free(request.service_id, request.start, 4)
    times = [slot for slot in nearest if slot.start != request.start][:3]
    data.clear()
    data.update(offer(request.code, request.service_id, times, patient.now))
    patient.chat.state = S.REBOOK


def test_every_state_is_in_the_table_and_fits_its_column() -> None:
    assert set(FLOW) == set(S)
    assert all(len(state) <= 40 for state in S)
    assert {state for state, step in FLOW.items() if step.help} == set(S) - OPENINGS - {S.NEW}
    assert set(PATHS) == set(S)


@pytest.mark.parametrize("state", list(S))
def test_menu_goes_to_the_menu_from_every_state_after_consent(state: PatientState) -> None:
    patient = reach(state)
    reply = patient.send("Menú")
    if state == S.NEW:
        assert reply.keys == ["patient.welcome", "patient.consent"]
    elif state in BEFORE_CONSENT:
        assert reply.keys == ["patient.consent"]
    else:
        assert reply.keys == ["patient.menu"] and patient.state == S.MENU
        assert patient.chat.data == {}


@pytest.mark.parametrize("state", sorted(set(S) - OPENINGS))
def test_help_explains_then_asks_the_same_question_again(state: PatientState) -> None:
    patient = reach(state)
    data = dict(patient.chat.data)
    helped = patient.send("ayuda")
    assert helped.keys[0] == FLOW[state].help and patient.state == state
    assert patient.chat.data == data
    media = patient.send("", media=True)
    assert media.keys[0] == "patient.text_only" and patient.state == state
    assert helped.said[1:] == media.said[1:]


@pytest.mark.parametrize("state", sorted(set(S) - OPENINGS))
def test_switching_language_asks_the_same_question_in_english(state: PatientState) -> None:
    patient = reach(state)
    reply = patient.send("inglés")
    assert reply.keys[0] == "patient.language_set" and patient.state == state
    assert patient.chat.language == "en" and patient.services.language == "en"
    assert reply.keys[1:] == patient.send("", media=True).keys[1:]


@pytest.mark.parametrize("state", sorted(state for state, step in FLOW.items() if step.needs))
def test_a_state_stored_without_its_data_starts_afresh(state: PatientState) -> None:
    patient = reach(state)
    patient.chat.data = {}
    assert patient.send("1").keys == ["patient.welcome_back", "patient.menu"]


def test_an_unknown_state_starts_afresh() -> None:
    patient = reach(S.MENU)
    patient.chat.state = "retired_state"
    assert patient.send("hola").keys == ["patient.welcome_back", "patient.menu"]


@pytest.mark.parametrize(
    "state", sorted(set(CONSENTED) - {S.MENU, S.HANDOFF, S.REMINDER, S.REBOOK})
)
def test_a_day_of_silence_mid_flow_starts_over(state: PatientState) -> None:
    patient = reach(state)
    reply = patient.send("1", wait=timedelta(hours=24, minutes=1))
    assert reply.keys == ["patient.idle_reset", "patient.menu"]
    assert patient.chat.data == {}


def test_health_answers_reach_the_services_only_in_the_request() -> None:
    patient = reach(S.SUMMARY)
    patient.send("1")
    for name, args in patient.services.calls:
        if name not in {"hold", "remember_patient"}:
            assert "Control" not in repr(args) and "María" not in repr(args), name


# Messages a patient might send anywhere, mixed with arbitrary text.
WORDS = ["1", "2", "3", "4", "5", "menu", "ayuda", "english", "español", "no", "sí", "10:30"]
MESSAGES = st.one_of(st.sampled_from(WORDS), st.text(max_size=600))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(state=st.sampled_from(list(S)), message=MESSAGES, media=st.booleans())
def test_any_message_in_any_state_gets_an_answer(
    state: PatientState, message: str, media: bool
) -> None:
    patient = reach(state)
    reply = patient.send(message, media=media)
    assert reply.said or state == S.HANDOFF


def drawn_transitions() -> set[tuple[str, str]]:
    diagram = (ROOT / "bot_flows" / "patient.mmd").read_text()
    return set(re.findall(r"^\s*(\w+) --> (\w+)", diagram, flags=re.MULTILINE))


def test_the_diagram_draws_every_state() -> None:
    drawn = {state for edge in drawn_transitions() for state in edge}
    assert drawn == set(S)


# Replies that ask the same question again after saying why: the diagram's header
# describes these instead of drawing a loop on every state.
ASKED_AGAIN = frozenset({
    "patient.not_understood", "patient.write_words", "patient.bad_age", "patient.bad_email",
    "patient.bad_name",
    "patient.reason_needed", "patient.answer_needed", "patient.text_only", "patient.language_set",
    *(step.help for step in FLOW.values() if step.help),
})  # fmt: skip


def described_by_the_header(before: str, after: str, message: str, keys: list[str]) -> bool:
    """Whether a move is one the diagram's header describes: "menu", or asked again."""
    if fold(message) in MENU_WORDS:
        return after == (S.CONSENT if before in BEFORE_CONSENT else S.MENU)
    if before in CHOOSING and intent_of(fold(message)) in ELSEWHERE:
        return after in FLOW[S.MENU].goes_to  # done as from the menu
    return after == before and not ASKED_AGAIN.isdisjoint(keys)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(state=st.sampled_from(list(S)), messages=st.lists(MESSAGES, max_size=25))
def test_every_move_the_flow_makes_is_in_the_table(
    state: PatientState, messages: list[str]
) -> None:
    """Whatever is typed, each move is one its step declares (and so one the diagram draws)."""
    patient = reach(state)
    for message in messages:
        before = patient.state
        keys = patient.send(message).keys
        after = patient.state
        described = described_by_the_header(before, after, message, keys)
        assert described or after in FLOW[before].goes_to, (before, after, message, keys)


def test_the_diagram_draws_exactly_the_moves_of_the_table() -> None:
    declared = {(state, after) for state, step in FLOW.items() for after in step.goes_to}
    drawn = {(before, after) for before, after in drawn_transitions() if before != "[*]"}
    assert drawn == declared


TWENTY_TIMES = [time(9 + n // 2, 30 * (n % 2)) for n in range(20)]  # 09:00 to 18:30


def with_a_long_day(path: tuple[str, ...], booking: bool = False) -> Patient:
    """A patient whose only service has 20 free times on Tuesday: 9 shown, then "more"."""
    services = FakePatientServices.with_services()
    service = services.add_service("Consulta general", [date(2026, 12, 1)], TWENTY_TIMES)
    if booking:
        services.add_booking("K7M3QX", service, NOW + timedelta(days=3))
    patient = Patient(services)
    patient.say(*path)
    return patient


def emptied(patient: Patient) -> Patient:
    """`patient` with every free time gone, as if booked by others meanwhile."""
    for slots in patient.services.free.values():
        slots.clear()
    return patient


def two_consultations(patient: Patient) -> Patient:
    """Services offered as "Consulta general" and "Consulta prenatal": "consulta" is both."""
    patient.chat.data["services"][1][1] = "Consulta prenatal"
    return patient


def changed_booking(state: PatientState, **entry: object) -> Patient:
    patient = reach(state)
    patient.chat.data["booking"] |= entry
    return patient


def refusing(patient: Patient, method: str) -> Patient:
    patient.services.refusals[method] = BookingError("could not find a free request code")
    return patient


def refusing_to_hold(patient: Patient) -> Patient:
    patient.services.refusals["hold"] = BookingError("could not find a free request code")
    return patient


# One real move for each edge the diagram draws into the menu or back to the same
# state: the patient it starts from, the message, and how long they waited.
MOVES_DRAWN: dict[tuple[str, str], Callable[[], tuple[Patient, str, timedelta]]] = {
    (S.NEW, S.MENU): lambda: (
        Patient(FakePatientServices.with_services("Consulta", consented=True)),
        "hola",
        MINUTE,
    ),
    (S.CONSENT, S.MENU): lambda: (reach(S.CONSENT), "1", MINUTE),
    (S.CONSENT, S.CONSENT): lambda: (reach(S.CONSENT), "no puedo respirar", MINUTE),
    (S.MENU, S.MENU): lambda: (reach(S.MENU), "2", MINUTE),
    (S.HANDOFF, S.MENU): lambda: (reach(S.HANDOFF), "hola", timedelta(hours=24)),
    (S.HANDOFF, S.HANDOFF): lambda: (reach(S.HANDOFF), "hola", MINUTE),
    (S.SERVICE, S.SERVICE): lambda: (two_consultations(reach(S.SERVICE)), "consulta", MINUTE),
    (S.DAY, S.DAY): lambda: (reach(S.DAY), "el domingo", MINUTE),
    (S.MOVE_DAY, S.MOVE_DAY): lambda: (reach(S.MOVE_DAY), "el domingo", MINUTE),
    (S.TIME, S.TIME): lambda: (with_a_long_day((*TO_MENU, "1", "1")), "10", MINUTE),
    (S.SUMMARY, S.MENU): lambda: (reach(S.SUMMARY), "1", MINUTE),
    (S.SUMMARY, S.SUMMARY): lambda: (refusing_to_hold(reach(S.SUMMARY)), "1", MINUTE),
    (S.ACTION, S.MENU): lambda: (changed_booking(S.ACTION, service_id=None), "2", MINUTE),
    (S.ACTION, S.ACTION): lambda: (changed_booking(S.ACTION, kind="request"), "2", MINUTE),
    (S.CANCEL, S.MENU): lambda: (reach(S.CANCEL), "1", MINUTE),
    (S.MOVE_DAY, S.MENU): lambda: (emptied(reach(S.MOVE_DAY)), "1", MINUTE),
    (S.MOVE_CONFIRM, S.MENU): lambda: (reach(S.MOVE_CONFIRM), "2", MINUTE),
    (S.MOVE_TIME, S.MOVE_TIME): lambda: (
        with_a_long_day((*TO_MENU, "3", "2", "1"), booking=True),
        "10",
        MINUTE,
    ),
    (S.REMINDER, S.MENU): lambda: (reach(S.REMINDER), "1", MINUTE),
    (S.REBOOK, S.REBOOK): lambda: (reach(S.REBOOK), "hola", MINUTE),
    (S.REBOOK, S.MENU): lambda: (reach(S.REBOOK), "2", timedelta(hours=25)),
    (S.REBOOK_CONFIRM, S.MENU): lambda: (reach(S.REBOOK_CONFIRM), "1", MINUTE),
    (S.WAITLIST_JOIN, S.MENU): lambda: (reach(S.WAITLIST_JOIN), "4", MINUTE),
    (S.WAITLIST_OFFER, S.MENU): lambda: (reach(S.WAITLIST_OFFER), "1", MINUTE),
    (S.WAITLIST_OFFER, S.WAITLIST_OFFER): lambda: (
        refusing(reach(S.WAITLIST_OFFER), "accept_offer"),
        "1",
        MINUTE,
    ),
    (S.MY_DATA, S.MENU): lambda: (reach(S.MY_DATA), "4", MINUTE),
    (S.MY_DATA_NAME, S.MENU): lambda: (reach(S.MY_DATA_NAME), "Ana María Pérez", MINUTE),
    (S.MY_DATA_AGE, S.MENU): lambda: (reach(S.MY_DATA_AGE), "35", MINUTE),
    (S.MY_DATA_SEX, S.MENU): lambda: (reach(S.MY_DATA_SEX), "1", MINUTE),
    (S.MY_DATA_WITHDRAW, S.MENU): lambda: (reach(S.MY_DATA_WITHDRAW), "2", MINUTE),
    (S.MY_DATA_ERASE, S.MENU): lambda: (reach(S.MY_DATA_ERASE), "2", MINUTE),
    (S.REBOOK_CONFIRM, S.REBOOK_CONFIRM): lambda: (
        refusing(reach(S.REBOOK_CONFIRM), "rebook"),
        "1",
        MINUTE,
    ),
}


def test_each_edge_drawn_into_the_menu_or_back_has_a_real_move() -> None:
    drawn = {(before, after) for before, after in drawn_transitions()}
    assert {edge for edge in drawn if edge[1] in (S.MENU, edge[0])} == set(MOVES_DRAWN)


@pytest.mark.parametrize("edge", sorted(MOVES_DRAWN))
def test_the_table_makes_each_move_drawn_into_the_menu_or_back(edge: tuple[str, str]) -> None:
    patient, message, wait = MOVES_DRAWN[edge]()
    before = patient.state
    keys = patient.send(message, wait=wait).keys
    assert (before, patient.state) == edge
    assert not described_by_the_header(before, patient.state, message, keys)


def test_every_sentence_the_flow_says_is_in_the_catalogue_and_used() -> None:
    flows = [*(ROOT / "bot_flows").glob("patient*.py"), ROOT / "bot_flows" / "practice_copy.py"]
    source = "".join(path.read_text() for path in flows)
    used = set(re.findall(r'"(patient\.[a-z_.]+)"', source))
    written = {key for key in CATALOGUES["es"] if key.startswith("patient.")}
    assert used == written


ZONE = ZoneInfo("America/Mexico_City")


# Times on the long day (Tuesday 2026-12-01, Mexico City): 09:00, 09:30, ... 18:30.
@pytest.mark.parametrize(
    ("answer", "local"),
    [
        ("a las 10", time(10, 0)),  # the third time shown, not the tenth ("more")
        ("A las 4", time(16, 0)),  # no 04:00: the afternoon's
        ("at 11", time(11, 0)),
        ("como a las 9 porfa", time(9, 0)),
        ("9", time(13, 0)),  # a bare number is the option's position
    ],
)
def test_a_named_hour_is_a_time_of_day_not_a_position(answer: str, local: time) -> None:
    patient = with_a_long_day((*TO_MENU, "1", "1"))
    patient.send(answer)
    start = datetime.fromisoformat(patient.chat.data["start"]).astimezone(ZONE)
    assert start.time() == local and start.date() == date(2026, 12, 1)


@pytest.mark.parametrize("answer", ["a las 8", "a las 7", "at 20"])
def test_a_named_hour_that_is_not_free_is_asked_again_never_read_as_a_position(
    answer: str,
) -> None:
    patient = with_a_long_day((*TO_MENU, "1", "1"))
    reply = patient.send(answer)
    assert patient.state == S.TIME and "start" not in patient.chat.data
    assert reply.keys[0] == "patient.time_not_free"
