"""Use cases: the people who run a practice with the doctor, its team.

The doctor adds staff by phone and name (`EQUIPO +phone nombre` on WhatsApp, or the
desk's team page) and removes them; a removed member's desk sessions end at once.
The doctor is a member too, made on their first sign-in; they cannot be removed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from app.db import SessionSource
from app.models import DeskSession, Practice, PracticeMember, Role
from app.phones import InvalidPhoneNumber, to_e164

MAX_NAME = 120  # practice_member.name


class MemberRefused(ValueError):
    """Why a member was not added or removed; `reason` is a catalogue key's last part.

    "bad_phone", "bad_name", "is_doctor" (the doctor's own phone), "already" (a
    current member) or "not_found" (no such current staff member in this practice).
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Member:
    id: uuid.UUID
    name: str
    phone: str  # E.164
    role: str
    created_at: datetime | None


def list_members(sessions: SessionSource, *, profile_id: uuid.UUID) -> list[Member]:
    """The practice's current members: the doctor first, then staff in order of joining."""
    with sessions() as session:
        rows = session.scalars(
            select(PracticeMember)
            .where(PracticeMember.profile_id == profile_id, PracticeMember.removed_at.is_(None))
            .order_by(
                PracticeMember.role != Role.DOCTOR, PracticeMember.created_at, PracticeMember.id
            )
        )
        return [_member(row) for row in rows]


def add_member(
    sessions: SessionSource, *, profile_id: uuid.UUID, phone: str, name: str, now: datetime
) -> Member:
    """Add a staff member, who may then sign in to the desk with their WhatsApp."""
    try:
        number = to_e164(phone)
    except InvalidPhoneNumber:
        raise MemberRefused("bad_phone") from None
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME:
        raise MemberRefused("bad_name")
    with sessions.begin() as session:
        # Locked, so two adds of the same phone run one after the other.
        practice = session.scalars(
            select(Practice).where(Practice.id == profile_id).with_for_update()
        ).one()
        if number == practice.doctor_phone:
            raise MemberRefused("is_doctor")
        current = session.scalar(
            select(PracticeMember.id).where(
                PracticeMember.profile_id == profile_id,
                PracticeMember.phone == number,
                PracticeMember.removed_at.is_(None),
            )
        )
        if current is not None:
            raise MemberRefused("already")
        row = PracticeMember(
            profile_id=profile_id, phone=number, name=name, role=Role.STAFF, created_at=now
        )
        session.add(row)
        session.flush()
        return _member(row)


def remove_member(
    sessions: SessionSource, *, profile_id: uuid.UUID, member_id: uuid.UUID, now: datetime
) -> Member:
    """Remove a staff member of this practice: their desk sessions stop working."""
    with sessions.begin() as session:
        row = session.scalars(
            select(PracticeMember)
            .where(
                PracticeMember.id == member_id,
                PracticeMember.profile_id == profile_id,
                PracticeMember.role == Role.STAFF,
                PracticeMember.removed_at.is_(None),
            )
            .with_for_update()
        ).one_or_none()
        if row is None:
            raise MemberRefused("not_found")
        row.removed_at = now
        session.execute(
            update(DeskSession)
            .where(DeskSession.member_id == row.id, DeskSession.ended_at.is_(None))
            .values(ended_at=now)
        )
        return _member(row)


def _member(row: PracticeMember) -> Member:
    return Member(row.id, row.name, row.phone, row.role, row.created_at)
