"""What holds in every state: menu, help, media, language, stale data, random text, the diagram."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot_flows.patient import FLOW, HELP, NEEDS, PatientState
from bot_flows.patient_states import BEFORE_CONSENT, OPENINGS
from bot_flows.ports import StoredPatient
from bot_flows.texts import CATALOGUES
from tests.unit.fake_patient_desk import NOW, FakePatientDesk, Patient

S = PatientState
ROOT = Path(__file__).resolve().parents[2]
TO_MENU = ("hola", "1")
TO_TIME = (*TO_MENU, "1", "1", "1")
TO_CONTACT = (*TO_TIME, "1", "María", "34", "1", "Control", "no", "no", "no", "no", "2")
PATHS: dict[PatientState, tuple[str, ...]] = {
    S.NEW: (),
    S.CONSENT: ("hola",),
    S.DECLINED: ("hola", "2"),
    S.MENU: TO_MENU,
    S.HANDOFF: (*TO_MENU, "4"),
    S.SERVICE: (*TO_MENU, "1"),
    S.DAY: (*TO_MENU, "1", "1"),
    S.TIME: TO_TIME,
    S.REUSE: (*TO_TIME, "1"),
    S.NAME: (*TO_TIME, "1"),
    S.AGE: TO_CONTACT[:7],
    S.SEX: TO_CONTACT[:8],
    S.REASON: TO_CONTACT[:9],
    S.SYMPTOMS: TO_CONTACT[:10],
    S.HISTORY: TO_CONTACT[:11],
    S.MEDICATIONS: TO_CONTACT[:12],
    S.ALLERGIES: TO_CONTACT[:13],
    S.URGENCY: TO_CONTACT[:14],
    S.CONTACT: TO_CONTACT,
    S.EMAIL: (*TO_CONTACT, "3"),
    S.SUMMARY: (*TO_CONTACT, "1"),
    S.TAKEN: (*TO_CONTACT, "1"),  # then the slot is taken and the patient confirms
    S.PICK: (*TO_MENU, "3"),
    S.ACTION: (*TO_MENU, "3"),
    S.CANCEL: (*TO_MENU, "3", "1"),
    S.MOVE_DAY: (*TO_MENU, "3", "2"),
    S.MOVE_TIME: (*TO_MENU, "3", "2", "1"),
    S.REMINDER: TO_MENU,  # then the reminder job takes over
}
WITH_BOOKING = {S.PICK, S.ACTION, S.CANCEL, S.MOVE_DAY, S.MOVE_TIME, S.REMINDER}
CONSENTED = [state for state in S if state not in BEFORE_CONSENT]


def reach(state: PatientState) -> Patient:
    """A patient whose conversation got to `state` the way a real one would."""
    desk = FakePatientDesk.with_services("Consulta general", "Ultrasonido")
    if state == S.REUSE:
        desk.stored = StoredPatient("María Pérez", 34, "female")
    if state in WITH_BOOKING:
        desk.add_booking("K7M3QX", desk.service_list[0], NOW + timedelta(days=3, hours=1))
    if state == S.PICK:
        desk.add_booking("P2Q8RT", desk.service_list[1], NOW + timedelta(days=4))
    patient = Patient(desk)
    for message in PATHS[state]:
        patient.send(message)
    if state == S.TAKEN:
        desk.taken_meanwhile.add(uuid.UUID(patient.chat.data["slot_id"]))
        patient.send("1")
    if state == S.REMINDER:
        patient.chat.state, patient.chat.data = S.REMINDER, {"code": "K7M3QX"}
    assert patient.state == state
    return patient


def test_every_state_is_in_the_table_and_fits_its_column() -> None:
    assert set(FLOW) == set(S)
    assert all(len(state) <= 40 for state in S)
    assert set(HELP) == set(S) - OPENINGS - {S.NEW}
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
    assert helped.keys[0] == HELP[state] and patient.state == state
    assert patient.chat.data == data
    media = patient.send("", media=True)
    assert media.keys[0] == "patient.text_only" and patient.state == state
    assert helped.said[1:] == media.said[1:]


@pytest.mark.parametrize("state", sorted(set(S) - OPENINGS))
def test_switching_language_asks_the_same_question_in_english(state: PatientState) -> None:
    patient = reach(state)
    reply = patient.send("inglés")
    assert reply.keys[0] == "patient.language_set" and patient.state == state
    assert patient.chat.language == "en" and patient.desk.language == "en"
    assert reply.keys[1:] == patient.send("", media=True).keys[1:]


@pytest.mark.parametrize("state", sorted(NEEDS))
def test_a_state_stored_without_its_data_starts_afresh(state: PatientState) -> None:
    patient = reach(state)
    patient.chat.data = {}
    assert patient.send("1").keys == ["patient.welcome_back", "patient.menu"]


def test_an_unknown_state_starts_afresh() -> None:
    patient = reach(S.MENU)
    patient.chat.state = "retired_state"
    assert patient.send("hola").keys == ["patient.welcome_back", "patient.menu"]


@pytest.mark.parametrize("state", sorted(set(CONSENTED) - {S.MENU, S.HANDOFF, S.REMINDER}))
def test_a_day_of_silence_mid_flow_starts_over(state: PatientState) -> None:
    patient = reach(state)
    reply = patient.send("1", wait=timedelta(hours=24, minutes=1))
    assert reply.keys == ["patient.idle_reset", "patient.menu"]
    assert patient.chat.data == {}


def test_health_answers_reach_the_desk_only_in_the_request() -> None:
    patient = reach(S.SUMMARY)
    patient.send("1")
    for name, args in patient.desk.calls:
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


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(state=st.sampled_from(list(S)), messages=st.lists(MESSAGES, max_size=25))
def test_every_move_the_flow_makes_is_drawn(state: PatientState, messages: list[str]) -> None:
    """The diagram stays true to the table: whatever is typed, each move is one it draws."""
    drawn = drawn_transitions()
    patient = reach(state)
    for message in messages:
        before = patient.state
        patient.send(message)
        after = patient.state
        everywhere = after == before or (after == S.MENU and before not in BEFORE_CONSENT)
        before_consent = before in BEFORE_CONSENT and after == S.CONSENT
        assert everywhere or before_consent or (before, after) in drawn, (before, after, message)


def test_every_sentence_the_flow_says_is_in_the_catalogue_and_used() -> None:
    source = "".join(path.read_text() for path in (ROOT / "bot_flows").glob("patient*.py"))
    used = set(re.findall(r'"(patient\.[a-z_.]+)"', source))
    written = {key for key in CATALOGUES["es"] if key.startswith("patient.")}
    assert used == written
