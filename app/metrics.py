"""Operator metrics (Prometheus): what happened, counted where it happened.

Counters and histograms are process-wide. With PROMETHEUS_MULTIPROC_DIR set
(before the process starts: prometheus_client reads it at import) each process
writes its values to files there, and a scrape (`app.web.metrics`) adds up every
process's files: gunicorn's workers, `python worker.py` and cron's `jobs tick` on
the host. Unset, a scrape shows this process alone.

Labels are small fixed sets: a value outside its set is counted as "other", so no
phone number, name or text can ever become a label, whatever a caller passes.
Booking events are counted only once their transaction commits
(`count_after_commit`): a hold rolled back with its savepoint never happened.
No Flask and no Redis here: use cases count through this module.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from prometheus_client import CollectorRegistry, Counter, Histogram
from sqlalchemy.orm import Session

from app.background.after_commit import Owed

P = ParamSpec("P")
R = TypeVar("R")
OTHER = "other"

# What the webhook did with a request. The first four concern a message that
# arrived, which is also counted in `citabot_messages_total{direction="in"}`.
INBOUND_OUTCOMES = frozenset({"processed", "duplicate", "deferred", "throttled"})
WEBHOOK_OUTCOMES = INBOUND_OUTCOMES | {"rejected", "unknown_practice", "failed", "status"}
OUTBOUND_STATUSES = frozenset(
    {"queued", "sent", "retry", "failed", "delivered", "read", "undelivered"}
)
HOLD_EVENTS = frozenset({"created", "confirmed", "approved", "rejected", "expired", "cancelled"})
ATTENDANCE_EVENTS = frozenset({"confirmed", "no_show", "late_cancellation", "forgiven", "released"})
DELIVERY_STAGES = frozenset({"attempt", "callback"})
# Codes delivery gives itself; Twilio's are numbers (63016, 21211, ...).
OWN_ERROR_CODES = frozenset(
    {"network", "no_sid", "unreachable", "max_attempts", "no_sender", "no_template"}
)
TWILIO_ERROR_CODE = re.compile(r"[0-9]{1,6}")
JOB_NAMES = frozenset(
    {
        "deliver_message",
        "deliver_messages",
        "expire_request",
        "send_reminder",
        "offer_places",
        "periodic_tick",
        "keep_slots_ahead",
        "apply_retention",
    }
)

# Not prometheus_client's global registry: the app's metrics only, and nothing a
# library registers there.
REGISTRY = CollectorRegistry(auto_describe=True)

WEBHOOK_SECONDS = Histogram(
    "citabot_webhook_seconds",
    "Time to answer a Twilio webhook, by what was done with it.",
    ["outcome"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
MESSAGES = Counter(
    "citabot_messages",
    "WhatsApp messages by direction and the status they reached"
    " (in: what the inbox did; out: what the outbox and Twilio recorded).",
    ["direction", "status"],
    registry=REGISTRY,
)
DELIVERIES = Counter(
    "citabot_deliveries",
    "Outbound delivery results by stage (our attempt, Twilio's final callback) and error"
    " code (Twilio's number, delivery's own code, or none).",
    ["stage", "error_code"],
    registry=REGISTRY,
)
JOB_RUNS = Counter(
    "citabot_job_runs", "Background jobs started, by job.", ["job"], registry=REGISTRY
)
JOB_FAILURES = Counter(
    "citabot_job_failures",
    "Background jobs that raised (RQ records them as failed), by job.",
    ["job"],
    registry=REGISTRY,
)
HOLDS = Counter(
    "citabot_holds",
    "Holds on slots by committed event: created, confirmed at once (no approval needed),"
    " approved, rejected, expired, cancelled by the patient.",
    ["event"],
    registry=REGISTRY,
)

ATTENDANCE = Counter(
    "citabot_attendance",
    "Attendance by committed event: a patient confirmed they will come, a no-show marked by"
    " the doctor, a patient's cancellation inside the practice's window, no-shows forgiven,"
    " an unconfirmed appointment freed.",
    ["event"],
    registry=REGISTRY,
)


def _bounded(value: str, allowed: frozenset[str]) -> str:
    return value if value in allowed else OTHER


def _error_code_label(code: str | None) -> str:
    """A delivery error code as a label: Twilio's number, one of ours, "none" or "other"."""
    if not code:
        return "none"
    if code in OWN_ERROR_CODES or TWILIO_ERROR_CODE.fullmatch(code):
        return code
    return OTHER


