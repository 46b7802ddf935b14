"""`flask retention run`: the daily retention duty on demand."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.background.jobs import retention_duties
from app.booking.retention import BATCH
from app.cli.options import batch_option

group = AppGroup("retention", help="Forget what is kept beyond its retention.")


@group.command("run")
@batch_option(BATCH)
def run_command(batch: int) -> None:
    """Purge message bodies past each practice's retention; empty idle conversations' answers;
    erase the blocked clinical records whose time has ended.

    The same run as the daily job's; safe to repeat (a second run changes nothing).
    """
    click.echo(retention_duties(batch))
