"""Delivering queued outbound messages: claim, (reconcile,) send, record.

Each message goes through three short transactions and one HTTP call between
them: the claim (committed before sending, so the message is sent at most once),
the send, and the record of what happened, which asks for a retry when one is
due (`run_after_commit(..., "deliver_message", id, at=...)`). `deliver_message` is the
job for one message, `deliver_messages` for a batch a commit queued at once;
`deliver_due` is the periodic safety net that takes every due message, including
those a dead worker left in `sending`.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from redis import Redis
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from app import metrics
from app.clock import Clock, utc_now
from app.config import Config
from app.messaging import outbox, send_outcomes, whatsapp_window
from app.messaging.attempt import SendOutcome, attempt
from app.messaging.console_messenger import ConsoleMessenger
from app.messaging.content_pool import PoolIndex
from app.messaging.outbox import Claim
from app.messaging.port import Messenger, Outbound
from app.messaging.rate import LocalRateLimiter, RateLimitedMessenger, RedisRateLimiter
from app.messaging.send_outcomes import Recorder, Sessions
from app.messaging.settings import MessagingSettings
from app.messaging.templates import TemplateValue
from app.messaging.twilio_messenger import TwilioMessenger, settled

log = logging.getLogger(__name__)
HTTP_TIMEOUT = 10.0  # seconds; well inside MessagingSettings.send_margin
CLAIM_TRIES = 3
FLUSH_EVERY = 50  # results recorded per transaction while a batch is being sent
SEND_THREADS = 4  # HTTP calls to the provider in flight at once, per process


@dataclass(frozen=True)
class DeliveryContext:
    sessions: sessionmaker[Session]
    clock: Clock
    messenger: Messenger
    settings: MessagingSettings
    pool: PoolIndex | None = None  # the content pool's SIDs, on Twilio


def deliver_message(ctx: DeliveryContext, message_id: uuid.UUID) -> str:
    """Deliver one message if it is due; its outcome: sent, retry, failed or skipped."""
    outcomes = _deliver(ctx, 1, [message_id])
    return outcomes.get(message_id, SendOutcome.SKIPPED)


def deliver_messages(ctx: DeliveryContext, message_ids: Sequence[uuid.UUID]) -> dict[str, int]:
    """Deliver these messages as one batch if they are due; how many ended each way.

    What a commit that queued many notifications at once (a sweep, the reminders) asks
    for: one job claims and sends them side by side, where one job per message
    would pay a job's start-up for each.
    """
    outcomes = _deliver(ctx, len(message_ids), list(message_ids))
    counts = Counter(outcome.value for outcome in outcomes.values())
    if len(outcomes) < len(message_ids):  # already sent, or not due yet
        counts[SendOutcome.SKIPPED.value] += len(message_ids) - len(outcomes)
    return dict(counts)


def deliver_due(
    ctx: DeliveryContext, limit: int | None = 500, budget: timedelta | None = None
) -> int:
    """Take due messages, stuck ones included, a batch at a time; return how many were sent.

    Stops when nothing is due, once `limit` messages were taken (None: no limit),
    or after the batch during which `budget` (real time) ran out.
    """
    taken = sent = 0
    size = ctx.settings.batch_size
    ends = time.monotonic() + budget.total_seconds() if budget is not None else None
    while limit is None or taken < limit:
        outcomes = _deliver(ctx, size if limit is None else min(size, limit - taken), None)
        if not outcomes:
            break
        taken += len(outcomes)
        sent += sum(outcome is SendOutcome.SENT for outcome in outcomes.values())
        if ends is not None and time.monotonic() >= ends:
            break
    return sent


def _deliver(
    ctx: DeliveryContext, limit: int, ids: list[uuid.UUID] | None
) -> dict[uuid.UUID, SendOutcome]:
    # The claim and the record take turns on one connection: one checkout (and the
    # pool's pre-ping) per delivery, not one per transaction. No transaction is open
    # during the send; sends in threads use connections of their own.
    with ctx.sessions.kw["bind"].connect() as connection:
        sessions = partial(ctx.sessions, bind=connection)
        return _claim_send_record(ctx, sessions, limit, ids)


def _claim_send_record(
    ctx: DeliveryContext, sessions: Sessions, limit: int, ids: list[uuid.UUID] | None
) -> dict[uuid.UUID, SendOutcome]:
    planned, outcomes = _claim_and_plan(ctx, sessions, limit, ids)
    if not planned:
        return outcomes
    recorder = Recorder(sessions, ctx.clock)
    if len(planned) == 1:  # the usual job: one notification, no thread to start
        claim, message = planned[0]
        outcomes[claim.id] = recorder.add(claim, attempt(ctx, claim, message))
        recorder.flush()
        return outcomes
    # A claim holds at most one message per recipient, so sending a batch's messages
    # side by side never reorders one person's messages; the sender's rate is
    # shared by the threads (and processes) through the limiter.
    with ThreadPoolExecutor(min(SEND_THREADS, len(planned)), "send") as pool:
        tries = {pool.submit(attempt, ctx, claim, message): claim for claim, message in planned}
        for done in as_completed(tries):
            claim = tries[done]
            outcomes[claim.id] = recorder.add(claim, done.result())
            if len(recorder.results) >= FLUSH_EVERY:
                recorder.flush()
    recorder.flush()
    return outcomes


def _claim_and_plan(
    ctx: DeliveryContext, sessions: Sessions, limit: int, ids: list[uuid.UUID] | None
) -> tuple[list[tuple[Claim, Outbound]], dict[uuid.UUID, SendOutcome]]:
    """Claim due messages and turn them into provider messages; refuse the unsendable."""
    for _ in range(CLAIM_TRIES):
        try:
            with sessions() as session, session.begin():
                now = ctx.clock()
                claims = outbox.due(session, now, ctx.settings.lease, limit, ids)
                planned, refused = whatsapp_window.plan_claims(
                    session, claims, ctx.settings, now, ctx.messenger.requires_templates, ctx.pool
                )
                outbox.take(
                    session,
                    [(c, outbox.template_of(c, m)) for c, m in planned]
                    + [(c, outbox.template_of(c, None)) for c, _ in refused],
                    now,
                )
                send_outcomes.mark_failed(session, refused, now)
                send_outcomes.ask_for_next(session, [c for c, _ in refused], now)
        except IntegrityError:
            continue  # another worker claimed a message to one of these recipients
        for claim, code in refused:
            log.warning("message %s not sendable: %s", claim.id, code)
            metrics.message_out("failed")
            metrics.delivery("attempt", code)
        return planned, {claim.id: SendOutcome.FAILED for claim, _ in refused}
    return [], {}


def build_delivery_context(
    config: Config,
    sessions: sessionmaker[Session],
    clock: Clock = utc_now,
    http_client: TwilioHttpClient | None = None,
    redis: Redis | None = None,
    *,
    template_value: TemplateValue,
) -> DeliveryContext:
    """Delivery as `config` says: Twilio or the console, rate-limited per sender.

    With `redis` the rate is shared by every process; without, each counts its own.
    """
    settings = MessagingSettings.from_config(config, template_value)
    inner: Messenger
    pool = None
    if config.messaging_backend == "twilio":
        if not (config.twilio_account_sid and config.twilio_auth_token):
            raise ValueError(
                "MESSAGING_BACKEND=twilio needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN"
            )
        client = Client(
            config.twilio_account_sid,
            config.twilio_auth_token,
            http_client=settled(http_client or TwilioHttpClient(timeout=HTTP_TIMEOUT)),
        )
        inner = TwilioMessenger(client)
        pool = PoolIndex(sessions, config.twilio_account_sid)
    else:
        inner = ConsoleMessenger()
    limiter = (
        RedisRateLimiter(redis, settings.rate_per_second)
        if redis is not None
        else LocalRateLimiter(settings.rate_per_second)
    )
    return DeliveryContext(sessions, clock, RateLimitedMessenger(inner, limiter), settings, pool)
