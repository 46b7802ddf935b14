"""Key rotation: re-seal every sealed value with the newest data key, in batches.

Run after a new key was put first in `CITABOT_DATA_KEYS` on every process: then
the old key only opens what is not yet re-sealed, and once this has run it opens
nothing and can be removed. Values written before encryption are sealed too.

Each batch is its own short transaction. A value is written back only if it is
still what was read (compare and set), so a row the app changed meanwhile (sealed
by it with the newest key) is left alone, and the app is never made to wait on a
lock: the rotation runs beside it. Safe to repeat: a value already on the newest
key is skipped, and a second run changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Column, Table, Text, bindparam, cast, select, type_coerce, update

from app.db import Base, SessionSource
from app.models.messaging import PURGED_PREFIX
from app.sealed import Keyring, SealedJSON, SealedText, keyring

BATCH = 1000


@dataclass(frozen=True)
class SealedColumn:
    table: Table
    column: Column[Any]

    @property
    def name(self) -> str:
        return f"{self.table.name}.{self.column.name}"

    @property
    def is_json(self) -> bool:
        return isinstance(self.column.type, SealedJSON)


def sealed_columns() -> list[SealedColumn]:
    """Every column the models declare sealed: a new one is rotated without listing it."""
    return [
        SealedColumn(table, column)
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, SealedText | SealedJSON)
    ]


@dataclass(frozen=True)
class RotationReport:
    resealed: dict[str, int]

    def summary(self) -> str:
        lines = [f"{name}: {count} re-sealed" for name, count in self.resealed.items()]
        return "\n".join([*lines, f"{sum(self.resealed.values())} values re-sealed in all"])


def rotate(
    sessions: SessionSource, batch: int = BATCH, ring: Keyring | None = None
) -> RotationReport:
    """Re-seal each sealed column's values that another key (or none) sealed."""
    ring = ring or keyring()
    return RotationReport(
        {column.name: _rotate_column(sessions, column, ring, batch) for column in sealed_columns()}
    )


def _rotate_column(sessions: SessionSource, sealed: SealedColumn, ring: Keyring, batch: int) -> int:
    table, column = sealed.table, sealed.column
    [key] = table.primary_key.columns
    stored = cast(column, Text) if sealed.is_json else type_coerce(column, Text)
    # Compare and set, as one statement run for the whole batch (executemany).
    write = (
        update(table)
        .where(key == bindparam("old_key"), stored == bindparam("old_value", type_=Text))
        .values({column.name: bindparam("new_value", type_=JSON if sealed.is_json else Text)})
    )
    done = 0
    for rows in _batches(sessions, table, key, stored, batch):
        changes = [
            {"old_key": pk, "old_value": raw, "new_value": new}
            for pk, raw in rows
            if (new := _resealed(raw, sealed.is_json, ring)) is not None
        ]
        if changes:
            with sessions.begin() as session:
                session.execute(write, changes)
            done += len(changes)
    return done


def _batches(
    sessions: SessionSource, table: Table, key: Column[Any], stored: Any, batch: int
) -> Iterator[list[tuple[Any, str]]]:
    """The column's stored text, `batch` rows at a time in key order (no lock held)."""
    last = None
    while True:
        query = select(key, stored).where(stored.is_not(None)).order_by(key).limit(batch)
        if last is not None:
            query = query.where(key > last)
        with sessions() as session:
            rows = [(pk, raw) for pk, raw in session.execute(query)]
        if rows:
            yield rows
        if len(rows) < batch:
            return
        last = rows[-1][0]


def _resealed(raw: str, is_json: bool, ring: Keyring) -> Any:
    """The value sealed with the newest key, or None if it already is (or holds nothing).

    A purged body ("[len=N]") stays as retention wrote it: retention knows it by its text.
    """
    if not is_json:
        if ring.is_current(raw) or raw.startswith(PURGED_PREFIX):
            return None
        return ring.seal(ring.open(raw))
    value = json.loads(raw)
    if value is None or value == {}:  # nothing, kept as SealedJSON keeps it
        return None
    if isinstance(value, dict) and set(value) == {"sealed"}:
        if ring.is_current(value["sealed"]):
            return None
        return {"sealed": ring.seal(ring.open(value["sealed"]))}
    return {"sealed": ring.seal(json.dumps(value, ensure_ascii=False))}
