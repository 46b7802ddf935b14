"""Key rotation with the app running: old values re-sealed while patients keep booking.

A deployment rotates by putting a new key first in CITABOT_DATA_KEYS (every process
then seals with it and still opens the old one), running `flask keys rotate`, and
finally dropping the old key. These tests install keyrings into the process as that
deployment would; `process_keys` puts the test's own keyring back afterwards.

The clock is the e2e clock (Tuesday 2026-12-01 15:00 UTC, 09:00 in Mexico City); the
practice's free times are on Wednesday 2 and Thursday 3 December, from 10:00 local.
"""

from __future__ import annotations

import json
import threading
from contextlib import AbstractContextManager

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from app.background.runtime import get_runtime
from app.booking.appointments import add_note
from app.db import Base
from app.models import AppointmentNote, ReservationRequest, WaitlistEntry
from app.rights.rotation import rotate, sealed_columns
from app.sealed import PREFIX, SealError, new_key
from tests.e2e.conftest import DAY_1, DAY_2, Person, World, free_times, make_practice_setup
from tests.e2e.test_conversation import request_of
from tests.e2e.test_sealed_at_rest import WAITING_REASON, join_waitlist_with_canary
from tests.sealing_helpers import ProcessKeys, process_keys, stored_values

pytestmark = pytest.mark.postgres
__all__ = ["process_keys"]  # a fixture: tests ask for it by name

NOTE = "Control de rodilla canario-nota-rotacion"
THREAD_PATIENTS = 4  # booked by a second thread while the rotation runs
WAIT = 30  # seconds the rotation waits for the booking thread's next message, at most


def reason(n: int) -> str:
    return f"Control canario-motivo-{n:02d}"


def history(n: int) -> str:
    return f"canario-antecedentes-{n:02d}"


def booking(n: int) -> list[str]:
    """A new patient's messages, from "hola" to "1. Confirmar", with the canaries of `n`.

    The practice asks the symptoms apart ("no"); the health gate keeps other words as
    the history; medications and allergies "no"; urgency normal.
    """
    start = ["hola", "1", "1", "1", "1"]  # consent, then book the first day's first time
    return [*start, "Ana López", "40", reason(n), "no", history(n), "no", "no", "2", "1"]


def book(patient: Person, n: int) -> None:
    replies: list[str] = []
    for body in booking(n):
        replies = patient.say(body)
    assert replies[0].startswith("✅ ¡Listo! Enviamos tu solicitud"), (n, patient.heard)


def practice_for(world: World) -> None:
    """The world's practice, asking the symptoms apart, with room for every patient."""
    world.practice = make_practice_setup(
        world.sessions,
        free_times(DAY_1, 8) + free_times(DAY_2, 8),
        intake={"symptoms": "optional"},
    )


class BookingThread(threading.Thread):
    """Patients booking one message after another, beside the rotation."""

    def __init__(self, patients: list[tuple[int, Person]]) -> None:
        super().__init__(daemon=True)
        self.patients = patients
        self.said = threading.Condition()
        self.messages = 0
        self.finished = False
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            for n, patient in self.patients:
                for body in booking(n):
                    replies = patient.say(body)
                    with self.said:
                        self.messages += 1
                        self.said.notify_all()
                assert replies[0].startswith("✅ ¡Listo! Enviamos tu solicitud"), patient.heard
        except BaseException as error:  # re-raised by the test
            self.error = error
        finally:
            with self.said:
                self.finished = True
                self.said.notify_all()

    def next_message(self, seen: int) -> int:
        """Wait until a message after the `seen`th was answered (or none will come)."""
        with self.said:
            self.said.wait_for(lambda: self.messages > seen or self.finished, WAIT)
            return self.messages


class Interleaved:
    """The rotation's sessions: each batch it reads waits for one more booking message,
    so reads and re-seals fall between the webhook's transactions, not before or after."""

    def __init__(self, sessions: sessionmaker[Session], thread: BookingThread) -> None:
        self.sessions, self.thread = sessions, thread
        self.seen = 0
        self.reads_while_booking = 0

    def __call__(self) -> AbstractContextManager[Session]:
        self.seen = self.thread.next_message(self.seen)
        if not self.thread.finished:
            self.reads_while_booking += 1
        return self.sessions()

    def begin(self) -> AbstractContextManager[Session]:
        return self.sessions.begin()