def observe_webhook(outcome: str, seconds: float) -> None:
    """Record one webhook: its latency by outcome, and the message when one arrived.

    `outcome` is one of WEBHOOK_OUTCOMES. A message that arrived (processed,
    duplicate, deferred, throttled) is counted in `citabot_messages_total` too:
    call `message_in` only for one processed elsewhere (a deferred one, replayed).
    """
    outcome = _bounded(outcome, WEBHOOK_OUTCOMES)
    WEBHOOK_SECONDS.labels(outcome).observe(seconds)
    if outcome in INBOUND_OUTCOMES:
        MESSAGES.labels("in", outcome).inc()


def message_in(status: str = "processed") -> None:
    """Count an inbound message reaching `status` outside a webhook (a replayed one)."""
    MESSAGES.labels("in", _bounded(status, INBOUND_OUTCOMES)).inc()


def message_out(status: str) -> None:
    """Count an outbound message reaching `status` (callers count after their commit)."""
    MESSAGES.labels("out", _bounded(status, OUTBOUND_STATUSES)).inc()


def delivery(stage: str, error_code: str | None) -> None:
    """Count one delivery result (callers count after their commit)."""
    DELIVERIES.labels(_bounded(stage, DELIVERY_STAGES), _error_code_label(error_code)).inc()


def counted_job(job: Callable[P, R]) -> Callable[P, R]:
    """Count each run of the background job `job`, and each run that raised."""
    name = _bounded(job.__name__, JOB_NAMES)

    @functools.wraps(job)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        JOB_RUNS.labels(name).inc()
        try:
            return job(*args, **kwargs)
        except BaseException:  # a timeout or a shutdown ends the run unfinished too
            JOB_FAILURES.labels(name).inc()
            raise

    return run


def hold_event(session: Session, name: str, amount: int = 1) -> None:
    """Count a hold event of `session`'s transaction, once (and if) it commits."""
    count_after_commit(session, HOLDS.labels(_bounded(name, HOLD_EVENTS)), amount)


def attendance_event(session: Session, name: str, amount: int = 1) -> None:
    """Count an attendance event of `session`'s transaction, once (and if) it commits."""
    count_after_commit(session, ATTENDANCE.labels(_bounded(name, ATTENDANCE_EVENTS)), amount)


def outbound_after_commit(session: Session, status: str, amount: int = 1) -> None:
    """Count outbound messages reaching `status` in `session`'s transaction, once it commits."""
    count_after_commit(session, MESSAGES.labels("out", _bounded(status, OUTBOUND_STATUSES)), amount)


def delivery_after_commit(session: Session, stage: str, error_code: str | None) -> None:
    """Count a delivery result recorded in `session`'s transaction, once it commits."""
    child = DELIVERIES.labels(_bounded(stage, DELIVERY_STAGES), _error_code_label(error_code))
    count_after_commit(session, child, 1)


def count_after_commit(session: Session, counter: Any, amount: float = 1) -> None:
    """Increment `counter` (a labelled child) by `amount` when `session`'s outermost
    transaction commits; nothing if it rolls back (`app.background.after_commit`)."""
    if amount > 0:
        COUNTS.add(session, (counter, amount))


def _pay(counts: list[tuple[Any, float]]) -> None:
    for counter, amount in counts:
        counter.inc(amount)


COUNTS: Owed[tuple[Any, float]] = Owed("citabot.metrics.owed")
COUNTS.listen(Session, _pay)
