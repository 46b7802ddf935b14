"""Delivery status from the provider's callbacks: a message's status only moves forward.

Callbacks arrive late, twice, or out of order ("delivered" before "sent"). The
order is queued < sending < sent < delivered < read; `failed` and `undelivered`
end a message that was not yet delivered. Whatever the order of arrival, the
stored status is the furthest one reported, so a repeated or stale callback
changes nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import and_, func, or_, update
from sqlalchemy.orm import Session

from app import metrics
from app.models import MessageLog, MessageStatus

PROGRESS = (
    MessageStatus.QUEUED,
    MessageStatus.SENDING,
    MessageStatus.SENT,
    MessageStatus.DELIVERED,
    MessageStatus.READ,
)
ENDINGS = (MessageStatus.FAILED, MessageStatus.UNDELIVERED)
# Our `queued` and `sending` say whether *we* have handed a message over (`sending`
# also claims the one-in-flight-per-recipient slot); Twilio's own queued, accepted
# and sending say nothing about that, so only `sent` and beyond are taken from it.
REPORTABLE = frozenset(PROGRESS[PROGRESS.index(MessageStatus.SENT) :] + ENDINGS)


def moves_to(current: str, reported: str) -> bool:
    """Whether a message in `current` takes the `reported` status."""
    if current not in PROGRESS or reported not in REPORTABLE:
        return False
    if reported in ENDINGS:
        return PROGRESS.index(current) < PROGRESS.index(MessageStatus.DELIVERED)
    return PROGRESS.index(current) < PROGRESS.index(reported)


def record_status(
    session: Session,
    sid: str,
    reported: str,
    error_code: str | None,
    now: datetime,
    message_id: uuid.UUID | None = None,
) -> bool:
    """Apply a callback to the outbound message with provider id `sid`; True if it moved.

    `message_id` (the callback URL's `m`) finds a message whose send was not yet
    recorded; the callback then records its provider id too.
    """
    earlier = [status for status in PROGRESS if moves_to(status, reported)]
    if not earlier:
        return False
    ours = MessageLog.provider_sid == sid
    if message_id is not None:
        ours = or_(ours, and_(MessageLog.provider_sid.is_(None), MessageLog.id == message_id))
    values: dict[str, object] = {
        "status": reported,
        "provider_sid": func.coalesce(MessageLog.provider_sid, sid),
        "updated_at": now,
    }
    if reported in ENDINGS:
        values["error_code"] = error_code
    result = session.execute(
        update(MessageLog)
        .where(ours, MessageLog.direction == "out", MessageLog.status.in_(earlier))
        .values(values)
        .execution_options(synchronize_session=False)
    )
    moved = bool(result.rowcount)  # type: ignore[attr-defined]
    if moved:
        metrics.outbound_after_commit(session, reported)
        if reported in ENDINGS or reported == MessageStatus.DELIVERED:
            metrics.delivery_after_commit(
                session, "callback", error_code if reported in ENDINGS else None
            )
    return moved
