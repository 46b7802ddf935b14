"""Command-line entrypoints (`flask --app app ...`): parse arguments, call a service, report."""

from __future__ import annotations

from flask import Flask

from app.cli import clinic, content, jobs, keys, report, retention, rights, slots


def init_app(app: Flask) -> None:
    """Register the command groups on `app`."""
    app.cli.add_command(clinic.group)
    app.cli.add_command(slots.group)
    app.cli.add_command(jobs.group)
    app.cli.add_command(content.group)
    app.cli.add_command(report.report_command)
    app.cli.add_command(retention.group)
    app.cli.add_command(rights.group)
    app.cli.add_command(keys.group)
