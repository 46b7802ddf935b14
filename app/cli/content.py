"""`flask content ...`: the Twilio Content resources lists and buttons are sent as."""

from __future__ import annotations

from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError, ProgrammingError
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from app.background.runtime import TWILIO_API, RedirectedHttpClient
from app.cli.errors import database_unreachable
from app.config import Config
from app.db import get_database
from app.messaging.content_pool import Change, SyncInterrupted, SyncReport, sync
from app.messaging.delivery import HTTP_TIMEOUT
from app.messaging.twilio_messenger import settled
from bot_flows.texts import CATALOGUES

CONTENT_API = "https://content.twilio.com"

group = AppGroup("content", help="Manage the Twilio Content resources of lists and buttons.")


@group.command("sync")
def sync_command() -> None:
    """Create or update the content pool at Twilio and print what changed.

    Without Twilio credentials there is nothing to sync, and running it is a
    mistake: the command says so and fails.
    """
    config: Config = current_app.config["CITABOT"]
    if not (
        config.messaging_backend == "twilio"
        and config.twilio_account_sid
        and config.twilio_auth_token
    ):
        raise click.ClickException(
            "nothing to sync: the content pool lives in a Twilio account, and this app has"
            " none (set MESSAGING_BACKEND=twilio, TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN)"
        )
    client = Client(
        config.twilio_account_sid, config.twilio_auth_token, http_client=_http_client(config)
    )
    try:
        report = sync(get_database().sessions, client, config.twilio_account_sid, tuple(CATALOGUES))
    except SyncInterrupted as interrupted:
        for line in report_lines(interrupted.report):
            click.echo(line)
        raise click.ClickException(
            f"{interrupted}. What is listed above was done and is kept; run it again."
        ) from None
    except (OperationalError, ProgrammingError) as error:
        raise database_unreachable(error) from None
    for line in report_lines(report):
        click.echo(line)


def report_lines(report: SyncReport) -> list[str]:
    """A count per change, then the keys of what changed (what stayed is only counted)."""
    counts = ", ".join(f"{report.count(change)} {change}" for change in Change)
    lines = [f"Content pool: {counts}."]
    lines += [
        f"{change.capitalize()}: {', '.join(report.keys[change])}"
        for change in Change
        if change is not Change.UNCHANGED and report.keys[change]
    ]
    return lines


def _http_client(config: Config) -> TwilioHttpClient:
    """Twilio's SDK client as delivery builds it; TWILIO_API_BASE_URL (tests) serves both APIs."""
    if config.twilio_api_base_url:
        return ContentRedirectedHttpClient(config.twilio_api_base_url)
    return settled(TwilioHttpClient(timeout=HTTP_TIMEOUT))


class ContentRedirectedHttpClient(RedirectedHttpClient):
    """`RedirectedHttpClient` that also sends the Content API (content.twilio.com) there."""

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        if url.startswith(CONTENT_API):
            url = TWILIO_API + url.removeprefix(CONTENT_API)
        return super().request(method, url, *args, **kwargs)
