"""`flask jobs ...`: background duties on demand."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType

import click
from flask.cli import AppGroup

from app.background.jobs import tick

group = AppGroup("jobs", help="Run background duties.")


@group.command("tick")
@click.option("--traceback", "tracebacks", is_flag=True, help="Log failures with tracebacks.")
def tick_command(tracebacks: bool) -> None:
    """Run every periodic duty once, now, and print what it did.

    Expires overdue holds, sends due reminders, marks past unused slots expired and
    delivers pending messages. Safe from cron, concurrently, any number of times.
    A duty that fails is logged in one line and the others still run; the exit
    status is then 1.
    """
    with _log_to_stderr(tracebacks):
        try:
            report = tick()
        except Exception as error:
            # Not even started (settings, Redis URL...): say what, not where.
            raise click.ClickException(f"tick could not start: {_describe(error)}") from None
    click.echo(report.summary())
    if report.failed:
        raise click.ClickException(
            f"{', '.join(report.failed)} failed (see above); the next tick tries again"
        )


class _OneLine(logging.Formatter):
    """What failed and why, without the traceback: cron mail and terminals want one line."""

    def formatException(
        self, ei: tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, ...]
    ) -> str:
        error = ei[1]
        return f"  ({_describe(error)})" if isinstance(error, BaseException) else ""


@contextmanager
def _log_to_stderr(tracebacks: bool) -> Iterator[None]:
    """Show the app's warnings on stderr while the command runs, one line each by default."""
    logger = logging.getLogger("app")
    handler = logging.StreamHandler()
    handler.setLevel(logging.WARNING)
    fmt = "%(levelname)s %(name)s: %(message)s"
    handler.setFormatter(logging.Formatter(fmt) if tracebacks else _OneLine(fmt))
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _describe(error: BaseException) -> str:
    """The error's type and first line: database errors carry no row values (app.db)."""
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {first_line}" if first_line else type(error).__name__
