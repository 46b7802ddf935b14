"""Sealed columns on both databases: PostgreSQL, and the embedded SQLite of `make run`.

`plain_length` measures a message body's length in UTF-8 bytes in SQL without opening
it: retention keeps "[len=N]" of an old body (app/booking/retention.py). `rotate`
re-seals each sealed value with the newest key (app/rights/rotation.py).
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import Text, literal, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from app.booking.retention import purge_message_bodies
from app.models import MessageLog
from app.rights.rotation import rotate
from app.sealed import PREFIX, new_key, plain_length
from tests.conftest import FrozenClock
from tests.factories import context, make_practice
from tests.sealing_helpers import ProcessKeys, process_keys

__all__ = ["process_keys"]  # a fixture: tests ask for it by name

AT = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # any time: nothing here depends on it
BODIES = [
    "",
    "hola",
    "¿Cómo está, doctora? Mañana no puedo.",  # accents: two bytes each
    "👋",  # four bytes
    "👩‍⚕️ cita 🦷🦷",  # a joined emoji: woman, joiner, staff of Aesculapius, variation selector
    "中文 and עברית",
    "a" * 2000,  # the longest body the webhook keeps
    "x" * 4001 + "€",
]


def stored(
    sessions: sessionmaker[Session],
    bodies: list[str],
    variables: dict[str, object] | None = None,
) -> list[uuid.UUID]:
    """One inbound message per body, sealed by the model as the app stores it."""
    with sessions.begin() as session:
        profile = make_practice(session)
        rows = [
            MessageLog(
                profile_id=profile.id, direction="in", phone="+5215512345678", body=body,
                status="received", created_at=AT, updated_at=AT, variables=variables,
            )
            for body in bodies
        ]  # fmt: skip
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows]


def lengths(sessions: sessionmaker[Session], ids: list[uuid.UUID]) -> list[int]:
    with sessions() as session:
        measured = dict(
            session.execute(
                select(MessageLog.id, plain_length(MessageLog.body)).where(MessageLog.id.in_(ids))
            ).all()
        )
    return [measured[row] for row in ids]


def test_a_sealed_body_measures_as_its_plain_text(any_sessions: sessionmaker[Session]) -> None:
    ids = stored(any_sessions, BODIES)
    with any_sessions() as session:
        raw = session.scalars(
            select(text("body")).select_from(MessageLog).where(MessageLog.id.in_(ids))
        ).all()
    assert raw and all(body.startswith(PREFIX) for body in raw)  # measured sealed, not opened
    assert lengths(any_sessions, ids) == [len(body.encode()) for body in BODIES]


def test_a_body_from_before_encryption_measures_as_it_is(
    any_sessions: sessionmaker[Session],
) -> None:
    ids = stored(any_sessions, BODIES)
    with any_sessions.begin() as session:
        for row, body in zip(ids, BODIES, strict=True):
            # Bound as plain text, as the app wrote it before sealing: the column would seal it.
            plain = literal(body, Text)
            session.execute(update(MessageLog).where(MessageLog.id == row).values(body=plain))
    with any_sessions() as session:
        raw = session.scalars(
            select(text("body")).select_from(MessageLog).where(MessageLog.id.in_(ids))
        ).all()
    assert sorted(raw) == sorted(BODIES)
    assert lengths(any_sessions, ids) == [len(body.encode()) for body in BODIES]


def raw_column(sessions: sessionmaker[Session], column: str) -> list[str]:
    with sessions() as session:
        query = text(f"SELECT CAST({column} AS TEXT) FROM message_log WHERE {column} IS NOT NULL")
        return list(session.scalars(query))


def test_a_rotation_reseals_every_value_with_the_newest_key(
    any_sessions: sessionmaker[Session], process_keys: ProcessKeys
) -> None:
    key_a, key_b = new_key(), new_key()
    process_keys.install(key_a)
    facts = {"reason": "Dolor de muela 🦷", "age": 34}
    ids = stored(any_sessions, BODIES, facts)
    with any_sessions.begin() as session:  # one body from before encryption
        plain = literal("escrito antes de cifrar", Text)
        session.execute(update(MessageLog).where(MessageLog.id == ids[1]).values(body=plain))
    new = process_keys.install(key_b, key_a).newest

    report = rotate(any_sessions, batch=3)

    assert report.resealed["message_log.body"] == len(BODIES)
    assert report.resealed["message_log.variables"] == len(BODIES)
    assert sum(rotate(any_sessions, batch=3).resealed.values()) == 0  # nothing left to do
    assert all(body.startswith(f"{PREFIX}{new}:") for body in raw_column(any_sessions, "body"))
    for document in raw_column(any_sessions, "variables"):
        assert json.loads(document)["sealed"].startswith(f"{PREFIX}{new}:")
    process_keys.install(key_b)  # the old key dropped
    with any_sessions() as session:
        rows = {row.id: row for row in session.scalars(select(MessageLog))}
    expected = [BODIES[0], "escrito antes de cifrar", *BODIES[2:]]
    assert [rows[row].body for row in ids] == expected
    assert all(rows[row].variables == facts for row in ids)


def test_a_rotation_leaves_purged_bodies_as_retention_wrote_them(
    any_sessions: sessionmaker[Session], clock: FrozenClock, process_keys: ProcessKeys
) -> None:
    """Retention keeps "[len=N]" of an old body, unsealed: its partial index and its
    NOT_PURGED predicate recognise a purged row by that text. A rotation that sealed it
    would make the row look kept: the next purge would measure the placeholder itself
    and forget the body's length ("[len=41]" becoming "[len=8]").

    The clock is the tests' (2026-12-01 15:00 UTC); the body is 181 days older, past the
    180 days a practice keeps bodies by default."""
    key_a, key_b = new_key(), new_key()
    process_keys.install(key_a)
    with any_sessions.begin() as session:
        profile = make_practice(session)
        old = clock.now - timedelta(days=181)
        row = MessageLog(
            profile_id=profile.id, direction="in", phone="+5215512345678", body=BODIES[2],
            status="received", created_at=old, updated_at=old,
        )  # fmt: skip
        session.add(row)
    ctx = context(any_sessions, clock)
    assert purge_message_bodies(ctx) == 1
    assert raw_column(any_sessions, "body") == ["[len=41]"]

    process_keys.install(key_b, key_a)
    rotate(any_sessions)

    assert raw_column(any_sessions, "body") == ["[len=41]"]
    assert purge_message_bodies(ctx) == 0
    with any_sessions() as session:
        assert session.scalars(select(MessageLog.body)).one() == "[len=41]"
