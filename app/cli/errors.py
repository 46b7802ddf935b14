"""What the commands say when the database is not there: one line, not a traceback."""

from __future__ import annotations

import click
from sqlalchemy.exc import OperationalError


def database_unreachable(error: OperationalError) -> click.ClickException:
    """The driver's first line (no row values: see app.db) as the command's error."""
    lines = str(error.orig).strip().splitlines()
    return click.ClickException(f"the database could not be reached: {lines[0] if lines else ''}")
