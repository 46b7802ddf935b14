"""What `make run` does, on the embedded SQLite database: migrate, import the demo, generate."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from click.testing import Result
from flask import Flask
from sqlalchemy import func, select

from app import create_app
from app.config import Config
from app.database import get_database
from app.models import AvailabilityRule, ClosedDate, MedicalService, Profile, TimeSlot
from tests.conftest import FrozenClock, alembic_config

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo_clinic.yaml"


@pytest.fixture
def embedded_app(
    tmp_path: Path, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Flask]:
    """The app on a fresh SQLite file migrated to head, its commands reading `clock`."""
    url = f"sqlite:///{tmp_path}/citabot.db"
    command.upgrade(alembic_config(url), "head")
    monkeypatch.setattr("app.cli.clinic.utc_now", clock)
    monkeypatch.setattr("app.cli.slots.utc_now", clock)
    app = create_app(Config(database_url=url, messaging_backend="console", environment="testing"))
    yield app
    get_database(app).engine.dispose()


def invoke(app: Flask, *args: str) -> Result:
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result


def counts(app: Flask) -> dict[str, int]:
    with get_database(app).sessions() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Profile, MedicalService, AvailabilityRule, ClosedDate, TimeSlot)
        }


def test_the_demo_clinic_imports_and_gets_its_slots_once(embedded_app: Flask) -> None:
    # The clock stands at Tuesday 2026-12-01 09:00 in Mexico City. In 30 days: Tuesday
    # after 09:00 (7 + 6 starts), 20 more weekdays (14 starts; the 25th is closed), 4
    # Saturdays (6 starts) and 2026-12-31 09:00; each start for all 3 services.
    slots = 3 * (13 + 20 * 14 + 4 * 6 + 1)
    profile_id = invoke(embedded_app, "clinic", "import", str(DEMO)).stdout.strip()

    first = invoke(embedded_app, "slots", "generate", "--days", "30")
    second = invoke(embedded_app, "slots", "generate", "--days", "30")

    assert first.output == (
        f"Dra. Ana López ({profile_id}): {slots} created, 0 updated, 0 removed, "
        "0 kept (taken or blocked)\n"
    )
    assert second.output == (
        f"Dra. Ana López ({profile_id}): 0 created, 0 updated, 0 removed, "
        "0 kept (taken or blocked)\n"
    )
    assert counts(embedded_app) == {
        "profile": 1,
        "medical_service": 3,
        "availability_rule": 11,
        "closed_date": 2,
        "time_slot": slots,
    }
    invoke(embedded_app, "clinic", "import", str(DEMO))
    third = invoke(embedded_app, "slots", "generate", "--days", "30")
    assert f"({profile_id}): 0 created, 0 updated, 0 removed" in third.output
    assert counts(embedded_app)["time_slot"] == slots
