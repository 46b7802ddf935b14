"""Signing in to the desk without a password: a code to the member's WhatsApp, then a session.

A member types the phone number the practice knows them by; a 6-digit code goes to
that WhatsApp through the normal outbox (the same delivery, retries and 24-hour
window as every notice). The code lasts `CODE_MINUTES`, allows `CODE_TRIES` tries and
works once; a fifth wrong try locks the member for `LOCK_MINUTES`. Codes asked for
are limited per number and per address. Only keyed hashes of codes and session
tokens are stored: the database alone signs nobody in.

The answer to "send me a code" is the same whether or not the number is a member's,
so the form tells no one who works where.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.booking.context import BookingContext
from app.booking.notifications import Notification, queue_notifications
from app.models import DeskCode, DeskSession, Practice, PracticeMember, Role
from app.phones import to_e164

CODE_MINUTES = 10
CODE_TRIES = 5
LOCK_MINUTES = 15
CODES_PER_NUMBER = 5  # an hour
CODES_PER_ADDRESS = 10  # in ten minutes: a few people behind one office router
IDLE_LIMIT = timedelta(hours=12)
SEEN_EVERY = timedelta(minutes=1)  # how often a session's last use is written


class SignInRefused(Exception):
    """Why a code was not sent or not accepted; `reason` is a catalogue key's last part."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SignedIn:
    """Who is using the desk, as every page and action needs it."""

    session_id: uuid.UUID
    member_id: uuid.UUID
    profile_id: uuid.UUID
    name: str
    role: Role

    @property
    def is_doctor(self) -> bool:
        return self.role == Role.DOCTOR


def keyed_hash(secret: bytes, value: str) -> str:
    return hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()


def request_code(ctx: BookingContext, secret: bytes, phone: str, address: str) -> bool:
    """Send a sign-in code to `phone`'s WhatsApp if a practice knows it; True if one went.

    Raises `SignInRefused("too_many")` past the limits and `("locked")` while locked,
    for members and strangers alike (a stranger's number is counted by address only).
    """
    now = ctx.clock()
    number = _number(phone)
    with ctx.sessions.begin() as session:
        recent = session.scalar(
            select(func.count())
            .select_from(DeskCode)
            .where(DeskCode.address == address, DeskCode.created_at > now - timedelta(minutes=10))
        )
        if (recent or 0) >= CODES_PER_ADDRESS:
            raise SignInRefused("too_many")
        member = _member(session, number, now) if number else None
        if member is None:
            # Counted against the address all the same, so strangers are limited too.
            session.add(
                DeskCode(
                    member_id=None, code_hash="", address=address, created_at=now, expires_at=now
                )
            )
            return False
        if member.locked_until is not None and member.locked_until > now:
            raise SignInRefused("locked")
        sent = session.scalar(
            select(func.count())
            .select_from(DeskCode)
            .where(DeskCode.member_id == member.id, DeskCode.created_at > now - timedelta(hours=1))
        )
        if (sent or 0) >= CODES_PER_NUMBER:
            raise SignInRefused("too_many")
        code = f"{secrets.randbelow(10**6):06d}"
        row = DeskCode(
            member_id=member.id,
            code_hash="",
            address=address,
            created_at=now,
            expires_at=now + timedelta(minutes=CODE_MINUTES),
        )
        session.add(row)
        session.flush()
        row.code_hash = keyed_hash(secret, f"{row.id}:{code}")
        practice = session.get_one(Practice, member.profile_id)
        notice = Notification(
            practice.id,
            "desk_code",
            member.phone,
            practice.language,
            f"desk_code:{row.id}",
            {"code": code, "minutes": CODE_MINUTES, "doctor": practice.name},
        )
        queue_notifications(session, [notice], ctx.render, now)
        return True


