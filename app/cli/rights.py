"""`flask rights list`: the rights register, for whoever answers patients' data requests."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError, ProgrammingError

from app.cli.errors import database_unreachable
from app.clock import utc_now
from app.db import get_database
from app.rights.register import listing

group = AppGroup("rights", help="Patients' data-rights requests and their legal deadlines.")
COLUMNS = ("practice", "kind", "phone", "requested", "due", "answered")


@group.command("list")
@click.option("--overdue", is_flag=True, help="Only requests not answered by their deadline.")
@click.option(
    "--now", "at", type=click.DateTime(["%Y-%m-%dT%H:%M"]), default=None, hidden=True,
    help="The moment to judge lateness at (UTC); for tests.",
)  # fmt: skip
def list_command(overdue: bool, at: datetime | None) -> None:
    """Print the register, oldest first: phones show only their last 4 digits."""
    now = utc_now() if at is None else at.replace(tzinfo=UTC)
    try:
        with get_database().sessions() as session:
            lines = listing(session, now, overdue=overdue)
    except (OperationalError, ProgrammingError) as error:
        raise database_unreachable(error) from None
    click.echo("\t".join(COLUMNS))
    for line in lines:
        answered = _utc(line.answered_at) if line.answered_at else "open"
        if line.how_answered:
            answered = f"{answered} ({line.how_answered})"
        fields = (line.practice, line.kind, line.phone, _utc(line.requested_at), _utc(line.due_at))
        click.echo("\t".join((*fields, answered)))


def _utc(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
