"""`flask clinic ...`: set a practice up from a file."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError, ProgrammingError

from app.cli.errors import database_unreachable
from app.clock import utc_now
from app.db import get_database
from app.practices.bookability import nothing_bookable
from app.practices.clinic_file import ClinicFileError, load_clinic_file
from app.practices.setup import ImportResult, import_clinic

group = AppGroup("clinic", help="Set up a practice.")


@group.command("import")
@click.argument("file", type=click.Path(path_type=Path))
def import_command(file: Path) -> None:
    """Create or update the practice in FILE (JSON or YAML) and print its id.

    Only the id goes to standard output, so scripts can capture it; problems, the
    summary and warnings go to standard error, one line each.
    """
    try:
        clinic = load_clinic_file(file)
    except ClinicFileError as error:
        for problem in error.problems:
            click.echo(f"{file}: {problem}", err=True)
        click.echo("Nothing was imported. Fix the file and run the import again.", err=True)
        raise SystemExit(1) from None
    now = utc_now()
    try:
        result = import_clinic(get_database().sessions, clinic, now)
    except (OperationalError, ProgrammingError) as error:
        raise database_unreachable(error) from None
    click.echo(_summary(clinic.name, result), err=True)
    warning = nothing_bookable(clinic, now)
    if warning is not None:
        click.echo(f"{file}: warning: {warning}", err=True)
    click.echo(str(result.profile_id))


def _summary(name: str, result: ImportResult) -> str:
    verb = "Created" if result.profile_created else "Updated"
    lines = [
        f"{verb} {name}: {result.services_created} new and {result.services_updated} updated"
        f" services, {result.availability_rules} weekly availability rules,"
        f" {result.closed_dates} closed dates from the file."
    ]
    if result.services_deactivated:
        removed = ", ".join(result.services_deactivated)
        lines.append(f"No longer offered (kept for past bookings): {removed}.")
    return "\n".join(lines)
