"""`flask keys new` and `flask keys rotate`: the data keys that seal health data at rest."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.background.runtime import get_runtime
from app.cli.options import batch_option
from app.rights.rotation import BATCH, rotate
from app.sealed import new_key

group = AppGroup("keys", help="The data keys that seal clinical text at rest (CITABOT_DATA_KEYS).")


@group.command("new")
def new_command() -> None:
    """Print a new key: put it first in CITABOT_DATA_KEYS, then run `keys rotate`."""
    click.echo(new_key())


@group.command("rotate")
@batch_option(BATCH)
def rotate_command(batch: int) -> None:
    """Re-seal every sealed value with the newest key (the first of CITABOT_DATA_KEYS).

    Runs beside the app; safe to repeat. Once it has run, the keys after the first
    open nothing any more and can be removed from CITABOT_DATA_KEYS.
    """
    click.echo(rotate(get_runtime().booking.sessions, batch).summary())
