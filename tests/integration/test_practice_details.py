"""The practice a message finds carries how patients see it, from both inbox stores.

Both the PostgreSQL arrival statement and the SQLite store read `PracticeDetails` by
its field names; the intake comes complete even where the column names a few
questions or is NULL (a practice set up before migration 0007).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from app.conversation.flood_limit import FloodLimit
from app.conversation.inbox_store import Received, store_for
from app.practices.intake_settings import INTAKE_DEFAULTS
from bot_flows.ports import PracticeDetails
from tests.conftest import FrozenClock
from tests.factories import make_practice

FLOOD = FloodLimit(burst=3, refill=timedelta(seconds=2))


def details(sessions: sessionmaker[Session], number: str, clock: FrozenClock) -> PracticeDetails:
    now = clock()
    message = Received(
        number,
        "+5215512345678",
        "hola",
        "hola",
        None,
        "SM1",
        now,
        throttled_body="[throttled]",
        flood_full_after=FLOOD.full_after(now),
    )
    with sessions.begin() as session:
        arrival = store_for(session).arrive(session, message)
    assert arrival is not None
    return arrival.practice


def test_the_practice_carries_address_title_gender_prices_and_intake(
    any_sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    with any_sessions.begin() as session:
        number = make_practice(
            session,
            name="Ana López",
            address="Av. Reforma 10",
            doctor_title="Dra.",
            doctor_gender="f",
            show_prices=True,
            currency="MXN",
            intake={"sex": "optional"},
        ).whatsapp_number
    assert number is not None

    practice = details(any_sessions, number, clock)

    assert (practice.address, practice.doctor_title, practice.doctor_gender) == (
        "Av. Reforma 10",
        "Dra.",
        "f",
    )
    assert (practice.show_prices, practice.currency) == (True, "MXN")
    assert practice.intake == dict(INTAKE_DEFAULTS) | {"sex": "optional"}


def test_a_practice_set_up_before_the_new_columns_gets_their_defaults(
    any_sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    with any_sessions.begin() as session:
        number = make_practice(session).whatsapp_number
    assert number is not None

    practice = details(any_sessions, number, clock)

    assert (practice.address, practice.doctor_title, practice.currency) == (None, None, None)
    assert (practice.doctor_gender, practice.show_prices) == ("x", False)
    assert practice.intake == INTAKE_DEFAULTS
