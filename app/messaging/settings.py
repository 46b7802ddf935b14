"""What delivery needs to know besides the database: where callbacks go, templates, timing."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from app.config import Config
from app.messaging.templates import TemplateValue


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff for failures worth retrying, capped, with a budget of attempts.

    The defaults try 8 times over about 25 minutes (15 s, 30 s, 1, 2, 4, 8, 10 min):
    long enough to ride out a provider incident, short enough that a reminder is
    not delivered hours late.
    """

    first_delay: timedelta = timedelta(seconds=15)
    max_delay: timedelta = timedelta(minutes=10)
    max_attempts: int = 8

    def delay(self, attempts: int) -> timedelta:
        """How long to wait after the `attempts`-th attempt failed."""
        return min(self.first_delay * 2 ** max(attempts - 1, 0), self.max_delay)

    def exhausted(self, attempts: int) -> bool:
        return attempts > self.max_attempts


@dataclass(frozen=True)
class MessagingSettings:
    """Delivery's settings.

    `lease`: how long a claimed message belongs to its worker; after it, another
    worker may reconcile it. `send_margin`: no send starts later than this before the
    lease ends, so a send (HTTP timeout included) always finishes inside it.
    """

    public_base_url: str
    # How the catalogue writes a template's variables (bot_flows.texts.template_value),
    # passed in where the app is assembled: messaging knows no wording.
    template_value: TemplateValue
    content_sids: Mapping[str, str | Mapping[str, str]] = field(default_factory=dict)
    rate_per_second: int = 80
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    lease: timedelta = timedelta(seconds=60)
    send_margin: timedelta = timedelta(seconds=20)
    batch_size: int = 100
    # The Twilio account whose content pool (app/messaging/content_pool.py) lists and
    # buttons are sent with; None: no pool (the console needs none).
    content_account: str | None = None

    def status_callback(self, message_id: uuid.UUID) -> str:
        """Where Twilio reports this message's delivery; `m` finds it before its SID is known."""
        return f"{self.public_base_url}/webhooks/whatsapp/status?m={message_id}"

    @classmethod
    def from_config(cls, config: Config, template_value: TemplateValue) -> MessagingSettings:
        return cls(
            public_base_url=config.public_base_url,
            template_value=template_value,
            content_sids=config.twilio_content_sids,
            rate_per_second=config.whatsapp_rate_per_second,
            lease=timedelta(seconds=config.message_lease_seconds),
            content_account=config.twilio_account_sid,
        )
