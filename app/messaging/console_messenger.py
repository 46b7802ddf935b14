"""The console adapter: in development, messages are printed instead of sent."""

from __future__ import annotations

import uuid
from datetime import datetime

import click

from app.messaging.port import Outbound, ProviderMessage


class ConsoleMessenger:
    """Print each message to stdout: the delivery channel in development, not a log.

    There is no 24-hour window here, and templates are shown as their rendered text.
    """

    requires_templates = False

    def send(self, message: Outbound) -> str:
        template = f" [template {message.content_sid}]" if message.content_sid else ""
        click.echo(
            f"--- WhatsApp {message.sender} -> {message.recipient}"
            f" ({message.purpose or 'message'}{template}, id {message.message_id})\n"
            f"{message.body}\n---"
        )
        return f"CONSOLE-{uuid.uuid4()}"

    def sent_since(self, sender: str, recipient: str, since: datetime) -> list[ProviderMessage]:
        # The console keeps no record: a message cut off mid-print is printed again.
        return []
