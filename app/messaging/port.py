"""The outbound port: what delivery needs from a WhatsApp provider, and how sending fails.

Failures come in three kinds because they call for different answers. A
*permanent* one (bad number, outside the 24-hour window) will fail again: stop.
A *transient* one is known not to have reached the provider (rate limited,
could not connect): try again later. An *uncertain* one may have reached it (a
server error, a read timeout): before trying again, ask the provider whether it
has the message, or it could be sent twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from app.messaging.interactive import Interactive


@dataclass(frozen=True)
class Outbound:
    """One message, ready for the provider: numbers in E.164, a body or a template.

    `interactive` is the list or buttons the message shows, with its kind; at
    Twilio it goes as the pool's `content_sid`, the console prints it.
    """

    message_id: uuid.UUID
    sender: str
    recipient: str
    body: str
    purpose: str | None = None
    content_sid: str | None = None
    content_variables: Mapping[str, str] = field(default_factory=dict)
    status_callback: str | None = None
    interactive: tuple[str, Interactive] | None = None


@dataclass(frozen=True)
class ProviderMessage:
    """A message the provider has from us: its id, text and when it was created."""

    sid: str
    body: str
    created_at: datetime | None


class FailureKind(StrEnum):
    PERMANENT = "permanent"
    TRANSIENT = "transient"
    UNCERTAIN = "uncertain"


class SendFailed(Exception):
    """The provider did not take the message. `code` is safe to log: no text, no numbers."""

    def __init__(self, code: str, kind: FailureKind) -> None:
        super().__init__(f"{kind} failure {code}")
        self.code = code[:16]
        self.kind = kind


class ProviderUnavailable(Exception):
    """The provider could not be asked (network, server error)."""


class Messenger(Protocol):
    """A WhatsApp provider. `requires_templates`: it enforces the 24-hour window."""

    @property
    def requires_templates(self) -> bool: ...

    def send(self, message: Outbound) -> str:
        """Send `message`; return the provider's id for it, or raise `SendFailed`."""
        ...

    def sent_since(self, sender: str, recipient: str, since: datetime) -> list[ProviderMessage]:
        """Messages we sent `recipient` from `sender` since `since`, oldest first.

        Raises `ProviderUnavailable` when the provider cannot be asked.
        """
        ...