def read_every_sealed_row(sessions: sessionmaker[Session]) -> int:
    """Load every row of every mapped table with a sealed column, opening each value."""
    sealed = {(column.table.name, column.column.name) for column in sealed_columns()}
    rows = 0
    with sessions() as session:
        for mapper in Base.registry.mappers:
            table = mapper.local_table
            names = [c.key for c in mapper.column_attrs if (table.name, c.key) in sealed]
            if not names:
                continue
            for row in session.scalars(select(mapper.class_)):
                for name in names:
                    getattr(row, name)
                rows += 1
    return rows


def sealed_with(value: str, kid: str) -> bool:
    """Whether a stored value (text, or JSON text) is sealed with key `kid`; JSON null and
    an empty object hold nothing to seal. Plain text is not."""
    if value.startswith(PREFIX):
        return value.startswith(f"{PREFIX}{kid}:")
    try:
        loaded = json.loads(value)
    except ValueError:
        return False
    if loaded is None or loaded == {}:
        return True
    return (
        isinstance(loaded, dict)
        and set(loaded) == {"sealed"}
        and sealed_with(loaded["sealed"], kid)
    )


def test_a_rotation_beside_the_booking_webhook_leaves_nothing_on_the_old_key(
    world: World, process_keys: ProcessKeys
) -> None:
    """The rotation runs beside the app: each batch falls between two webhook messages of
    patients booking under the new key, and none of their writes is undone or missed."""
    practice_for(world)
    key_a, key_b = new_key(), new_key()
    old = process_keys.install(key_a).newest
    # Under the old key: two bookings, one approved with the doctor's note; one waiting.
    first, second, waiting, doctor = (
        world.patient(),
        world.patient(),
        world.patient(),
        world.doctor(),
    )
    book(first, 0)
    book(second, 1)
    code = request_of(world, first.phone).code
    assert doctor.say(f"APROBAR {code}")[0].startswith(f"✅ Aprobada {code}")
    add_note(
        get_runtime(world.app).booking,
        profile_id=world.practice.profile.id,
        code=code,
        note_type="diagnosis",
        content=NOTE,
    )
    join_waitlist_with_canary(waiting)
    assert world.run_jobs() > 0
    assert all(sealed_with(body, old) for body in stored_values(world.sessions)["message_log.body"])

    # The new key first: the app seals with it while the rotation re-seals the rest.
    new = process_keys.install(key_b, key_a).newest
    thread = BookingThread([(n, world.patient()) for n in range(2, THREAD_PATIENTS + 2)])
    interleaved = Interleaved(world.sessions, thread)
    thread.start()
    during = rotate(interleaved, batch=3)
    thread.join(timeout=120)
    assert not thread.is_alive()
    if thread.error is not None:
        raise thread.error
    assert interleaved.reads_while_booking >= 10, interleaved.reads_while_booking
    assert during.resealed["reservation_request.chief_complaint"] == 2  # the first two's
    assert during.resealed["appointment_note.content"] == 1
    assert during.resealed["waitlist_entry.intake"] == 1
    assert during.resealed["message_log.body"] > 0 and during.resealed["message_log.variables"] > 0
    after = rotate(world.sessions, batch=3)
    assert sum(after.resealed.values()) == 0, after.summary()  # none missed, none written old

    # The old key dropped: every sealed row opens with the new key alone, as written.
    process_keys.install(key_b)
    stored = stored_values(world.sessions)
    on_old = [
        name for name, values in stored.items() if any(f"{PREFIX}{old}:" in v for v in values)
    ]
    assert on_old == [], f"values still sealed with the old key {old}: {on_old}"
    assert all(sealed_with(v, new) for values in stored.values() for v in values)
    assert read_every_sealed_row(world.sessions) > 0
    with world.sessions() as session:
        answers = session.execute(
            select(ReservationRequest.chief_complaint, ReservationRequest.medical_history)
        ).all()
        assert session.scalars(select(AppointmentNote.content)).one() == NOTE
        intake = session.scalars(select(WaitlistEntry.intake)).one()
    assert intake is not None and intake["chief_complaint"] == WAITING_REASON
    assert sorted(answers) == [(reason(n), history(n)) for n in range(THREAD_PATIENTS + 2)]
    for n, patient in enumerate((first, second)):  # sealed with the old key, then re-sealed
        held = "\n".join(patient.say("mis datos"))
        assert f"Motivo: {reason(n)}" in held and f"Antecedentes: {history(n)}" in held