def verify_code(
    ctx: BookingContext, secret: bytes, phone: str, code: str, address: str
) -> tuple[str, SignedIn]:
    """The member's latest code, checked: a new session's token and who it is.

    Raises `SignInRefused` with "wrong", "expired" (none open: ask for another) or
    "locked" (the fifth wrong try, and every try until the lock ends).
    """
    now = ctx.clock()
    number = _number(phone)
    typed = "".join(ch for ch in code if ch.isdigit())
    with ctx.sessions.begin() as session:
        member = _member(session, number, now) if number else None
        if member is None:
            raise SignInRefused("expired")
        if member.locked_until is not None and member.locked_until > now:
            raise SignInRefused("locked")
        row = session.scalars(
            select(DeskCode)
            .where(
                DeskCode.member_id == member.id,
                DeskCode.used_at.is_(None),
                DeskCode.expires_at > now,
                DeskCode.attempts < CODE_TRIES,
            )
            .order_by(DeskCode.created_at.desc())
            .limit(1)
            .with_for_update()
        ).first()
        if row is None:
            raise SignInRefused("expired")
        row.attempts += 1
        if not hmac.compare_digest(row.code_hash, keyed_hash(secret, f"{row.id}:{typed}")):
            if row.attempts >= CODE_TRIES:
                member.locked_until = now + timedelta(minutes=LOCK_MINUTES)
                reason = "locked"
            else:
                reason = "wrong"
            failure = SignInRefused(reason)  # raised after the commit: the try counts
        else:
            failure = None
            row.used_at = now
            token = secrets.token_urlsafe(32)
            desk_session = DeskSession(
                member_id=member.id,
                token_hash=keyed_hash(secret, token),
                address=address,
                created_at=now,
                last_seen_at=now,
            )
            session.add(desk_session)
            session.flush()
            signed_in = _signed_in(desk_session, member)
    if failure is not None:
        raise failure
    return token, signed_in


def current(ctx: BookingContext, secret: bytes, token: str) -> SignedIn | None:
    """Who holds the session `token`; None when unknown, ended, idle too long or removed."""
    now = ctx.clock()
    with ctx.sessions.begin() as session:
        found = session.execute(
            select(DeskSession, PracticeMember)
            .join(PracticeMember, PracticeMember.id == DeskSession.member_id)
            .where(
                DeskSession.token_hash == keyed_hash(secret, token),
                DeskSession.ended_at.is_(None),
                DeskSession.last_seen_at > now - IDLE_LIMIT,
                PracticeMember.removed_at.is_(None),
            )
        ).first()
        if found is None:
            return None
        desk_session, member = found
        if now - desk_session.last_seen_at >= SEEN_EVERY:
            desk_session.last_seen_at = now
        return _signed_in(desk_session, member)


def sign_out(ctx: BookingContext, secret: bytes, token: str) -> None:
    now = ctx.clock()
    with ctx.sessions.begin() as session:
        session.execute(
            update(DeskSession)
            .where(
                DeskSession.token_hash == keyed_hash(secret, token), DeskSession.ended_at.is_(None)
            )
            .values(ended_at=now)
        )


def _number(phone: str) -> str | None:
    try:
        return to_e164(phone)
    except ValueError:
        return None


def _member(session: Session, phone: str, now: datetime) -> PracticeMember | None:
    """The phone's membership: staff the doctor added, or the doctor of a practice.

    A doctor becomes a member on their first sign-in. A phone that runs several
    practices signs in to the one it joined first.
    """
    member = session.scalars(
        select(PracticeMember)
        .where(PracticeMember.phone == phone, PracticeMember.removed_at.is_(None))
        .order_by(PracticeMember.created_at, PracticeMember.id)
        .limit(1)
        .with_for_update()
    ).first()
    if member is not None:
        return member
    practice = session.scalars(
        select(Practice).where(Practice.doctor_phone == phone).order_by(Practice.id).limit(1)
    ).first()
    if practice is None:
        return None
    member = PracticeMember(
        profile_id=practice.id, phone=phone, name=practice.name, role=Role.DOCTOR, created_at=now
    )
    session.add(member)
    session.flush()
    return member


def _signed_in(desk_session: DeskSession, member: PracticeMember) -> SignedIn:
    return SignedIn(desk_session.id, member.id, member.profile_id, member.name, Role(member.role))
