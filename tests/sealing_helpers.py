"""Encryption at rest in tests: the process keyring installed and restored, and raw reads.

`app.sealed` keeps one keyring per process (`create_app` installs it). A test that
installs keys of its own restores the one it found afterwards (`process_keys`), so
the tests after it read with the keys their app was made with.

`clear_in` reads the database as an intruder would, bypassing the models: every
text-like column of every table of the public schema, whatever the models say.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from app import sealed
from app.rights.rotation import sealed_columns
from app.sealed import Keyring

# The column types a word can be read in as stored (information_schema's data_type).
TEXT_LIKE = ("text", "character varying", "character", "json", "jsonb")


class ProcessKeys:
    """Installs keyrings into the process, as a deployment's CITABOT_DATA_KEYS would."""

    def install(self, *keys: str) -> Keyring:
        """`keys` newest first: the first seals, any opens."""
        ring = Keyring.from_text(",".join(keys))
        sealed.install(ring)
        return ring


@pytest.fixture
def process_keys() -> Iterator[ProcessKeys]:
    """Install keys freely; the keyring found before the test is put back after it."""
    found = sealed._installed
    try:
        yield ProcessKeys()
    finally:
        sealed._installed = found


def text_columns(session: Session) -> list[tuple[str, str]]:
    """(table, column) of every text-like column of the public schema."""
    rows = session.execute(
        text(
            "SELECT c.table_name, c.column_name FROM information_schema.columns c"
            " JOIN information_schema.tables t"
            "   ON t.table_schema = c.table_schema AND t.table_name = c.table_name"
            " WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'"
            "   AND c.data_type = ANY(:types)"
            " ORDER BY c.table_name, c.column_name"
        ),
        {"types": list(TEXT_LIKE)},
    )
    return [(table, column) for table, column in rows]


def clear_in(sessions: sessionmaker[Session], word: str) -> dict[str, int]:
    """Where `word` can be read as stored: {"table.column": rows holding it}, case-insensitive."""
    found: dict[str, int] = {}
    with sessions() as session:
        columns = text_columns(session)
        assert columns, "no text column found: the scan would prove nothing"
        for table, column in columns:
            count = session.scalar(
                text(f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE :pattern'),
                {"pattern": f"%{word}%"},
            )
            if count:
                found[f"{table}.{column}"] = count
    return found


def stored_values(sessions: sessionmaker[Session]) -> dict[str, list[str]]:
    """Every sealed column's values as stored (JSON as its text): {"table.column": [...]}."""
    values: dict[str, list[str]] = {}
    with sessions() as session:
        for column in sealed_columns():
            query = text(
                f'SELECT "{column.column.name}"::text FROM "{column.table.name}"'
                f' WHERE "{column.column.name}" IS NOT NULL'
            )
            values[column.name] = list(session.scalars(query))
    return values
