"""Fixtures of the integration tests that run on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy.orm import Session, sessionmaker

from app.db import make_engine, make_sessionmaker
from tests.conftest import alembic_config


@pytest.fixture(params=["postgresql", "sqlite"])
def any_sessions(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    """Sessions on the test PostgreSQL database, or on a fresh SQLite file at head."""
    if request.param == "postgresql":
        yield request.getfixturevalue("sessions")
        return
    url = f"sqlite:///{tmp_path}/inbox.db"
    command.upgrade(alembic_config(url), "head")
    engine = make_engine(url)
    yield make_sessionmaker(engine)
    engine.dispose()
