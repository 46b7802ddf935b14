"""The migrations, run for real: up, down and up again, with data, on PostgreSQL and SQLite."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine, inspect, pool, text

from tests.conftest import alembic_config

# Base first, head last.
REVISIONS = [
    script.revision
    for script in reversed(list(ScriptDirectory.from_config(alembic_config("")).walk_revisions()))
]

# Everything that makes up a PostgreSQL schema, in an order-stable, comparable form.
# Columns are listed in table order, so a column dropped and re-added elsewhere shows.
# Extensions are left out on purpose: 0003's btree_gist stays installed after a downgrade.
PG_CATALOG = {
    "columns": """
        SELECT table_name, column_name, data_type, character_maximum_length,
               numeric_precision, numeric_scale, is_nullable, column_default
        FROM information_schema.columns WHERE table_schema = 'public'
        ORDER BY table_name, ordinal_position""",
    "constraints": """
        SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid)
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace
        ORDER BY 1, 2""",
    "indexes": """
        SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'
        ORDER BY 1, 2""",
}

# A wellness-era practice, written at revision 0001. Ids are hex so both databases take them.
WELLNESS_PROFILE_ID = "5f0c8e2a9d3b4c1e8a7f6b5d4c3e2f10"
WELLNESS_ROWS: dict[str, dict[str, object]] = {
    "profile": {
        "id": WELLNESS_PROFILE_ID,
        "name": "Bienestar Ruiz",
        "email": "ana@bienestar.example",
        "phone": "+525512345678",
        "bio": "Nutrición y bienestar",
        "created_at": "2025-03-01 10:00:00+00",
        "updated_at": "2025-03-02 11:30:00+00",
    },
    "health_survey": {
        "id": "0b9a8c7d6e5f40318293a4b5c6d7e8f9",
        "profile_id": WELLNESS_PROFILE_ID,
        "respondent_name": "Luis Pérez",
        "respondent_phone": "+525587654321",
        "answers": json.dumps({"sleep_hours": 6, "stress": "alto"}),
        "score": 42,
        "notes": "Primera visita",
        "created_at": "2025-03-05 09:15:00+00",
    },
    "social_click": {
        "id": "1c2d3e4f5a6b47c8d9e0f1a2b3c4d5e6",
        "profile_id": WELLNESS_PROFILE_ID,
        "source": "instagram",
        "url": "https://bienestar.example/agenda",
        "referrer": "https://instagram.com/bienestar",
        "clicked_at": "2025-03-06 18:45:00+00",
    },
}
RENAMED = {"health_survey": "patient_assessment", "social_click": "appointment_source_tracking"}

# md5 of both ids' text starts with 4a2207: migration 0003 derives codes from it.
IDS_WITH_THE_SAME_MD5_PREFIX = (
    "00000000-0000-4000-8000-0000000018a4",
    "00000000-0000-4000-8000-00000000198f",
)


@pytest.fixture(params=["postgresql", "sqlite"])
def empty_database(
    request: pytest.FixtureRequest, make_pg_database: Callable[[], str], tmp_path: Path
) -> str:
    """The URL of an empty database of each kind Citabot runs on."""
    if request.param == "postgresql":
        return make_pg_database()
    return f"sqlite:///{tmp_path}/x.db"


@contextmanager
def connected(url: str) -> Iterator[Connection]:
    """One committed transaction on `url`; nothing stays open for the next migration."""
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


def insert(connection: Connection, table: str, values: dict[str, object]) -> Any:
    """Insert one row with plain SQL (no model defaults) and return its id."""
    columns = ", ".join(values)
    placeholders = ", ".join(f":{name}" for name in values)
    statement = text(f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) RETURNING id")
    return connection.execute(statement, values).scalar_one()


def rows(connection: Connection, table: str) -> list[dict[str, Any]]:
    result = connection.execute(text(f"SELECT * FROM {table} ORDER BY id"))
    return [dict(row) for row in result.mappings()]


def schema_of(url: str) -> dict[str, list[Any]]:
    """Tables, columns, constraints and indexes of the database at `url`."""
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                return {
                    part: [tuple(row) for row in connection.execute(text(query))]
                    for part, query in PG_CATALOG.items()
                }
            return _reflected(connection)
    finally:
        engine.dispose()


def _reflected(connection: Connection) -> dict[str, list[Any]]:
    # SQLite keeps each table's DDL text, whose constraint order batch mode shuffles;
    # reflection sorted by name is stable. JSON turns clauses (partial indexes) into text.
    inspector = inspect(connection)
    schema = {
        table: [
            inspector.get_columns(table),
            inspector.get_pk_constraint(table),
            sorted(inspector.get_foreign_keys(table), key=_by_name),
            sorted(inspector.get_indexes(table), key=_by_name),
            sorted(inspector.get_unique_constraints(table), key=_by_name),
            sorted(inspector.get_check_constraints(table), key=_by_name),
        ]
        for table in inspector.get_table_names()
    }
    return json.loads(json.dumps(schema, default=str))


def _by_name(item: Any) -> str:
    return str(item["name"])


def table_names(url: str) -> set[str]:
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_the_migrations_form_one_line_from_the_wellness_baseline() -> None:
    scripts = ScriptDirectory.from_config(alembic_config(""))

    assert (len(scripts.get_bases()), len(scripts.get_heads())) == (1, 1)
    assert REVISIONS[:3] == ["0001", "0002", "0003"]


def test_upgrade_downgrade_upgrade_round_trip_leaves_nothing_behind(empty_database: str) -> None:
    cfg = alembic_config(empty_database)
    command.upgrade(cfg, "head")
    at_head = schema_of(empty_database)

    command.downgrade(cfg, "base")
    assert table_names(empty_database) == {"alembic_version"}
    with connected(empty_database) as connection:
        assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 0

    command.upgrade(cfg, "head")
    assert schema_of(empty_database) == at_head


@pytest.mark.parametrize("revision", REVISIONS[:-1])
def test_downgrading_from_head_gives_exactly_the_schema_of_a_fresh_upgrade(
    make_pg_database: Callable[[], str], revision: str
) -> None:
    fresh, downgraded = make_pg_database(), make_pg_database()
    command.upgrade(alembic_config(fresh), revision)
    command.upgrade(alembic_config(downgraded), "head")
    command.downgrade(alembic_config(downgraded), revision)

    assert schema_of(downgraded) == schema_of(fresh)


def test_alembic_check_finds_no_drift_between_the_models_and_head(
    empty_database: str,
) -> None:
    cfg = alembic_config(empty_database)
    command.upgrade(cfg, "head")

    command.check(cfg)  # raises AutogenerateDiffsDetected on any drift


def test_wellness_rows_move_to_the_renamed_tables_and_back(empty_database: str) -> None:
    cfg = alembic_config(empty_database)
    command.upgrade(cfg, "0001")
    with connected(empty_database) as connection:
        for table, values in WELLNESS_ROWS.items():
            insert(connection, table, values)
        before = {table: rows(connection, table) for table in WELLNESS_ROWS}

    command.upgrade(cfg, "head")
    with connected(empty_database) as connection:
        for old, new in RENAMED.items():
            assert rows(connection, new) == before[old]
        (profile,) = rows(connection, "profile")
        assert {column: profile[column] for column in before["profile"][0]} == before["profile"][0]
        assert (profile["practice_type"], profile["max_appointment_duration"]) == ("general", 60)
        assert (profile["buffer_time_minutes"], profile["language"]) == (15, "es")

    command.downgrade(cfg, "0001")
    assert table_names(empty_database) == {"alembic_version", *WELLNESS_ROWS}
    with connected(empty_database) as connection:
        assert {table: rows(connection, table) for table in WELLNESS_ROWS} == before


def book_before_codes_existed(connection: Connection) -> dict[str, uuid.UUID]:
    """At revision 0002: a practice with a booking, leaving the seed's nullable flags NULL."""
    ids: dict[str, uuid.UUID] = {}
    ids["profile"] = insert(
        connection, "profile", {"name": "Dra. Ana Ruiz", "appointment_approval_required": None}
    )
    ids["service"] = insert(
        connection,
        "medical_service",
        {"profile_id": ids["profile"], "name": "Consulta general", "duration": 30},
    )
    ids["rule"] = insert(
        connection,
        "availability_rule",
        {
            "profile_id": ids["profile"],
            "day_of_week": 1,
            "start_time": "09:00",
            "end_time": "14:00",
            "buffer_time": None,
            "max_appointments_per_slot": None,
        },
    )
    ids["slot"] = insert(
        connection,
        "time_slot",
        {
            "profile_id": ids["profile"],
            "service_id": ids["service"],
            "start_time": "2026-12-07 15:00:00+00",
            "end_time": "2026-12-07 15:30:00+00",
        },
    )
    for name, status, phone in [
        ("approved", "approved", "+525511110001"),
        ("pending", "pending", "+525511110002"),
    ]:
        ids[name] = insert(
            connection,
            "reservation_request",
            {
                "profile_id": ids["profile"],
                "slot_id": ids["slot"],
                "service_id": ids["service"],
                "patient_name": "Luis Pérez",
                "patient_phone": phone,
                "status": status,
                "requested_time": "2026-12-07 15:00:00+00",
                "expires_at": "2026-12-01 15:30:00+00",
            },
        )
    booking = {
        "profile_id": ids["profile"],
        "slot_id": ids["slot"],
        "service_id": ids["service"],
        "patient_name": "Luis Pérez",
        "patient_phone": "+525511110001",
        "reminder_24h_sent": None,
        "reminder_2h_sent": None,
        "reminder_24h_scheduled": None,
        "reminder_2h_scheduled": None,
        "no_show": None,
    }
    ids["reservation"] = insert(
        connection, "reservation", booking | {"request_id": ids["approved"]}
    )
    ids["walk_in"] = insert(connection, "reservation", booking)
    ids["note"] = insert(
        connection,
        "appointment_note",
        {
            "reservation_id": ids["reservation"],
            "profile_id": ids["profile"],
            "note_type": "diagnosis",
            "content": "Faringitis",
            "is_private": None,
        },
    )
    return ids


