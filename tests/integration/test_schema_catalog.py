"""The seed's defaults, index names and column types, as PostgreSQL reports them at head."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, RowMapping, text

START = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)

# (index, table, column) exactly as the seed document creates them.
SEED_INDEXES = [
    ("idx_medical_service_profile_id", "medical_service", "profile_id"),
    ("idx_medical_service_category", "medical_service", "category"),
    ("idx_medical_service_active", "medical_service", "is_active"),
    ("idx_availability_profile_id", "availability_rule", "profile_id"),
    ("idx_availability_day", "availability_rule", "day_of_week"),
    ("idx_availability_active", "availability_rule", "is_active"),
    ("idx_time_slot_profile_id", "time_slot", "profile_id"),
    ("idx_time_slot_service_id", "time_slot", "service_id"),
    ("idx_time_slot_start_time", "time_slot", "start_time"),
    ("idx_time_slot_status", "time_slot", "status"),
    ("idx_time_slot_expires", "time_slot", "expires_at"),
    ("idx_request_profile_id", "reservation_request", "profile_id"),
    ("idx_request_slot_id", "reservation_request", "slot_id"),
    ("idx_request_status", "reservation_request", "status"),
    ("idx_request_expires", "reservation_request", "expires_at"),
    ("idx_request_patient_phone", "reservation_request", "patient_phone"),
    ("idx_reservation_profile_id", "reservation", "profile_id"),
    ("idx_reservation_slot_id", "reservation", "slot_id"),
    ("idx_reservation_status", "reservation", "status"),
    ("idx_reservation_patient_phone", "reservation", "patient_phone"),
    ("idx_reservation_created", "reservation", "created_at"),
    ("idx_note_reservation_id", "appointment_note", "reservation_id"),
    ("idx_note_profile_id", "appointment_note", "profile_id"),
    ("idx_note_type", "appointment_note", "note_type"),
]

# Every instant the seed declares as TIMESTAMP on the booking tables.
INSTANTS = {
    "time_slot": ["start_time", "end_time", "created_at", "expires_at"],
    "reservation_request": [
        "requested_time",
        "expires_at",
        "approved_at",
        "created_at",
        "updated_at",
    ],
    "reservation": ["completed_at", "created_at", "updated_at", "cancelled_at"],
}

# What a row given only its required columns holds, as the seed's DEFAULTs say.
SEED_DEFAULTS: dict[str, dict[str, object]] = {
    "profile": {
        "practice_type": "general",
        "appointment_approval_required": True,
        "max_appointment_duration": 60,
        "buffer_time_minutes": 15,
    },
    "medical_service": {"is_active": True},
    "availability_rule": {
        "slot_duration": 30,
        "buffer_time": 0,
        "max_appointments_per_slot": 1,
        "is_active": True,
    },
    "time_slot": {
        "status": "available",
        "max_reservations": 1,
        "current_reservations": 0,
        "expires_at": None,
    },
    "reservation_request": {
        "status": "pending",
        "urgency_level": "normal",
        "preferred_contact_method": "whatsapp",
        "approved_by": None,
    },
    "reservation": {
        "status": "confirmed",
        "source": "whatsapp",
        "payment_status": "pending",
        "reminder_24h_sent": False,
        "reminder_2h_sent": False,
        "reminder_24h_scheduled": False,
        "reminder_2h_scheduled": False,
        "no_show": False,
    },
    "appointment_note": {"is_private": False},
}


INDEX_STATE = text(
    "SELECT i.tablename, i.indexdef, x.indisvalid FROM pg_indexes i"
    " JOIN pg_class c ON c.relname = i.indexname AND c.relnamespace = 'public'::regnamespace"
    " JOIN pg_index x ON x.indexrelid = c.oid"
    " WHERE i.schemaname = 'public' AND i.indexname = :index"
)


@pytest.fixture
def conn(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            yield connection
        finally:
            transaction.rollback()


def insert(connection: Connection, table: str, **required: object) -> RowMapping:
    """Insert a row giving only `required` columns; return the whole row as stored."""
    columns = ", ".join(required)
    placeholders = ", ".join(f":{name}" for name in required)
    statement = text(f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) RETURNING *")
    return connection.execute(statement, required).mappings().one()


def scalar(connection: Connection, query: str, **params: object) -> Any:
    return connection.execute(text(query), params).scalar()


def minimal_rows(connection: Connection) -> dict[str, RowMapping]:
    """One row per seed table, each given only the columns the seed makes required."""
    profile = insert(connection, "profile", name="Dra. Ana Ruiz")
    owner = {"profile_id": profile["id"]}
    service = insert(connection, "medical_service", **owner, name="Consulta", duration=30)
    rule = insert(
        connection,
        "availability_rule",
        **owner,
        day_of_week=1,
        start_time=time(9),
        end_time=time(14),
    )
    slot = insert(
        connection,
        "time_slot",
        **owner,
        service_id=service["id"],
        start_time=START,
        end_time=START + timedelta(minutes=30),
    )
    booking = {
        **owner,
        "slot_id": slot["id"],
        "service_id": service["id"],
        "patient_name": "Luis Pérez",
        "patient_phone": "+5215587654321",
    }
    request = insert(
        connection,
        "reservation_request",
        **booking,
        code="K7M3QX",  # required by Citabot, not by the seed
        requested_time=START,
        expires_at=START - timedelta(days=1),
    )
    reservation = insert(connection, "reservation", **booking)
    note = insert(
        connection,
        "appointment_note",
        **owner,
        reservation_id=reservation["id"],
        note_type="diagnosis",
        content="Faringitis",
    )
    return {
        "profile": profile,
        "medical_service": service,
        "availability_rule": rule,
        "time_slot": slot,
        "reservation_request": request,
        "reservation": reservation,
        "appointment_note": note,
    }


@pytest.mark.parametrize("table", SEED_DEFAULTS)
def test_a_row_given_only_its_required_columns_gets_the_seeds_defaults(
    conn: Connection, table: str
) -> None:
    row = minimal_rows(conn)[table]

    assert isinstance(row["id"], uuid.UUID)
    assert row["id"].version == 4  # what gen_random_uuid() makes
    now = scalar(conn, "SELECT now()")
    assert row["created_at"] == now
    assert row.get("updated_at", now) == now
    expected = SEED_DEFAULTS[table]
    assert {column: row[column] for column in expected} == expected


def test_an_availability_rule_is_effective_from_today_until_further_notice(
    conn: Connection,
) -> None:
    rule = minimal_rows(conn)["availability_rule"]

    today = scalar(conn, "SELECT current_date")
    assert (rule["effective_from"], rule["effective_to"]) == (today, None)


@pytest.mark.parametrize("table", SEED_DEFAULTS)
def test_ids_come_from_gen_random_uuid(conn: Connection, table: str) -> None:
    default = scalar(
        conn,
        "SELECT column_default FROM information_schema.columns"
        " WHERE table_schema = 'public' AND table_name = :table AND column_name = 'id'",
        table=table,
    )

    assert default == "gen_random_uuid()"


@pytest.mark.parametrize(
    ("index", "table", "column"), SEED_INDEXES, ids=[index for index, _, _ in SEED_INDEXES]
)
def test_every_index_of_the_seed_exists_on_its_column_and_is_valid(
    conn: Connection, index: str, table: str, column: str
) -> None:
    found = conn.execute(INDEX_STATE, {"index": index}).mappings().one_or_none()

    assert found is not None, f"{index} is missing"
    assert found["tablename"] == table
    assert found["indexdef"].endswith(f"USING btree ({column})")
    assert found["indisvalid"] is True


def test_instants_of_slots_requests_and_reservations_are_timestamptz(conn: Connection) -> None:
    rows = conn.execute(
        text(
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = 'public' AND table_name = ANY(:tables)"
        ),
        {"tables": list(INSTANTS)},
    )
    types = {(table, column): kind for table, column, kind in rows}

    expected = {(table, column) for table, columns in INSTANTS.items() for column in columns}
    assert {key: types.get(key) for key in expected} == dict.fromkeys(
        expected, "timestamp with time zone"
    )


def test_no_column_anywhere_stores_a_naive_timestamp(conn: Connection) -> None:
    naive = conn.execute(
        text(
            "SELECT table_name || '.' || column_name FROM information_schema.columns"
            " WHERE table_schema = 'public' AND data_type = 'timestamp without time zone'"
        )
    ).scalars()

    assert list(naive) == []


def test_availability_rules_keep_wall_clock_times(conn: Connection) -> None:
    kinds = conn.execute(
        text(
            "SELECT column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = 'public' AND table_name = 'availability_rule'"
            " AND column_name IN ('start_time', 'end_time')"
        )
    ).all()

    assert dict(kinds) == dict.fromkeys(["start_time", "end_time"], "time without time zone")
