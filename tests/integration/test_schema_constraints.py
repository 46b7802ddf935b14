"""What PostgreSQL itself refuses and allows at head, each refusal named by its constraint.

Every test works inside one transaction that is rolled back, so nothing outlives it.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

import psycopg
import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import IntegrityError

from app.models import MessageStatus, RequestStatus, ReservationStatus, SlotStatus

MONDAY_9AM = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)  # 09:00 in Mexico City
_serial = itertools.count(1)

PracticeRows = dict[str, uuid.UUID]  # table name -> the id of the practice's row in it


@pytest.fixture
def conn(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            yield connection
        finally:
            transaction.rollback()


def insert(connection: Connection, table: str, **values: object) -> uuid.UUID:
    """Insert one row with plain SQL (only the database's defaults apply) and return its id."""
    columns = ", ".join(values)
    placeholders = ", ".join(f":{name}" for name in values)
    statement = text(f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) RETURNING id")
    return connection.execute(statement, values).scalar_one()


def execute(connection: Connection, statement: str, **params: object) -> int:
    return connection.execute(text(statement), params).rowcount


def new_phone() -> str:
    return f"+52155{next(_serial):08d}"


def new_code() -> str:
    return f"T{next(_serial):05d}"


def add_service(connection: Connection, profile: uuid.UUID, minutes: int = 30) -> uuid.UUID:
    name = f"Consulta {next(_serial)}"
    return insert(connection, "medical_service", profile_id=profile, name=name, duration=minutes)


def add_slot(
    connection: Connection,
    profile: uuid.UUID,
    service: uuid.UUID,
    start: datetime = MONDAY_9AM,
    minutes: int = 30,
) -> uuid.UUID:
    return insert(
        connection,
        "time_slot",
        profile_id=profile,
        service_id=service,
        start_time=start,
        end_time=start + timedelta(minutes=minutes),
    )


def add_request(
    connection: Connection,
    profile: uuid.UUID,
    slot: uuid.UUID,
    service: uuid.UUID,
    **values: object,
) -> uuid.UUID:
    return insert(
        connection,
        "reservation_request",
        **{
            "profile_id": profile,
            "slot_id": slot,
            "service_id": service,
            "code": new_code(),
            "patient_name": "Luis Pérez",
            "patient_phone": new_phone(),
            "requested_time": MONDAY_9AM,
            "expires_at": MONDAY_9AM - timedelta(days=6),
            **values,
        },
    )


def add_reservation(
    connection: Connection,
    profile: uuid.UUID,
    slot: uuid.UUID,
    service: uuid.UUID,
    **values: object,
) -> uuid.UUID:
    return insert(
        connection,
        "reservation",
        **{
            "profile_id": profile,
            "slot_id": slot,
            "service_id": service,
            "patient_name": "Luis Pérez",
            "patient_phone": new_phone(),
            **values,
        },
    )


def log_message(connection: Connection, profile: uuid.UUID, **values: object) -> uuid.UUID:
    return insert(
        connection,
        "message_log",
        **{
            "profile_id": profile,
            "direction": "in",
            "phone": new_phone(),
            "body": "Hola, quiero una cita",
            "status": "received",
            **values,
        },
    )


def open_practice(connection: Connection) -> PracticeRows:
    """A practice with one row in every table that belongs to it, down to a doctor's note."""
    ids: PracticeRows = {"profile": insert(connection, "profile", name="Dra. Ana Ruiz")}
    profile = ids["profile"]
    ids["medical_service"] = service = add_service(connection, profile)
    ids["availability_rule"] = insert(
        connection,
        "availability_rule",
        profile_id=profile,
        day_of_week=1,
        start_time=time(9),
        end_time=time(14),
    )
    ids["closed_date"] = insert(
        connection, "closed_date", profile_id=profile, day=date(2026, 12, 25)
    )
    ids["message_log"] = log_message(connection, profile)
    ids["patient_assessment"] = insert(connection, "patient_assessment", profile_id=profile)
    ids["appointment_source_tracking"] = insert(
        connection, "appointment_source_tracking", profile_id=profile
    )
    ids["time_slot"] = slot = add_slot(connection, profile, service)
    ids["reservation_request"] = request = add_request(connection, profile, slot, service)
    ids["reservation"] = add_reservation(
        connection, profile, slot, service, request_id=request, code=code_of(connection, request)
    )
    ids["appointment_note"] = insert(
        connection,
        "appointment_note",
        reservation_id=ids["reservation"],
        profile_id=profile,
        note_type="diagnosis",
        content="Faringitis",
    )
    return ids


def code_of(connection: Connection, request: uuid.UUID) -> str:
    statement = text("SELECT code FROM reservation_request WHERE id = :id")
    return connection.execute(statement, {"id": request}).scalar_one()


def assert_violates(connection: Connection, constraint: str, action: Callable[[], object]) -> None:
    """`action` fails on `constraint`; the transaction goes on as if it had not been tried."""
    with pytest.raises(IntegrityError) as caught, connection.begin_nested():
        action()
    error = caught.value.orig
    assert isinstance(error, psycopg.Error)
    assert error.diag.constraint_name == constraint, str(error)


# (constraint, table, an assignment that breaks only that constraint)
REJECTED = [
    ("chk_time_slot_status", "time_slot", "status = 'booked'"),
    ("chk_time_slot_logic", "time_slot", "end_time = start_time"),
    ("chk_time_slot_logic", "time_slot", "end_time = start_time - interval '1 minute'"),
    ("chk_request_status", "reservation_request", "status = 'on_hold'"),
    ("chk_urgency_level", "reservation_request", "urgency_level = 'critical'"),
    ("chk_reservation_status", "reservation", "status = 'pending'"),
    ("chk_payment_status", "reservation", "payment_status = 'refunded'"),
    ("chk_note_type", "appointment_note", "note_type = 'gossip'"),
    ("availability_rule_day_of_week_check", "availability_rule", "day_of_week = -1"),
    ("availability_rule_day_of_week_check", "availability_rule", "day_of_week = 7"),
    ("ck_time_slot_capacity", "time_slot", "current_reservations = -1"),
    ("ck_time_slot_capacity", "time_slot", "current_reservations = max_reservations + 1"),
    ("ck_profile_language", "profile", "language = 'fr'"),
    ("ck_profile_min_notice", "profile", "min_notice_minutes = -1"),
    ("ck_profile_booking_horizon", "profile", "booking_horizon_days = 0"),
    ("ck_medical_service_duration", "medical_service", "duration = 0"),
    ("ck_availability_rule_window", "availability_rule", "end_time = start_time"),
    ("ck_availability_rule_sizes", "availability_rule", "slot_duration = 0"),
    ("ck_availability_rule_sizes", "availability_rule", "buffer_time = -1"),
    ("ck_availability_rule_sizes", "availability_rule", "max_appointments_per_slot = 0"),
    ("ck_closed_date_range", "closed_date", "start_time = '09:00'"),
    ("ck_closed_date_range", "closed_date", "end_time = '13:00'"),
    ("ck_closed_date_range", "closed_date", "start_time = '13:00', end_time = '09:00'"),
    ("ck_closed_date_source", "closed_date", "source = 'web'"),
    ("ck_message_log_direction", "message_log", "direction = 'up'"),
    ("ck_message_log_status", "message_log", "status = 'lost'"),
]

# (table, column, value) for every value the seed's CHECK constraints allow.
SEED_VALUES = {
    ("time_slot", "status"): ["available", "pending_approval", "reserved", "expired", "blocked"],
    ("reservation_request", "status"): ["pending", "approved", "rejected", "expired"],
    ("reservation_request", "urgency_level"): ["low", "normal", "high", "urgent"],
    ("reservation", "status"): ["confirmed", "cancelled", "completed", "no_show"],
    ("reservation", "payment_status"): ["pending", "paid", "cancelled"],
    ("appointment_note", "note_type"): ["diagnosis", "treatment", "follow_up", "prescription"],
    ("availability_rule", "day_of_week"): list(range(7)),
    ("profile", "language"): ["es", "en"],
    ("closed_date", "source"): ["import", "doctor"],
    ("message_log", "direction"): ["in", "out"],
}
ALLOWED = [
    (table, column, value) for (table, column), values in SEED_VALUES.items() for value in values
]

# What the code writes: every member of the models' status enums must be storable.
MODEL_VALUES = [
    ("time_slot", "status", SlotStatus),
    ("reservation_request", "status", RequestStatus),
    ("reservation", "status", ReservationStatus),
    ("message_log", "status", MessageStatus),
]

# (table, assignment) right at the edge of what a constraint allows.
BOUNDARIES = [
    ("time_slot", "current_reservations = 0"),
    ("time_slot", "current_reservations = max_reservations"),
    ("profile", "min_notice_minutes = 0"),
    ("profile", "booking_horizon_days = 1"),
    ("medical_service", "duration = 1"),
    ("availability_rule", "buffer_time = 0"),
    ("availability_rule", "end_time = start_time + interval '1 minute'"),
    ("closed_date", "start_time = '09:00', end_time = '13:00'"),
]


@pytest.mark.parametrize(
    ("constraint", "table", "assignment"),
    REJECTED,
    ids=[f"{constraint}: {assignment}" for constraint, _, assignment in REJECTED],
)
def test_a_check_constraint_rejects_a_bad_value_and_names_itself(
    conn: Connection, constraint: str, table: str, assignment: str
) -> None:
    practice = open_practice(conn)
    update = f"UPDATE {table} SET {assignment} WHERE id = :id"

    assert_violates(conn, constraint, lambda: execute(conn, update, id=practice[table]))


@pytest.mark.parametrize(("table", "column", "value"), ALLOWED, ids=str)
def test_every_value_the_seed_allows_is_accepted(
    conn: Connection, table: str, column: str, value: object
) -> None:
    practice = open_practice(conn)

    execute(
        conn,
        f"UPDATE {table} SET {column} = :value WHERE id = :id",
        value=value,
        id=practice[table],
    )

    stored = f"SELECT {column} FROM {table} WHERE id = :id"
    assert conn.execute(text(stored), {"id": practice[table]}).scalar_one() == value


@pytest.mark.parametrize(("table", "column", "enum"), MODEL_VALUES, ids=str)
def test_every_status_the_models_know_is_accepted(
    conn: Connection, table: str, column: str, enum: type[StrEnum]
) -> None:
    practice = open_practice(conn)

    for value in enum:
        update = f"UPDATE {table} SET {column} = :value WHERE id = :id"
        assert execute(conn, update, value=value.value, id=practice[table]) == 1


@pytest.mark.parametrize(("table", "assignment"), BOUNDARIES, ids=[case[1] for case in BOUNDARIES])
def test_values_at_the_edge_of_a_constraint_are_accepted(
    conn: Connection, table: str, assignment: str
) -> None:
    practice = open_practice(conn)

    assert execute(conn, f"UPDATE {table} SET {assignment} WHERE id = :id", id=practice[table]) == 1


def test_a_service_has_one_slot_per_start_time_but_other_services_may_start_then_too(
    conn: Connection,
) -> None:
    practice = open_practice(conn)
    profile, service = practice["profile"], practice["medical_service"]

    assert_violates(
        conn,
        "uq_time_slot_profile_id_service_id_start_time",
        lambda: add_slot(conn, profile, service, MONDAY_9AM, minutes=15),
    )
    add_slot(conn, profile, add_service(conn, profile), MONDAY_9AM)


def test_a_request_code_is_unique_within_a_practice_but_not_across_practices(
    conn: Connection,
) -> None:
    practice = open_practice(conn)
    code = code_of(conn, practice["reservation_request"])
    slot, service = practice["time_slot"], practice["medical_service"]

    assert_violates(
        conn,
        "uq_reservation_request_profile_id_code",
        lambda: add_request(conn, practice["profile"], slot, service, code=code),
    )
    other = open_practice(conn)
    add_request(conn, other["profile"], other["time_slot"], other["medical_service"], code=code)


def test_a_request_becomes_at_most_one_reservation(conn: Connection) -> None:
    practice = open_practice(conn)
    profile, slot, service = (practice[t] for t in ("profile", "time_slot", "medical_service"))

    assert_violates(
        conn,
        "uq_reservation_request_id",
        lambda: add_reservation(
            conn, profile, slot, service, request_id=practice["reservation_request"]
        ),
    )
    add_reservation(conn, profile, slot, service)
    add_reservation(conn, profile, slot, service)  # walk-ins have no request


def test_a_practice_cannot_offer_two_services_of_the_same_name(conn: Connection) -> None:
    profile, other = (insert(conn, "profile", name=name) for name in ("Dra. Ruiz", "Dr. Soto"))

    def offer(profile: uuid.UUID) -> uuid.UUID:
        return insert(
            conn, "medical_service", profile_id=profile, name="Limpieza dental", duration=45
        )

    offer(profile)
    assert_violates(conn, "uq_medical_service_profile_id_name", lambda: offer(profile))
    offer(other)


def test_a_provider_message_sid_is_logged_once(conn: Connection) -> None:
    profile = insert(conn, "profile", name="Dra. Ana Ruiz")

    log_message(conn, profile, provider_sid="SM0001")
    assert_violates(
        conn,
        "uq_message_log_provider_sid",
        lambda: log_message(conn, profile, provider_sid="SM0001"),
    )
    log_message(conn, profile, direction="out", status="queued")
    log_message(conn, profile, direction="out", status="queued")  # not sent yet: no sid


def test_an_outbound_event_is_queued_once(conn: Connection) -> None:
    profile = insert(conn, "profile", name="Dra. Ana Ruiz")
    event = {"direction": "out", "status": "queued", "dedupe_key": "request:1:approved:patient"}

    log_message(conn, profile, **event)
    assert_violates(conn, "uq_message_log_dedupe_key", lambda: log_message(conn, profile, **event))


def test_a_whatsapp_sender_number_belongs_to_one_profile(conn: Connection) -> None:
    insert(conn, "profile", name="Dra. Ana Ruiz", whatsapp_number="+5215512345678")

    assert_violates(
        conn,
        "uq_profile_whatsapp_number",
        lambda: insert(conn, "profile", name="Dr. Ruiz", whatsapp_number="+5215512345678"),
    )
    insert(conn, "profile", name="Consultorio sin WhatsApp")
    insert(conn, "profile", name="Otro consultorio sin WhatsApp")


def overlapping_slots(connection: Connection, profile: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    """A 60-minute slot at 09:00 and a 30-minute slot of another service at 09:30."""
    long_visit = add_slot(connection, profile, add_service(connection, profile, 60), minutes=60)
    short_visit = add_slot(
        connection, profile, add_service(connection, profile), MONDAY_9AM + timedelta(minutes=30)
    )
    return long_visit, short_visit


def take(connection: Connection, slot: uuid.UUID) -> None:
    execute(
        connection,
        "UPDATE time_slot SET current_reservations = current_reservations + 1 WHERE id = :id",
        id=slot,
    )


def taken_slots(connection: Connection) -> set[uuid.UUID]:
    taken = "SELECT id FROM time_slot WHERE current_reservations > 0"
    return set(connection.execute(text(taken)).scalars())


def release(connection: Connection, slot: uuid.UUID) -> None:
    execute(connection, "UPDATE time_slot SET current_reservations = 0 WHERE id = :id", id=slot)


def test_two_overlapping_slots_of_one_doctor_cannot_both_be_taken(conn: Connection) -> None:
    profile = insert(conn, "profile", name="Dra. Ana Ruiz")
    long_visit, short_visit = overlapping_slots(conn, profile)
    take(conn, long_visit)

    assert_violates(conn, "ex_time_slot_no_overlap", lambda: take(conn, short_visit))


def test_overlapping_slots_coexist_while_at_most_one_of_them_is_taken(conn: Connection) -> None:
    profile = insert(conn, "profile", name="Dra. Ana Ruiz")
    long_visit, short_visit = overlapping_slots(conn, profile)

    take(conn, long_visit)
    add_slot(conn, profile, add_service(conn, profile), MONDAY_9AM + timedelta(minutes=15))
    release(conn, long_visit)
    take(conn, short_visit)

    assert taken_slots(conn) == {short_visit}


def test_overlapping_taken_slots_of_two_doctors_are_fine(conn: Connection) -> None:
    first, second = (insert(conn, "profile", name=name) for name in ("Dra. Ruiz", "Dr. Soto"))
    slots = [add_slot(conn, profile, add_service(conn, profile)) for profile in (first, second)]

    for slot in slots:
        take(conn, slot)

    assert taken_slots(conn) == set(slots)


def test_back_to_back_slots_can_both_be_taken(conn: Connection) -> None:
    profile = insert(conn, "profile", name="Dra. Ana Ruiz")
    first = add_slot(conn, profile, add_service(conn, profile), MONDAY_9AM)
    then = add_slot(conn, profile, add_service(conn, profile), MONDAY_9AM + timedelta(minutes=30))

    take(conn, first)
    take(conn, then)

    assert taken_slots(conn) == {first, then}


def surviving(connection: Connection, practice: PracticeRows) -> set[str]:
    """The tables in which the practice's row is still there."""
    return {
        table
        for table, row_id in practice.items()
        if execute(connection, f"SELECT 1 FROM {table} WHERE id = :id", id=row_id)
    }


def delete(connection: Connection, table: str, row_id: uuid.UUID) -> None:
    assert execute(connection, f"DELETE FROM {table} WHERE id = :id", id=row_id) == 1


def test_deleting_a_profile_deletes_everything_it_owns(conn: Connection) -> None:
    practice = open_practice(conn)
    assert surviving(conn, practice) == set(practice)

    delete(conn, "profile", practice["profile"])

    assert surviving(conn, practice) == set()


def test_deleting_a_service_deletes_its_slots_requests_and_reservations(conn: Connection) -> None:
    practice = open_practice(conn)

    delete(conn, "medical_service", practice["medical_service"])

    gone = {"medical_service", "time_slot", "reservation_request", "reservation"}
    assert surviving(conn, practice) == set(practice) - gone - {"appointment_note"}


def test_deleting_a_slot_deletes_its_requests_and_reservations(conn: Connection) -> None:
    practice = open_practice(conn)

    delete(conn, "time_slot", practice["time_slot"])

    gone = {"time_slot", "reservation_request", "reservation", "appointment_note"}
    assert surviving(conn, practice) == set(practice) - gone


def test_deleting_a_request_keeps_its_reservation_and_code_but_unlinks_it(
    conn: Connection,
) -> None:
    practice = open_practice(conn)
    code = code_of(conn, practice["reservation_request"])

    delete(conn, "reservation_request", practice["reservation_request"])

    assert surviving(conn, practice) == set(practice) - {"reservation_request"}
    link = "SELECT request_id, code FROM reservation WHERE id = :id"
    assert tuple(conn.execute(text(link), {"id": practice["reservation"]}).one()) == (None, code)


def test_deleting_a_reservation_deletes_its_notes(conn: Connection) -> None:
    practice = open_practice(conn)

    delete(conn, "reservation", practice["reservation"])

    assert surviving(conn, practice) == set(practice) - {"reservation", "appointment_note"}


def test_a_profile_that_approved_another_practices_request_cannot_be_deleted(
    conn: Connection,
) -> None:
    practice = open_practice(conn)
    approver = insert(conn, "profile", name="Dr. Soto, suplente")
    approve = "UPDATE reservation_request SET status = 'approved', approved_by = :by WHERE id = :id"
    execute(conn, approve, by=approver, id=practice["reservation_request"])

    assert_violates(
        conn,
        "fk_reservation_request_approved_by_profile",
        lambda: delete(conn, "profile", approver),
    )
    assert surviving(conn, practice) == set(practice)


def test_a_profile_that_approved_its_own_request_can_still_be_deleted(conn: Connection) -> None:
    practice = open_practice(conn)
    approve = "UPDATE reservation_request SET status = 'approved', approved_by = :by WHERE id = :id"
    execute(conn, approve, by=practice["profile"], id=practice["reservation_request"])

    delete(conn, "profile", practice["profile"])

    assert surviving(conn, practice) == set()
