"""The outbox's state changes: claim messages for sending, then record what happened.

A claim moves a message to `sending`, counts the attempt and gives it a lease (its
`next_attempt_at`), committed before any HTTP call: two workers never both hold
it, so it is sent at most once. Every later change is conditional on the claim
still being ours (`attempts` unchanged): a worker that lost its lease cannot
overwrite the one that took over.

A message found in `sending` once its `next_attempt_at` has passed was claimed by
a worker that died, or its last send ended uncertain: the provider may have it.
Claiming it again says so (`was_sending`), and delivery asks the provider first.
At most one message per recipient is in `sending` (a unique partial index), so
whatever the provider shows that we did not record can only be that one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Row, Select, bindparam, exists, or_, select, tuple_, update
from sqlalchemy.orm import Session

from app.db import UTCDateTime
from app.messaging.port import Outbound
from app.models import Contact, MessageLog, MessageStatus, Practice

TABLE = MessageLog.__table__
Recipient = tuple[uuid.UUID, str]  # (profile_id, phone)


@dataclass(frozen=True)
class Addressee:
    """Who a claimed message goes to, read with the claim: the practice's and the chat's facts."""

    sender: str | None  # the practice's WhatsApp number
    doctor_phone: str | None
    practice_language: str
    contact_language: str | None  # None: no chat with this phone yet
    last_inbound_at: datetime | None
    content_sids: dict[str, Any] | None  # the practice's own templates


@dataclass(frozen=True)
class Claim:
    """A message this worker holds until `lease_until`; `attempts` counts this claim too."""

    id: uuid.UUID
    profile_id: uuid.UUID
    phone: str
    body: str
    purpose: str | None
    variables: dict[str, Any] | None
    created_at: datetime
    attempts: int
    lease_until: datetime
    was_sending: bool
    previous_content_sid: str | None
    to: Addressee

    @property
    def recipient(self) -> Recipient:
        return (self.profile_id, self.phone)


def due(
    session: Session,
    now: datetime,
    lease: timedelta,
    limit: int,
    ids: Sequence[uuid.UUID] | None = None,
) -> list[Claim]:
    """Up to `limit` due outbound messages (only `ids`, if given), oldest due first, locked.

    Skips recipients who already have a message in flight, and gives one message per
    recipient. They are this transaction's to `take` once planned (the claims describe
    them as taken: attempt counted, leased until `now + lease`).
    """
    params: dict[str, Any] = {"now": now, "limit": limit}
    if ids is not None:
        params["ids"] = list(ids)
    first: dict[Recipient, Row[Any]] = {}
    for row in session.execute(_due(among_ids=ids is not None), params):
        first.setdefault((row.profile_id, row.phone), row)
    lease_until = now + lease
    return [
        Claim(
            id=row.id,
            profile_id=row.profile_id,
            phone=row.phone,
            body=row.body,
            purpose=row.purpose,
            variables=row.variables,
            created_at=row.created_at,
            attempts=row.attempts + 1,
            lease_until=lease_until,
            was_sending=row.status == MessageStatus.SENDING,
            previous_content_sid=row.content_sid,
            to=Addressee(*row[len(_CLAIMED) :]),
        )
        for row in first.values()
    ]


def take(session: Session, taken: Sequence[tuple[Claim, str | None]], now: datetime) -> None:
    """Claim messages `due` gave: `sending`, attempt counted, leased; each with its template.

    The template (a content SID, or None for a body) is what the message may go as,
    remembered before sending: a message cut off mid-send is later looked for at the
    provider as that (see `template_of`). A concurrent claim for the same recipient
    makes this violate the unique index: the caller retries the transaction.
    """
    if taken:
        rows = [
            {"b_id": c.id, "b_lease": c.lease_until, "b_now": now, "b_sid": sid} for c, sid in taken
        ]
        session.execute(_TAKE, rows)


def template_of(claim: Claim, message: Outbound | None) -> str | None:
    """What `claim` may go as: its planned template, else one an earlier uncertain send used.

    `message` is None for a claim that cannot be sent at all.
    """
    if message is not None and message.content_sid:
        return message.content_sid
    return claim.previous_content_sid if claim.was_sending or message is None else None


# Plain columns, not `MessageLog` objects: a claim is read once and never changed
# through the ORM, and loading entities was a sixth of a one-message delivery's CPU.
# The practice's and the contact's columns come in the same row: no second query.
_PRACTICE, _CONTACT = Practice.__table__, Contact.__table__
_CLAIMED = (
    TABLE.c.id,
    TABLE.c.profile_id,
    TABLE.c.phone,
    TABLE.c.body,
    TABLE.c.purpose,
    TABLE.c.variables,
    TABLE.c.created_at,
    TABLE.c.attempts,
    TABLE.c.status,
    TABLE.c.content_sid,
)
_ADDRESSEE = (  # in the order of `Addressee`'s fields
    _PRACTICE.c.whatsapp_number,
    _PRACTICE.c.doctor_phone,
    _PRACTICE.c.language,
    _CONTACT.c.language,
    _CONTACT.c.last_inbound_at,
    _PRACTICE.c.content_sids,
)
_TAKE = (
    update(TABLE)
    .where(TABLE.c.id == bindparam("b_id"))
    .values(
        status=MessageStatus.SENDING,
        attempts=TABLE.c.attempts + 1,
        next_attempt_at=bindparam("b_lease", type_=TABLE.c.next_attempt_at.type),
        updated_at=bindparam("b_now", type_=TABLE.c.updated_at.type),
        content_sid=bindparam("b_sid", type_=TABLE.c.content_sid.type),
    )
)


@cache
def _due(*, among_ids: bool) -> Select[Any]:
    """The due messages' query (bound: now, limit and maybe ids), built once."""
    t = TABLE.c
    other = TABLE.alias("other")
    in_flight = exists().where(
        other.c.profile_id == t.profile_id,
        other.c.phone == t.phone,
        other.c.status == MessageStatus.SENDING,
        other.c.id != t.id,
    )
    now = bindparam("now", type_=UTCDateTime())
    joined = TABLE.join(_PRACTICE, _PRACTICE.c.id == t.profile_id).outerjoin(
        _CONTACT, (_CONTACT.c.profile_id == t.profile_id) & (_CONTACT.c.phone == t.phone)
    )
    due = (
        select(*_CLAIMED, *_ADDRESSEE)
        .select_from(joined)
        .where(
            t.direction == "out",
            t.status.in_([MessageStatus.QUEUED, MessageStatus.SENDING]),
            or_(t.next_attempt_at.is_(None), t.next_attempt_at <= now),
            ~in_flight,
        )
        .order_by(t.next_attempt_at, t.created_at)
        .limit(bindparam("limit"))
        .with_for_update(of=TABLE, skip_locked=True)  # the practice and chat stay free
    )
    if not among_ids:
        return due  # oldest first, one per recipient: the order is kept by itself
    # Asked for by id, a message waits while an older one to the same person is due:
    # that one goes first (by its own job), and its sending asks for the next in line.
    older = TABLE.alias("older")
    waits = exists().where(
        older.c.profile_id == t.profile_id,
        older.c.phone == t.phone,
        older.c.direction == "out",
        older.c.status == MessageStatus.QUEUED,
        older.c.created_at < t.created_at,
        or_(older.c.next_attempt_at.is_(None), older.c.next_attempt_at <= now),
    )
    return due.where(t.id.in_(bindparam("ids", expanding=True)), ~waits)


