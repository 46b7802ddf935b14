"""The rights register: every data-rights request a patient made, and how it was answered."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, gen_random_uuid


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