def test_requests_made_before_codes_existed_get_a_code_their_reservation_inherits(
    make_pg_database: Callable[[], str],
) -> None:
    url = make_pg_database()
    cfg = alembic_config(url)
    command.upgrade(cfg, "0002")
    with connected(url) as connection:
        ids = book_before_codes_existed(connection)

    command.upgrade(cfg, "0003")
    with connected(url) as connection:
        codes = dict(connection.execute(text("SELECT id, code FROM reservation_request")).all())
        reservation_codes = dict(connection.execute(text("SELECT id, code FROM reservation")).all())

    assert all(re.fullmatch(r"[A-Z0-9]{6}", code) for code in codes.values()), codes
    assert codes[ids["approved"]] != codes[ids["pending"]]
    assert reservation_codes == {ids["reservation"]: codes[ids["approved"]], ids["walk_in"]: None}


def test_flags_the_seed_left_null_get_the_seeds_defaults_when_they_become_not_null(
    make_pg_database: Callable[[], str],
) -> None:
    url = make_pg_database()
    cfg = alembic_config(url)
    command.upgrade(cfg, "0002")
    with connected(url) as connection:
        ids = book_before_codes_existed(connection)

    command.upgrade(cfg, "0003")
    with connected(url) as connection:
        (profile,) = rows(connection, "profile")
        (rule,) = rows(connection, "availability_rule")
        (note,) = rows(connection, "appointment_note")
        reservation = {row["id"]: row for row in rows(connection, "reservation")}[
            ids["reservation"]
        ]

    assert profile["appointment_approval_required"] is True
    assert (rule["buffer_time"], rule["max_appointments_per_slot"]) == (0, 1)
    assert note["is_private"] is False
    flags = ["reminder_24h_sent", "reminder_2h_sent", "reminder_24h_scheduled"]
    flags += ["reminder_2h_scheduled", "no_show"]
    assert {flag: reservation[flag] for flag in flags} == dict.fromkeys(flags, False)


def md5_prefix(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()[:6]


def test_backfilled_codes_are_unique_within_a_practice_whatever_the_request_ids(
    make_pg_database: Callable[[], str],
) -> None:
    first, second = IDS_WITH_THE_SAME_MD5_PREFIX
    assert md5_prefix(first) == md5_prefix(second)
    url = make_pg_database()
    cfg = alembic_config(url)
    command.upgrade(cfg, "0002")
    with connected(url) as connection:
        ids = book_before_codes_existed(connection)
        for request_id, phone in [(first, "+525511110003"), (second, "+525511110004")]:
            insert(
                connection,
                "reservation_request",
                {
                    "id": request_id,
                    "profile_id": ids["profile"],
                    "slot_id": ids["slot"],
                    "service_id": ids["service"],
                    "patient_name": "Eva Gómez",
                    "patient_phone": phone,
                    "requested_time": "2026-12-07 15:00:00+00",
                    "expires_at": "2026-12-01 15:30:00+00",
                },
            )

    command.upgrade(cfg, "0003")
    with connected(url) as connection:
        codes = list(connection.execute(text("SELECT code FROM reservation_request")).scalars())
    assert len(set(codes)) == len(codes) == 4
