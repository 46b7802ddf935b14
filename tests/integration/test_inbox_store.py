"""The inbox's two stores, one statement on PostgreSQL and several on SQLite, agree."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from psycopg._queries import MAX_CACHED_STATEMENT_LENGTH, MAX_CACHED_STATEMENT_PARAMS
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, sessionmaker

from app.conversation.flood_limit import FloodLimit
from app.conversation.inbox_store import Arrival, Received, Replies, store_for
from app.models import Contact, Conversation, MessageLog
from bot_flows.patient_states import PatientState
from tests.conftest import FrozenClock
from tests.factories import make_practice

PATIENT = "+5215512345678"


@pytest.fixture
def practice(any_sessions: sessionmaker[Session]) -> tuple[str, str]:
    """A practice's WhatsApp number and its doctor's phone."""
    with any_sessions.begin() as session:
        profile = make_practice(session, emergency_phone="911", cancellation_policy="24 h")
        return str(profile.whatsapp_number), str(profile.doctor_phone)


# A bucket of three messages, one back every two seconds.
FLOOD = FloodLimit(burst=3, refill=timedelta(seconds=2))


def received(number: str, now: datetime, sid: str = "SM1", phone: str = PATIENT) -> Received:
    return Received(
        number,
        phone,
        "me duele la cabeza",
        "[guarded]",
        None,
        sid,
        now,
        throttled_body="[throttled]",
        flood_full_after=FLOOD.full_after(now),
    )


def arrive(sessions: sessionmaker[Session], message: Received) -> Arrival | None:
    with sessions.begin() as session:
        return store_for(session).arrive(session, message)


def inbound_bodies(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as session:
        query = select(MessageLog.body).where(MessageLog.direction == "in")
        return list(session.scalars(query.order_by(MessageLog.created_at)))


def count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_an_unknown_number_finds_nothing_and_writes_nothing(
    any_sessions: sessionmaker[Session], practice: tuple[str, str], clock: FrozenClock
) -> None:
    assert arrive(any_sessions, received("+14150000000", clock())) is None

    assert [count(any_sessions, m) for m in (Conversation, MessageLog, Contact)] == [0, 0, 0]


def test_a_first_message_creates_the_conversation_and_contact_and_guards_its_words(
    any_sessions: sessionmaker[Session], practice: tuple[str, str], clock: FrozenClock
) -> None:
    arrival = arrive(any_sessions, received(practice[0], clock()))

    assert arrival is not None and arrival.contact is not None
    assert arrival.practice.doctor_phone == practice[1]
    assert (arrival.practice.emergency_phone, arrival.practice.cancellation_policy) == (
        "911",
        "24 h",
    )
    assert (arrival.practice.min_notice_minutes, arrival.practice.booking_horizon_days) == (60, 60)
    assert arrival.conversation.state == PatientState.NEW
    assert arrival.conversation.data == {}
    assert arrival.conversation.updated_at == clock()
    assert arrival.contact.phone == PATIENT
    assert inbound_bodies(any_sessions) == ["[guarded]"]


def test_the_doctor_and_a_consented_patient_are_logged_as_written(
    any_sessions: sessionmaker[Session], practice: tuple[str, str], clock: FrozenClock
) -> None:
    arrive(any_sessions, received(practice[0], clock(), "SM1", phone=practice[1]))
    first = arrive(any_sessions, received(practice[0], clock(), "SM2"))
    assert first is not None
    silence = Replies(first.practice.id, PATIENT, [], clock())
    with any_sessions.begin() as session:
        moved = {"state": PatientState.MENU, "data": {}, "handoff_until": None}
        moved |= {"flood_window_start": None, "flood_count": 0, "updated_at": clock()}
        store_for(session).finish(session, first.conversation.id, moved, silence)
    arrive(any_sessions, received(practice[0], clock.advance(seconds=5), "SM3"))

    assert inbound_bodies(any_sessions) == [
        "me duele la cabeza",  # the doctor
        "[guarded]",  # the patient, before consent
        "me duele la cabeza",  # the patient at the menu
    ]


def test_a_duplicate_changes_nothing(
    any_sessions: sessionmaker[Session], practice: tuple[str, str], clock: FrozenClock
) -> None:
    first = arrive(any_sessions, received(practice[0], clock()))
    later = clock() + timedelta(seconds=30)

    again = arrive(any_sessions, received(practice[0], later))

    assert first is not None and again is not None
    assert again.contact is None
    assert again.conversation.id == first.conversation.id
    assert count(any_sessions, MessageLog) == 1
    with any_sessions() as session:
        contact = session.scalars(select(Contact)).one()
        conversation = session.scalars(select(Conversation)).one()
    assert contact.last_inbound_at == clock()
    assert conversation.updated_at == clock()


def test_finish_moves_the_conversation_and_logs_the_replies_in_order(
    any_sessions: sessionmaker[Session], practice: tuple[str, str], clock: FrozenClock
) -> None:
    arrival = arrive(any_sessions, received(practice[0], clock()))
    assert arrival is not None
    later = clock() + timedelta(minutes=1)
    moved = {
        "state": PatientState.CONSENT,
        "data": {"service_id": "x"},
        "handoff_until": later + timedelta(hours=24),
        "flood_window_start": clock(),
        "flood_count": 2,
        "updated_at": later,
    }
    replies = Replies(arrival.practice.id, PATIENT, ["uno", "dos", "tres"], later)

    with any_sessions.begin() as session:
        store_for(session).finish(session, arrival.conversation.id, moved, replies)

    with any_sessions() as session:
        conversation = session.scalars(select(Conversation)).one()
        outbound = session.execute(
            select(MessageLog.body, MessageLog.created_at, MessageLog.status, MessageLog.attempts)
            .where(MessageLog.direction == "out")
            .order_by(MessageLog.created_at)
        ).all()
    assert (conversation.state, conversation.data) == (PatientState.CONSENT, {"service_id": "x"})
    assert conversation.handoff_until == later + timedelta(hours=24)
    assert (conversation.flood_window_start, conversation.flood_count) == (clock(), 2)
    assert conversation.updated_at == later
    assert [tuple(row) for row in outbound] == [
        (body, later + timedelta(microseconds=n), "sent", 0)
        for n, body in enumerate(["uno", "dos", "tres"], start=1)
    ]


@pytest.mark.parametrize("doctor", [False, True])
def test_past_the_flood_limit_a_patients_words_are_not_kept(
    any_sessions: sessionmaker[Session],
    practice: tuple[str, str],
    clock: FrozenClock,
    doctor: bool,
) -> None:
    phone = practice[1] if doctor else PATIENT
    arrival = arrive(any_sessions, received(practice[0], clock(), "SM0", phone=phone))
    assert arrival is not None
    start = clock()

    def arriving(empty_in: float, sid: str, seconds: float) -> None:
        """A message `seconds` after the start, the bucket empty `empty_in` s after the start."""
        with any_sessions.begin() as session:
            moved = {"state": PatientState.MENU, "data": {}, "handoff_until": None}
            moved |= {"flood_window_start": start + timedelta(seconds=empty_in), "flood_count": 0}
            moved |= {"updated_at": clock()}
            store = store_for(session)
            store.finish(
                session,
                arrival.conversation.id,
                moved,
                Replies(arrival.practice.id, phone, [], clock()),
            )
        arrive(
            any_sessions,
            received(practice[0], start + timedelta(seconds=seconds), sid, phone=phone),
        )

    arriving(4, "SM1", 0)  # room for one more (two in use of three): kept
    arriving(6, "SM2", 0)  # the bucket is full: its length only
    arriving(6, "SM3", 2)  # one came back two seconds later: kept again

    words = "me duele la cabeza"
    assert inbound_bodies(any_sessions)[1:] == (
        [words, words, words] if doctor else [words, "[throttled]", words]
    )


def test_each_messages_statements_stay_within_psycopgs_statement_cache(
    any_sessions: sessionmaker[Session], practice: tuple[str, str], clock: FrozenClock
) -> None:
    """Past 4096 bytes or 50 parameters psycopg parses a statement again on every run.

    The arrival statement grows with each practice column the conversation reads; at
    4,234 bytes it cost a tenth of the webhook's CPU per message (bench/README.md).
    """
    if any_sessions.kw["bind"].dialect.name != "postgresql":
        pytest.skip("SQLite's store runs several statements through sqlite3, not psycopg")
    sessions = any_sessions
    executed: list[tuple[str, int]] = []

    def record(*args: object) -> None:
        statement, params = args[2], args[3]
        assert isinstance(statement, str) and isinstance(params, dict | list | tuple)
        executed.append((statement, len(params)))

    event.listen(sessions.kw["bind"], "after_cursor_execute", record)
    try:
        arrival = arrive(sessions, received(practice[0], clock()))
        assert arrival is not None
        replies = Replies(arrival.practice.id, PATIENT, ["uno", "dos"], clock())
        with sessions.begin() as session:
            moved = {"state": "menu", "data": {}, "handoff_until": None, "updated_at": clock()}
            moved |= {"flood_window_start": None, "flood_count": 0}
            store_for(session).finish(session, arrival.conversation.id, moved, replies)
    finally:
        event.remove(sessions.kw["bind"], "after_cursor_execute", record)
    assert len(executed) == 2  # one statement each on PostgreSQL
    for statement, params in executed:
        assert len(statement.encode()) <= MAX_CACHED_STATEMENT_LENGTH, statement[:80]
        assert params <= MAX_CACHED_STATEMENT_PARAMS, statement[:80]
