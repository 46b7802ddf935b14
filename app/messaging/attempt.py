"""One claimed message, one try: reconcile if it may have gone already, then send.

What happens is returned as a `Result` for the recorder; nothing here writes to
the database, so a batch of tries is recorded in one transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from app.messaging import provider_check
from app.messaging.outbox import Claim
from app.messaging.port import FailureKind, Outbound, ProviderUnavailable, SendFailed
from app.messaging.twilio_messenger import CONTENT_GONE
from app.models import MessageStatus

if TYPE_CHECKING:
    from app.messaging.delivery import DeliveryContext


class SendOutcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Sent:
    sid: str
    outcome = SendOutcome.SENT
    log_level = logging.DEBUG

    def describe(self) -> str:
        return "sent"


@dataclass(frozen=True)
class Later:
    """Try again at `at`. Status `sending`: the provider may have it, ask first."""

    status: MessageStatus
    at: datetime
    code: str | None
    outcome = SendOutcome.RETRY
    log_level = logging.INFO

    def describe(self) -> str:
        return f"{self.status} again at {self.at.isoformat()} ({self.code or 'released'})"


@dataclass(frozen=True)
class Failed:
    code: str
    outcome = SendOutcome.FAILED
    log_level = logging.WARNING

    def describe(self) -> str:
        return f"failed: {self.code}"


Result = Sent | Later | Failed


def attempt(ctx: DeliveryContext, claim: Claim, message: Outbound) -> Result:
    """Deliver `message` under `claim`, asking the provider first if it may have it."""
    if claim.was_sending:
        try:
            candidates = ctx.messenger.sent_since(
                message.sender, message.recipient, provider_check.since(claim)
            )
        except ProviderUnavailable:
            return _later(ctx, claim, "unreachable", FailureKind.UNCERTAIN)
        with ctx.sessions() as session:
            found = provider_check.already_sent(session, claim, candidates)
        if found:
            return Sent(found)
    if ctx.settings.retry.exhausted(claim.attempts):
        return Failed("max_attempts")
    now = ctx.clock()
    if now >= claim.lease_until - ctx.settings.send_margin:
        # Too late to start a send this lease covers: nothing went out, hand it back.
        return Later(MessageStatus.QUEUED, now, None)
    try:
        return Sent(ctx.messenger.send(message))
    except SendFailed as failure:
        if failure.code == CONTENT_GONE and ctx.pool is not None:
            ctx.pool.forget()
        if failure.kind is FailureKind.PERMANENT:
            return Failed(failure.code)
        return _later(ctx, claim, failure.code, failure.kind)


def _later(ctx: DeliveryContext, claim: Claim, code: str, kind: FailureKind) -> Result:
    """Retry after the policy's backoff while attempts remain.

    An uncertain failure keeps one more claim beyond the budget: the one that asks
    the provider whether the message arrived, so it is not given up while sent.
    """
    retry = ctx.settings.retry
    uncertain = kind is FailureKind.UNCERTAIN
    if claim.attempts >= retry.max_attempts + (1 if uncertain else 0):
        return Failed("max_attempts")
    status = MessageStatus.SENDING if uncertain else MessageStatus.QUEUED
    return Later(status, ctx.clock() + retry.delay(claim.attempts), code)