def next_in_line(
    session: Session, recipients: Iterable[Recipient], now: datetime
) -> list[uuid.UUID]:
    """The next due queued message of each of `recipients`, to ask for its delivery."""
    wanted = list(set(recipients))
    if not wanted:
        return []
    first: dict[Recipient, uuid.UUID] = {}
    for message_id, profile_id, phone in session.execute(_QUEUED, {"pairs": wanted, "now": now}):
        first.setdefault((profile_id, phone), message_id)
    return list(first.values())


_QUEUED = (
    select(TABLE.c.id, TABLE.c.profile_id, TABLE.c.phone)
    .where(
        tuple_(TABLE.c.profile_id, TABLE.c.phone).in_(bindparam("pairs", expanding=True)),
        TABLE.c.direction == "out",
        TABLE.c.status == MessageStatus.QUEUED,
        or_(
            TABLE.c.next_attempt_at.is_(None),
            TABLE.c.next_attempt_at <= bindparam("now", type_=TABLE.c.next_attempt_at.type),
        ),
    )
    .order_by(TABLE.c.next_attempt_at, TABLE.c.created_at)
)


def still_ours() -> Any:
    """Matches a row only while the claim bound as `b_id`/`b_attempts` still holds it."""
    return (TABLE.c.id == bindparam("b_id")) & (TABLE.c.attempts == bindparam("b_attempts"))


def claim_key(claim: Claim) -> dict[str, Any]:
    return {"b_id": claim.id, "b_attempts": claim.attempts}
