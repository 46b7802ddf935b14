"""The `sides` fixture: each contract test runs once on the fakes and once on PostgreSQL.

A test may change the practice by parametrizing `approval_required` or `doctor_phone`
directly; both worlds are built from the same values.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from app.db import Base, make_sessionmaker
from tests.conftest import FrozenClock
from tests.contract.sides import DOCTOR, FakeSides, RealSides, Sides


@pytest.fixture(scope="package")
def contract_sessions(engine: Engine) -> Iterator[sessionmaker[Session]]:
    """Sessions on the test database, emptied once after the contract tests, not after each.

    Every test makes a practice of its own and the services only ever read their own
    practice's rows, so the tests cannot see each other; emptying every table after
    each one would take most of the suite's time.
    """
    yield make_sessionmaker(engine)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} CASCADE"))


@pytest.fixture
def approval_required() -> bool:
    return True


@pytest.fixture
def doctor_phone() -> str | None:
    return DOCTOR


@pytest.fixture(params=["fake", pytest.param("real", marks=pytest.mark.postgres)])
def sides(
    request: pytest.FixtureRequest,
    clock: FrozenClock,
    approval_required: bool,
    doctor_phone: str | None,
) -> Sides:
    """The practice on the side named by the parameter; the real one only asks for a database."""
    if request.param == "fake":
        return FakeSides(clock, approval_required, doctor_phone)
    sessions = request.getfixturevalue("contract_sessions")
    return RealSides(sessions, clock, approval_required, doctor_phone)
