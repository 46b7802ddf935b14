"""The console adapter: in development, messages are printed instead of sent."""

from __future__ import annotations

import uuid
from datetime import datetime

import click

from app.messaging.interactive import QUICK_REPLY, Interactive
from app.messaging.port import Outbound, ProviderMessage


class ConsoleMessenger:
    """Print each message to stdout: the delivery channel in development, not a log.

    There is no 24-hour window here, and templates are shown as their rendered text;
    a list or buttons are shown as WhatsApp shows them, with the id each tap sends.
    """

    requires_templates = False

    def send(self, message: Outbound) -> str:
        template = f" [template {message.content_sid}]" if message.content_sid else ""
        shown = shown_as(*message.interactive) if message.interactive else message.body
        click.echo(
            f"--- WhatsApp {message.sender} -> {message.recipient}"
            f" ({message.purpose or 'message'}{template}, id {message.message_id})\n"
            f"{shown}\n---"
        )
        return f"CONSOLE-{uuid.uuid4()}"

    def sent_since(self, sender: str, recipient: str, since: datetime) -> list[ProviderMessage]:
        # The console keeps no record: a message cut off mid-print is printed again.
        return []


def shown_as(kind: str, message: Interactive) -> str:
    """A list or buttons in plain text: ``[ Sí, acepto ]`` buttons, or the list's rows."""
    if kind == QUICK_REPLY:
        buttons = "  ".join(f"[ {item.title} ]" for item in message.items)
        ids = ", ".join(item.id for item in message.items)
        return f"{message.body}\n{buttons}\n(taps send: {ids})"
    rows = [
        f"  ( ) {item.title}"
        + (f" — {item.description}" if item.description != item.title else "")
        + f"   [{item.id}]"
        for item in message.items
    ]
    return "\n".join([message.body, f"[≡ {message.button}]", *rows])