def test_flask_keys_rotate_reseals_the_old_values_and_then_finds_none(
    world: World, process_keys: ProcessKeys
) -> None:
    """The command a deployment runs: it says what it re-sealed, and is safe to repeat."""
    practice_for(world)
    key_a, key_b = new_key(), new_key()
    process_keys.install(key_a)
    patient = world.patient()
    book(patient, 0)
    new = process_keys.install(key_b, key_a).newest
    runner = world.app.test_cli_runner()

    first = runner.invoke(args=["keys", "rotate", "--batch", "2"])
    assert first.exit_code == 0, first.output
    assert "reservation_request.chief_complaint: 1 re-sealed" in first.output
    assert "reservation_request.medical_history: 1 re-sealed" in first.output
    total = first.output.splitlines()[-1]
    assert total.endswith(" values re-sealed in all") and not total.startswith("0 "), total
    again = runner.invoke(args=["keys", "rotate"])
    assert again.exit_code == 0, again.output
    assert again.output.splitlines()[-1] == "0 values re-sealed in all"

    process_keys.install(key_b)
    assert all(sealed_with(v, new) for vs in stored_values(world.sessions).values() for v in vs)
    request = request_of(world, patient.phone)
    assert (request.chief_complaint, request.medical_history) == (reason(0), history(0))


def test_a_value_written_before_encryption_is_sealed_by_the_next_rotation(
    world: World, process_keys: ProcessKeys
) -> None:
    """Rows from before the upgrade hold plain text: read as they are, sealed by a rotation."""
    practice_for(world)
    current = process_keys.install(new_key()).newest
    patient = world.patient()
    book(patient, 0)
    code = request_of(world, patient.phone).code
    plain_reason, plain_facts = "Dolor de cabeza, escrito antes de cifrar", {"code": code}
    with world.sessions.begin() as session:
        session.execute(
            text("UPDATE reservation_request SET chief_complaint = :plain WHERE code = :code"),
            {"plain": plain_reason, "code": code},
        )
        session.execute(
            text(
                "UPDATE message_log SET variables = CAST(:plain AS json)"
                " WHERE purpose = 'doctor_new_request'"
            ),
            {"plain": json.dumps(plain_facts)},
        )
    assert request_of(world, patient.phone).chief_complaint == plain_reason
    [notice] = world.outbox(world.practice.doctor_phone, "doctor_new_request")
    assert notice.variables == plain_facts

    report = rotate(world.sessions, batch=2)

    assert report.resealed["reservation_request.chief_complaint"] == 1
    assert report.resealed["message_log.variables"] == 1
    assert sum(report.resealed.values()) == 2, report.summary()  # the rest was already sealed
    stored = stored_values(world.sessions)
    [raw] = stored["reservation_request.chief_complaint"]
    assert sealed_with(raw, current) and "escrito" not in raw
    assert all(sealed_with(v, current) for v in stored["message_log.variables"])
    assert request_of(world, patient.phone).chief_complaint == plain_reason
    [notice] = world.outbox(world.practice.doctor_phone, "doctor_new_request")
    assert notice.variables == plain_facts


def test_a_value_sealed_with_a_key_not_in_the_keyring_names_the_key_never_the_content(
    world: World, process_keys: ProcessKeys
) -> None:
    """A key dropped before its rotation: the error says which key, and nothing of the
    health data it could not open (errors reach logs)."""
    practice_for(world)
    key_a, key_b = new_key(), new_key()
    newer = process_keys.install(key_b).newest
    patient = world.patient()
    book(patient, 0)
    process_keys.install(key_a)  # the key that sealed it was dropped too soon

    with pytest.raises(SealError) as refused:
        request_of(world, patient.phone)
    message = str(refused.value)
    assert newer in message and "CITABOT_DATA_KEYS" in message
    assert "canario" not in message and "Control" not in message
