"""`clinic import` against PostgreSQL: creates, repeats safely, updates, refuses bad files."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app import create_app
from app.config import Config
from app.db import Base
from app.models import AvailabilityRule, ClosedDate, MedicalService, Practice
from app.practices.clinic_file import read_clinic
from app.practices.setup import import_clinic
from tests.conftest import FrozenClock

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo_clinic.yaml"
CLINIC_TABLES = ("profile", "medical_service", "availability_rule", "closed_date")


def demo_data() -> dict[str, Any]:
    return yaml.safe_load(DEMO.read_text(encoding="utf-8"))


def import_data(
    sessions: sessionmaker[Session], data: dict[str, Any], clock: FrozenClock
) -> uuid.UUID:
    return import_clinic(sessions, read_clinic(data), clock()).profile_id


def services(sessions: sessionmaker[Session], profile_id: uuid.UUID) -> dict[str, MedicalService]:
    with sessions() as session:
        query = select(MedicalService).where(MedicalService.profile_id == profile_id)
        return {service.name: service for service in session.scalars(query)}


def rules(sessions: sessionmaker[Session], profile_id: uuid.UUID) -> list[tuple[Any, ...]]:
    with sessions() as session:
        query = select(AvailabilityRule).where(AvailabilityRule.profile_id == profile_id)
        return sorted(
            (
                rule.day_of_week,
                rule.start_time,
                rule.end_time,
                rule.slot_duration,
                rule.buffer_time,
                rule.max_appointments_per_slot,
                rule.is_active,
                rule.effective_from,
                rule.effective_to,
            )
            for rule in session.scalars(query)
        )


def closures(sessions: sessionmaker[Session], profile_id: uuid.UUID) -> list[tuple[date, str]]:
    with sessions() as session:
        query = select(ClosedDate).where(ClosedDate.profile_id == profile_id)
        return sorted((closed.day, closed.source) for closed in session.scalars(query))


def snapshot(sessions: sessionmaker[Session]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the practice's tables, to show that nothing changed."""
    with sessions() as session:
        return {
            name: sorted(map(tuple, session.execute(select(Base.metadata.tables[name]))), key=str)
            for name in CLINIC_TABLES
        }


def test_import_creates_the_practice(sessions: sessionmaker[Session], clock: FrozenClock) -> None:
    profile_id = import_data(sessions, demo_data(), clock)

    with sessions() as session:
        profile = session.get_one(Practice, profile_id)
    assert (profile.name, profile.specialty, profile.practice_type) == (
        "Dra. Ana López",
        "Medicina general",
        "general",
    )
    assert (profile.whatsapp_number, profile.doctor_phone, profile.emergency_phone) == (
        "+14155238886",
        "+525511111111",
        "911",
    )
    assert (profile.timezone, profile.language, profile.appointment_approval_required) == (
        "America/Mexico_City",
        "es",
        True,
    )
    assert profile.cancellation_policy and "24 horas" in profile.cancellation_policy
    assert (profile.attendance_ask_hours, profile.cancellation_window_hours) == (24, 24)
    assert (profile.no_show_limit, profile.no_show_months, profile.no_show_action) == (
        2,
        6,
        "approval",
    )
    assert profile.phone == "+525555501234"
    assert profile.created_at == profile.updated_at == clock()

    offered = services(sessions, profile_id)
    assert sorted(offered) == ["Certificado médico", "Consulta de seguimiento", "Consulta general"]
    assert (offered["Consulta general"].duration, offered["Consulta general"].price) == (
        30,
        Decimal("500.00"),
    )
    assert all(service.is_active for service in offered.values())

    weekly = rules(sessions, profile_id)
    assert len(weekly) == 11
    assert (1, time(9), time(13), 30, 0, 1, True, None, None) in weekly
    assert (6, time(9), time(12), 30, 0, 1, True, None, None) in weekly
    assert closures(sessions, profile_id) == [
        (date(2026, 12, 25), "import"),
        (date(2027, 1, 1), "import"),
    ]


