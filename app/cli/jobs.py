"""`flask jobs ...`: background duties on demand."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.jobs import tick

group = AppGroup("jobs", help="Run background duties.")


@group.command("tick")
def tick_command() -> None:
    """Run every periodic duty once, now, and print what it did.

    Expires overdue holds, sends due reminders, marks past unused slots expired and
    delivers pending messages. Safe from cron, concurrently, any number of times.
    """
    click.echo(tick().summary())
