"""What the commands say when the database is not there: one line, not a traceback."""

from __future__ import annotations

import click
from sqlalchemy.exc import DBAPIError

UNDEFINED_TABLE = "42P01"  # PostgreSQL's SQLSTATE for a table that does not exist


def database_unreachable(error: DBAPIError) -> click.ClickException:
    """The driver's first line (no row values: see app.db) as the command's error.

    A database without Citabot's tables is the usual first mistake, and the message
    says what to run.
    """
    lines = str(error.orig).strip().splitlines()
    first = lines[0] if lines else type(error.orig).__name__
    if getattr(error.orig, "sqlstate", None) == UNDEFINED_TABLE or "no such table" in first:
        return click.ClickException(
            f"the database has no Citabot tables ({first}): run `alembic upgrade head` first"
        )
    return click.ClickException(f"the database could not be reached: {first}")
