"""A member's private calendar feed: a random token in its URL, only its keyed hash kept.

Whoever holds the URL reads the practice's agenda (times, services, patients' first
names, codes), so the token is shown once, when made; a new one replaces the old,
and revoking it stops the feed at once. A member removed from the practice loses
their feed with their sign-in.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.desk import audit
from app.desk.access import SignedIn, keyed_hash
from app.models import PracticeMember

TOKEN_BYTES = 32


def has_feed(session: Session, who: SignedIn) -> bool:
    member = session.get_one(PracticeMember, who.member_id)
    return member.feed_token_hash is not None


def new_feed(session: Session, secret: bytes, who: SignedIn, now: datetime) -> str:
    """A fresh token for `who`'s feed (the old one stops working); shown once, never kept."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    member = session.get_one(PracticeMember, who.member_id, with_for_update=True)
    replaced = member.feed_token_hash is not None
    member.feed_token_hash = keyed_hash(secret, token)
    audit.record(session, who, "calendar_feed_new", "calendar", now, {"replaced": replaced})
    return token


def revoke_feed(session: Session, who: SignedIn, now: datetime) -> bool:
    """Stop `who`'s feed; False when there was none."""
    member = session.get_one(PracticeMember, who.member_id, with_for_update=True)
    if member.feed_token_hash is None:
        return False
    member.feed_token_hash = None
    audit.record(session, who, "calendar_feed_revoked", "calendar", now)
    return True


def practice_of_feed(session: Session, secret: bytes, token: str) -> uuid.UUID | None:
    """The practice whose feed `token` opens; None when unknown, revoked or its member removed."""
    return session.scalar(
        select(PracticeMember.profile_id).where(
            PracticeMember.feed_token_hash == keyed_hash(secret, token),
            PracticeMember.removed_at.is_(None),
        )
    )
