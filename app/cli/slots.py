"""`flask slots ...`: materialise bookable slots from the availability rules."""

from __future__ import annotations

import uuid

import click
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError, ProgrammingError

from app.cli.errors import database_unreachable
from app.clock import utc_now
from app.db import get_database
from app.scheduling.generation import (
    DEFAULT_DAYS,
    MAX_DAYS,
    PracticeNotFound,
    PracticeSlotReport,
    generate_slots,
)

group = AppGroup("slots", help="Manage bookable time slots.")


@group.command("generate")
@click.option(
    "--days",
    type=click.IntRange(1, MAX_DAYS),
    default=DEFAULT_DAYS,
    show_default=True,
    help="How many days ahead, from now.",
)
@click.option("--profile", "profile_id", type=click.UUID, help="Only this profile (default: all).")
def generate_command(days: int, profile_id: uuid.UUID | None) -> None:
    """Create the slots of the next DAYS days; remove free ones that no longer fit the rules."""
    try:
        reports = generate_slots(
            get_database().sessions, now=utc_now(), days=days, profile_id=profile_id
        )
    except PracticeNotFound as error:
        raise click.ClickException(str(error)) from error
    except (OperationalError, ProgrammingError) as error:
        raise database_unreachable(error) from None
    if not reports:
        click.echo("No profiles: nothing to generate.")
    for report in reports:
        click.echo(summary_line(report))
    skipped = sum(report.problem is not None for report in reports)
    if skipped:
        raise click.ClickException(f"{skipped} profile(s) skipped; fix them and run again.")


def summary_line(report: PracticeSlotReport) -> str:
    """One line per profile, for the doctor or operator running the command."""
    if report.problem is not None:
        return f"{report.profile_name} ({report.profile_id}): skipped, {report.problem}"
    changes = report.changes
    return (
        f"{report.profile_name} ({report.profile_id}): {changes.created} created, "
        f"{changes.updated} updated, {changes.removed} removed, "
        f"{changes.kept} kept (taken or blocked)"
    )