def test_importing_the_same_file_again_changes_nothing_that_matters(
    sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    first = import_data(sessions, demo_data(), clock)
    before = (services(sessions, first), rules(sessions, first), closures(sessions, first))
    clock.advance(days=3)

    second = import_data(sessions, demo_data(), clock)

    after = (services(sessions, second), rules(sessions, second), closures(sessions, second))
    assert second == first
    assert {name: s.id for name, s in after[0].items()} == {
        name: s.id for name, s in before[0].items()
    }
    assert after[1:] == before[1:]
    assert {name: len(rows) for name, rows in snapshot(sessions).items()} == {
        "profile": 1,
        "medical_service": 3,
        "availability_rule": 11,
        "closed_date": 2,
    }


def test_a_changed_file_updates_deactivates_and_replaces(
    sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    profile_id = import_data(sessions, demo_data(), clock)
    original = services(sessions, profile_id)
    with sessions.begin() as session:
        session.add(ClosedDate(profile_id=profile_id, day=date(2026, 12, 24), source="doctor"))
    changed = demo_data()
    changed["name"] = "Dra. Ana López Ruiz"
    changed["approval_required"] = False
    changed["services"] = [
        {"name": "CONSULTA GENERAL", "duration": 40, "price": "550.00"},
        {"name": "Certificado medico", "duration": 15},
        {"name": "Vacunación", "duration": 10},
    ]
    changed["availability"] = [{"days": [2, 4], "start": "10:00", "end": "14:00"}]
    changed["closed"] = ["2027-04-02"]
    clock.advance(hours=1)

    assert import_data(sessions, changed, clock) == profile_id

    with sessions() as session:
        profile = session.get_one(Practice, profile_id)
    assert (profile.name, profile.appointment_approval_required) == ("Dra. Ana López Ruiz", False)
    assert profile.updated_at == clock()
    now_offered = services(sessions, profile_id)
    assert now_offered["CONSULTA GENERAL"].id == original["Consulta general"].id
    assert (now_offered["CONSULTA GENERAL"].duration, now_offered["CONSULTA GENERAL"].price) == (
        40,
        Decimal("550.00"),
    )
    assert now_offered["Certificado medico"].id == original["Certificado médico"].id
    assert now_offered["Certificado medico"].price is None
    assert now_offered["Vacunación"].is_active
    follow_up = now_offered["Consulta de seguimiento"]
    assert (follow_up.id, follow_up.is_active) == (original["Consulta de seguimiento"].id, False)
    assert rules(sessions, profile_id) == [
        (day, time(10), time(14), 30, 0, 1, True, None, None) for day in (2, 4)
    ]
    assert closures(sessions, profile_id) == [
        (date(2026, 12, 24), "doctor"),
        (date(2027, 4, 2), "import"),
    ]


def test_a_service_back_in_the_file_is_reactivated(
    sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    profile_id = import_data(sessions, demo_data(), clock)
    follow_up_id = services(sessions, profile_id)["Consulta de seguimiento"].id
    fewer = demo_data()
    fewer["services"] = fewer["services"][:1]
    import_data(sessions, fewer, clock)

    import_data(sessions, demo_data(), clock)

    follow_up = services(sessions, profile_id)["Consulta de seguimiento"]
    assert (follow_up.id, follow_up.is_active) == (follow_up_id, True)


def test_the_command_prints_only_the_profile_id(
    runner: FlaskCliRunner, sessions: sessionmaker[Session]
) -> None:
    result = runner.invoke(args=["clinic", "import", str(DEMO)])

    assert result.exit_code == 0, result.output
    with sessions() as session:
        profile_id = session.scalars(select(Practice.id)).one()
    assert result.stdout == f"{profile_id}\n"
    assert "Created Dra. Ana López: 3 new and 0 updated services" in result.stderr


def test_the_command_names_services_no_longer_offered(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    runner.invoke(args=["clinic", "import", str(DEMO)])
    fewer = demo_data()
    fewer["services"] = fewer["services"][:1]
    path = tmp_path / "clinic.yaml"
    path.write_text(yaml.safe_dump(fewer, allow_unicode=True), encoding="utf-8")

    result = runner.invoke(args=["clinic", "import", str(path)])

    assert result.exit_code == 0, result.output
    assert "Updated Dra. Ana López: 0 new and 1 updated services" in result.stderr
    assert "No longer offered" in result.stderr
    assert "Certificado médico, Consulta de seguimiento." in result.stderr


@pytest.mark.parametrize(
    ("original", "replacement", "problem"),
    [
        (
            "timezone: America/Mexico_City",
            "timezone: America/Mexico_Cty",
            "timezone: unknown time zone 'America/Mexico_Cty'",
        ),
        ('end: "12:00"', 'end: "08:00"', "availability[2].end: must be after start (09:00)"),
        ("days: [6]", "days: [7]", "availability[2].days[0]: 7 is not a day"),
        ("language: es", "language: es\nfax: 5555", "fax: unknown key"),
        (
            'name: "Certificado médico"',
            'name: "Consulta General"',
            "services[2].name: duplicate service name 'Consulta General' (as in services[0])",
        ),
        (
            'doctor_phone: "+5215511111111"',
            'doctor_phone: "call me"',
            "doctor_phone: 'call me' is not in international format",
        ),
        (
            "duration: 15",
            "duration: 300",
            "services[2].duration: 300 minutes is longer than every availability window"
            " (the longest, availability[0], is 240 minutes), so it could never be booked",
        ),
    ],
)
def test_a_bad_file_is_refused_and_changes_nothing(
    runner: FlaskCliRunner,
    sessions: sessionmaker[Session],
    tmp_path: Path,
    original: str,
    replacement: str,
    problem: str,
) -> None:
    runner.invoke(args=["clinic", "import", str(DEMO)])
    before = snapshot(sessions)
    text = DEMO.read_text(encoding="utf-8")
    assert text.count(original) == 1
    # Renamed too, so a partial import would show in the profile row.
    bad = text.replace(original, replacement).replace("Dra. Ana López", "Dr. Otro Nombre")
    path = tmp_path / "clinic.yaml"
    path.write_text(bad, encoding="utf-8")

    result = runner.invoke(args=["clinic", "import", str(path)])

    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"{path}: {problem}" in result.stderr
    assert "Nothing was imported" in result.stderr
    assert snapshot(sessions) == before


def test_a_clinic_with_nothing_to_book_is_imported_with_a_warning(
    runner: FlaskCliRunner, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    closed_for_now = demo_data() | {"availability": []}
    path = tmp_path / "clinic.yaml"
    path.write_text(yaml.safe_dump(closed_for_now, allow_unicode=True), encoding="utf-8")

    result = runner.invoke(args=["clinic", "import", str(path)])

    assert result.exit_code == 0, result.output
    with sessions() as session:
        assert result.stdout == f"{session.scalars(select(Practice.id)).one()}\n"
    assert result.stderr.splitlines()[1:] == [
        f"{path}: warning: availability: no opening hours, so patients cannot book anything"
        " until some are added"
    ]
    assert rules(sessions, uuid.UUID(result.stdout.strip())) == []


def test_a_missing_file_is_refused(runner: FlaskCliRunner, sessions: sessionmaker[Session]) -> None:
    result = runner.invoke(args=["clinic", "import", "no/such/clinic.yaml"])

    assert result.exit_code == 1
    assert result.stderr.startswith("no/such/clinic.yaml: file not found\n")
    assert all(rows == [] for rows in snapshot(sessions).values())


@pytest.mark.parametrize(
    "args",
    [["clinic", "import", str(DEMO)], ["slots", "generate", "--days", "3"]],
    ids=["clinic import", "slots generate"],
)
def test_a_database_that_is_not_there_is_one_line_not_a_traceback(
    database_url: str, args: list[str]
) -> None:
    url = database_url.rsplit("/", 1)[0] + "/citabot_no_such_database"
    app = create_app(Config(database_url=url))
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Error: the database could not be reached: connection failed" in result.output
    assert 'database "citabot_no_such_database" does not exist' in result.output


@pytest.mark.parametrize("engine_kind", ["postgresql", "sqlite"])
def test_a_database_without_the_tables_says_to_migrate(
    make_pg_database: Callable[[], str], tmp_path: Path, engine_kind: str
) -> None:
    url = make_pg_database() if engine_kind == "postgresql" else f"sqlite:///{tmp_path}/new.db"
    app = create_app(Config(database_url=url))
    result = app.test_cli_runner().invoke(args=["clinic", "import", str(DEMO)])
    assert result.exit_code == 1
    assert "run `alembic upgrade head` first" in result.output
    assert "Traceback" not in result.output


def test_the_second_round_keys_are_stored_and_services_keep_the_files_order(
    sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    data = demo_data()
    profile_id = import_data(sessions, data, clock)

    with sessions() as session:
        profile = session.get_one(Practice, profile_id)
    assert (profile.doctor_title, profile.doctor_gender) == ("Dra.", "f")
    assert profile.address == data["address"]
    assert (profile.show_prices, profile.currency) == (True, "MXN")
    assert profile.intake == read_clinic(data).intake
    assert profile.intake is not None and profile.intake["sex"] == "off"
    offered = services(sessions, profile_id)
    by_position = sorted(offered, key=lambda name: offered[name].position)
    assert by_position == [service["name"] for service in data["services"]]

    # Reordered in the file, and the new keys left out: an old file's defaults again.
    data["services"].reverse()
    for key in ("address", "doctor_title", "doctor_gender", "show_prices", "currency", "intake"):
        del data[key]
    import_data(sessions, data, clock)

    with sessions() as session:
        profile = session.get_one(Practice, profile_id)
    assert (profile.address, profile.doctor_title, profile.currency) == (None, None, None)
    assert (profile.doctor_gender, profile.show_prices) == ("f", False)  # "Dra." in the name
    assert profile.intake == read_clinic(data).intake
    offered = services(sessions, profile_id)
    by_position = sorted(offered, key=lambda name: offered[name].position)
    assert by_position == [service["name"] for service in data["services"]]
