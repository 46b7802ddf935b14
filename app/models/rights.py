"""The rights register: every data-rights request a patient made, and how it was answered."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, gen_random_uuid
from app.sealed import SealedText


class RightsRequest(Base):
    """One request (access, correction, withdrawal, erasure) with its legal deadline.

    It holds who asked and when, never what their data says: no health data here.
    `answered_at` stays NULL while the practice still owes the answer.
    """

    __tablename__ = "rights_request"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('access', 'correction', 'withdrawal', 'erasure')",
            name="ck_rights_request_kind",
        ),
        Index("ix_rights_request_profile_due", "profile_id", "due_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, default=uuid.uuid4, server_default=gen_random_uuid()
    )
    profile_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("profile.id", ondelete="CASCADE"))
    phone: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(12))
    requested_at: Mapped[datetime]
    due_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    how_answered: Mapped[str | None] = mapped_column(String(80))


class BlockedRecord(Base):
    """The clinical record of an attended visit whose patient asked for erasure.

    The law has the practice keep it for years (app/rights/deadlines.py), so it is not
    erased with the rest: it is blocked. The patient's name, phone, answers and the
    doctor's notes are moved here as one sealed text, and nothing else refers to it; no
    use case reads it, and the daily retention run erases it once `blocked_until` passes.
    """

    __tablename__ = "blocked_record"
    __table_args__ = (Index("ix_blocked_record_blocked_until", "blocked_until"),)

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, default=uuid.uuid4, server_default=gen_random_uuid()
    )
    profile_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("profile.id", ondelete="CASCADE"))
    blocked_until: Mapped[datetime]
    record: Mapped[str] = mapped_column(SealedText)
    blocked_at: Mapped[datetime]
