"""The rights register's use cases: record a request, list them, list the open ones.

Each takes the session and plain values; the caller owns the transaction. The
register names who asked and what kind of request it was, never what their data says.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Practice, RightsRequest
from app.rights.deadlines import Kind, country_of, due_at

AT_ONCE = "chat, at once"  # how a request the chat answered itself was answered


@dataclass(frozen=True)
class RegisterLine:
    """A request as listings show it: the phone masked to its last 4 digits."""

    practice: str
    kind: str
    phone: str
    requested_at: datetime
    due_at: datetime
    answered_at: datetime | None
    how_answered: str | None


def record(
    session: Session,
    practice: Practice,
    phone: str,
    kind: Kind,
    now: datetime,
    answered: str | None = None,
) -> RightsRequest:
    """Note a request with its legal deadline; `answered` (how) closes it at once."""
    country = country_of(practice.whatsapp_number, practice.timezone)
    local = now.astimezone(ZoneInfo(practice.timezone))  # working days are the practice's
    row = RightsRequest(
        profile_id=practice.id,
        phone=phone,
        kind=kind.value,
        requested_at=now,
        due_at=due_at(country, kind, local),
        answered_at=now if answered else None,
        how_answered=answered,
    )
    session.add(row)
    session.flush()
    return row


def open_requests(session: Session, profile_id: uuid.UUID) -> list[RightsRequest]:
    """The practice's requests still waiting for an answer, the soonest due first."""
    return list(
        session.scalars(
            select(RightsRequest)
            .where(RightsRequest.profile_id == profile_id, RightsRequest.answered_at.is_(None))
            .order_by(RightsRequest.due_at, RightsRequest.requested_at)
        )
    )


def listing(session: Session, now: datetime, overdue: bool = False) -> list[RegisterLine]:
    """Every practice's register; with `overdue`, only requests unanswered past their due time."""
    query = (
        select(RightsRequest, Practice.name)
        .join(Practice, Practice.id == RightsRequest.profile_id)
        .order_by(RightsRequest.requested_at, RightsRequest.kind, RightsRequest.id)
    )
    if overdue:
        query = query.where(RightsRequest.answered_at.is_(None), RightsRequest.due_at < now)
    return [
        RegisterLine(
            name or str(row.profile_id),
            row.kind,
            masked(row.phone),
            row.requested_at,
            row.due_at,
            row.answered_at,
            row.how_answered,
        )
        for row, name in session.execute(query)
    ]


def masked(phone: str) -> str:
    """Only the last 4 digits: a listing may be read over someone's shoulder."""
    return "*" * max(len(phone) - 4, 0) + phone[-4:]
