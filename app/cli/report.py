"""`flask report`: a practice's figures for a period, as CSV or JSON, for its owner or a sheet."""

from __future__ import annotations

import csv
import json
import sys
import uuid
from datetime import datetime

import click
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.exc import OperationalError, ProgrammingError

from app.booking.figures import local_period, practice_figures
from app.cli.errors import database_unreachable
from app.db import get_database
from app.models import Practice


@click.command("report")
@with_appcontext
@click.option("--practice", "profile_id", type=click.UUID, required=True, help="The practice's id.")
@click.option(
    "--from", "first", type=click.DateTime(["%Y-%m-%d"]), required=True,
    help="First day (YYYY-MM-DD), in the practice's time zone.",
)  # fmt: skip
@click.option(
    "--to", "last", type=click.DateTime(["%Y-%m-%d"]), required=True,
    help="Last day, included.",
)  # fmt: skip
@click.option("--format", "shape", type=click.Choice(["csv", "json"]), default="csv")
def report_command(profile_id: uuid.UUID, first: datetime, last: datetime, shape: str) -> None:
    """Print the practice's figures from --from to --to: the same numbers as RESUMEN.

    Requests are counted on the day they were made, appointments on the day they
    were for. Rates are fractions (0.25 is a quarter); empty when nothing to divide.
    """
    first_day, last_day = first.date(), last.date()
    if last_day < first_day:
        raise click.BadParameter("must not be before --from", param_hint="--to")
    sessions = get_database().sessions
    try:
        with sessions() as session:
            timezone = session.scalar(select(Practice.timezone).where(Practice.id == profile_id))
        if timezone is None:
            raise click.ClickException(f"no practice has the id {profile_id}")
        since, until = local_period(first_day, last_day, timezone)
        figures = practice_figures(sessions, profile_id=profile_id, since=since, until=until)
    except (OperationalError, ProgrammingError) as error:
        raise database_unreachable(error) from None
    row = figures.as_row()
    if shape == "json":
        click.echo(json.dumps(row, indent=2))
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=list(row), lineterminator="\n")
    writer.writeheader()
    writer.writerow({name: "" if value is None else value for name, value in row.items()})
