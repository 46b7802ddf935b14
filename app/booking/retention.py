"""Retention: old message bodies keep only their length; idle conversations forget answers.

Run once a day (`app.background.jobs.apply_retention`, `flask retention run`). Each
batch is its own short transaction that claims its rows with `FOR UPDATE SKIP
LOCKED`, so the webhook (which inserts new messages and updates recent ones) never
waits behind the purge, and a row someone holds is simply left for the next run.
Both are idempotent: what is done leaves the predicate, and a second run finds nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import String, Text, cast, literal, select, update

from app.booking.context import BookingContext
from app.models import Conversation, MessageLog, Practice
from app.models.messaging import IN_FLIGHT, NOT_PURGED, PURGED_PREFIX
from app.sealed import plain_length

BATCH = 5000
# A conversation untouched this long forgets the answers it collected. Any state: one
# mid-booking is started over after a day of silence anyway (bot_flows IDLE_TIME), and
# one at rest resumes only with its data (a state whose data is missing opens afresh).
IDLE_ANSWERS = timedelta(days=30)
EMPTY_DATA = ("{}", "null")


def purged_body(length: int) -> str:
    """What a body of `length` bytes becomes: "[len=127]" (no language, no content)."""
    return f"{PURGED_PREFIX}{length}]"


@dataclass(frozen=True)
class RetentionReport:
    """How many message bodies were purged and how many conversations forgot their answers."""

    bodies_purged: int
    conversations_forgotten: int

    def summary(self) -> str:
        return (
            f"{self.bodies_purged} message bodies purged,"
            f" {self.conversations_forgotten} conversations forgot their answers"
        )


def apply_retention(ctx: BookingContext, batch: int = BATCH) -> RetentionReport:
    """Both duties, in order; counts only (no text leaves here)."""
    return RetentionReport(purge_message_bodies(ctx, batch), forget_idle_answers(ctx, batch))


def purge_message_bodies(ctx: BookingContext, batch: int = BATCH) -> int:
    """Replace bodies older than each practice's `message_retention_days` by their length.

    Returns how many rows changed. Messages still queued or sending are left alone.
    """
    now = ctx.clock()
    with ctx.sessions() as session:
        practices = session.execute(select(Practice.id, Practice.message_retention_days)).all()
    return sum(
        _purge_practice(ctx, profile_id, now - timedelta(days=days), batch)
        for profile_id, days in practices
    )


def _purge_practice(
    ctx: BookingContext, profile_id: uuid.UUID, before: datetime, batch: int
) -> int:
    total = 0
    since: datetime | None = None
    length = cast(plain_length(MessageLog.body), String)
    while True:
        # NOT_PURGED is the partial index's own predicate: each batch reads the oldest
        # bodies still kept. It starts where the last one ended: the index entries of
        # rows just purged stay until VACUUM, and would otherwise be read again.
        due = (
            select(MessageLog.id)
            .where(
                MessageLog.profile_id == profile_id,
                MessageLog.created_at < before,
                NOT_PURGED,
                MessageLog.status.not_in(IN_FLIGHT),
            )
            .order_by(MessageLog.created_at)
            .limit(batch)
            .with_for_update(skip_locked=True)
        )
        if since is not None:
            due = due.where(MessageLog.created_at >= since)
        with ctx.sessions.begin() as session:
            # Two statements, not one UPDATE ... WHERE id IN (subquery): PostgreSQL may
            # plan that as a hash join over the whole table (bench/retention.py).
            rows = session.execute(due.add_columns(MessageLog.created_at)).all()
            if rows:
                session.execute(
                    update(MessageLog)
                    .where(MessageLog.id.in_([row.id for row in rows]))
                    .values(body=literal(PURGED_PREFIX) + length + literal("]"))
                    .execution_options(synchronize_session=False)
                )
        total += len(rows)
        if len(rows) < batch:
            return total
        since = rows[-1].created_at


def forget_idle_answers(ctx: BookingContext, batch: int = BATCH) -> int:
    """Empty the collected answers of conversations untouched for IDLE_ANSWERS.

    The conversation row stays (its state, consent stage and flood count); its
    `updated_at` is not moved, since it is the conversation's last activity.
    """
    before = ctx.clock() - IDLE_ANSWERS
    total = 0
    while True:
        with ctx.sessions.begin() as session:
            ids = session.scalars(
                select(Conversation.id)
                .where(
                    Conversation.updated_at < before,
                    cast(Conversation.data, Text).not_in(EMPTY_DATA),
                )
                .limit(batch)
                .with_for_update(skip_locked=True)
            ).all()
            if not ids:
                return total
            session.execute(
                update(Conversation)
                .where(Conversation.id.in_(ids))
                .values(data={})
                .execution_options(synchronize_session=False)
            )
        total += len(ids)
        if len(ids) < batch:
            return total
