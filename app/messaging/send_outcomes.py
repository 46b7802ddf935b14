"""Recording what happened to claimed messages, a few dozen per transaction.

Every change is conditional on the claim still holding the message (see
`outbox`), and asks for what comes next: a retry at its time, or the next
message waiting for the same recipient.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import bindparam, case, func, update
from sqlalchemy.orm import Session

from app import metrics
from app.background.after_commit import run_after_commit
from app.clock import Clock
from app.messaging.attempt import Failed, Later, Result, SendOutcome, Sent
from app.messaging.outbox import TABLE, Claim, claim_key, next_in_line, still_ours
from app.models import MessageStatus

log = logging.getLogger(__name__)


Sessions = Callable[[], Session]  # a sessionmaker, or one bound to a connection held


class Recorder:
    """Collects results, then records them in one transaction (`flush`)."""

    def __init__(self, sessions: Sessions, clock: Clock) -> None:
        self.sessions, self.clock = sessions, clock
        self.results: list[tuple[Claim, Result]] = []

    def add(self, claim: Claim, result: Result) -> SendOutcome:
        self.results.append((claim, result))
        return result.outcome

    def flush(self) -> None:
        if not self.results:
            return
        sent = [(c, r.sid) for c, r in self.results if isinstance(r, Sent)]
        later = [(c, r) for c, r in self.results if isinstance(r, Later)]
        failed = [(c, r.code) for c, r in self.results if isinstance(r, Failed)]
        with self.sessions() as session, session.begin():
            now = self.clock()
            mark_sent(session, sent, now)
            mark_pending(session, [(c, r.status, r.at, r.code) for c, r in later], now)
            mark_failed(session, failed, now)
            for claim, result in later:
                run_after_commit(session, "deliver_message", claim.id, at=result.at)
            ask_for_next(session, [c for c, _ in sent] + [c for c, _ in failed], now)
        for claim, result in self.results:
            log.log(result.log_level, "message %s %s", claim.id, result.describe())
            _count(result)
        self.results = []


def _count(result: Result) -> None:
    """What one try did (after its record committed): the message's status, the result's code."""
    metrics.message_out(result.outcome.value)
    if isinstance(result, Sent):
        metrics.delivery("attempt", None)
    elif result.code is not None:  # a Later without a code never reached the provider
        metrics.delivery("attempt", result.code)


def ask_for_next(session: Session, done: Sequence[Claim], now: datetime) -> None:
    """Their recipients' next messages waited for these: ask for their delivery."""
    for message_id in next_in_line(session, {c.recipient for c in done}, now):
        run_after_commit(session, "deliver_message", message_id)


def mark_sent(session: Session, sent: Sequence[tuple[Claim, str]], now: datetime) -> None:
    """Record provider ids. A status callback may already have moved the message on."""
    if sent:
        session.execute(_SENT, [claim_key(c) | {"b_sid": sid, "b_now": now} for c, sid in sent])


def mark_pending(
    session: Session, pending: Sequence[tuple[Claim, str, datetime, str | None]], now: datetime
) -> None:
    """Put messages back for later: (claim, status, when, error code).

    `queued`: nothing reached the provider. `sending`: something may have, so the
    next claim (no earlier than `when`) asks the provider first.
    """
    if pending:
        rows = [
            claim_key(c) | {"b_status": status, "b_at": at, "b_code": code, "b_now": now}
            for c, status, at, code in pending
        ]
        session.execute(_PENDING, rows)


def mark_failed(session: Session, failed: Sequence[tuple[Claim, str]], now: datetime) -> None:
    """Give up on messages for good, saying why in `error_code`."""
    if failed:
        rows = [claim_key(c) | {"b_code": code, "b_now": now} for c, code in failed]
        session.execute(_FAILED, rows)


# The statements, built once (building one costs more than running it).
_NOW = bindparam("b_now", type_=TABLE.c.updated_at.type)
_SENDING = TABLE.c.status == MessageStatus.SENDING
_SENT = (
    update(TABLE)
    .where(still_ours())
    .values(
        status=case((_SENDING, MessageStatus.SENT), else_=TABLE.c.status),
        provider_sid=func.coalesce(TABLE.c.provider_sid, bindparam("b_sid")),
        # A failure callback that overtook us keeps its code; a retry's code is cleared.
        error_code=case((_SENDING, None), else_=TABLE.c.error_code),
        next_attempt_at=None,
        updated_at=_NOW,
    )
)
_PENDING = (
    update(TABLE)
    .where(still_ours(), _SENDING)
    .values(
        status=bindparam("b_status"),
        next_attempt_at=bindparam("b_at", type_=TABLE.c.next_attempt_at.type),
        error_code=bindparam("b_code"),
        updated_at=_NOW,
    )
)
_FAILED = (
    update(TABLE)
    .where(still_ours(), _SENDING)
    .values(
        status=MessageStatus.FAILED,
        error_code=bindparam("b_code"),
        next_attempt_at=None,
        updated_at=_NOW,
    )
)
