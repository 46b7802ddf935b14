"""The practice's web desk: who may sign in, their codes and sessions, and the audit log."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, gen_random_uuid

NOW = text("CURRENT_TIMESTAMP")
CURRENT = text("removed_at IS NULL")


class Role(StrEnum):
    DOCTOR = "doctor"  # everything, clinical and private notes included
    STAFF = "staff"  # the agenda, requests and blocks; no clinical notes


class PracticeMember(Base):
    """A person who runs the practice with the doctor: signs in to the desk with their phone.

    The doctor is a member too (made on their first sign-in from `profile.doctor_phone`);
    the doctor adds staff (`EQUIPO +phone nombre`, or the desk's team page).
    """

    __tablename__ = "practice_member"
    __table_args__ = (
        CheckConstraint("role IN ('doctor', 'staff')", name="ck_practice_member_role"),
        Index(
            "uq_practice_member_current",
            "profile_id",
            "phone",
            unique=True,
            postgresql_where=CURRENT,
            sqlite_where=CURRENT,
        ),
        Index("ix_practice_member_phone", "phone"),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, default=uuid.uuid4, server_default=gen_random_uuid()
    )
    profile_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("profile.id", ondelete="CASCADE"))
    phone: Mapped[str] = mapped_column(String(20))  # E.164
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(10))
    # The SHA-256 of the member's private calendar feed's token; None: no feed.
    feed_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Too many wrong codes: no sign-in for this member until then.
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(server_default=NOW)
    removed_at: Mapped[datetime | None]


class DeskCode(Base):
    """A one-time sign-in code sent to a member's WhatsApp: 10 minutes, 5 tries, used once.

    Only its keyed hash is kept; `address` is where it was asked from (rate limits).
    """

    __tablename__ = "desk_code"
    __table_args__ = (
        Index("ix_desk_code_member_created", "member_id", "created_at"),
        Index("ix_desk_code_address_created", "address", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, default=uuid.uuid4, server_default=gen_random_uuid()
    )
    # None: asked for a number no practice knows (kept to limit the address).
    member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("practice_member.id", ondelete="CASCADE")
    )
    code_hash: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(45))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class DeskSession(Base):
    """A signed-in browser: the cookie holds a random token, the table only its hash."""

    __tablename__ = "desk_session"

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, default=uuid.uuid4, server_default=gen_random_uuid()
    )
    member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("practice_member.id", ondelete="CASCADE")
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    address: Mapped[str] = mapped_column(String(45))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class AuditEntry(Base):
    """Who read a patient's intake or notes, or changed what, when, from which session.

    `detail` names what changed (codes, fields, times), never health data itself.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_profile_at", "profile_id", "at"),)

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, default=uuid.uuid4, server_default=gen_random_uuid()
    )
    profile_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("profile.id", ondelete="CASCADE"))
    member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("practice_member.id", ondelete="SET NULL")
    )
    session_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("desk_session.id", ondelete="SET NULL")
    )
    action: Mapped[str] = mapped_column(String(40))  # "read_intake", "approve", ...
    subject: Mapped[str | None] = mapped_column(String(80))  # "request K7M3QX", "settings"
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    at: Mapped[datetime]
