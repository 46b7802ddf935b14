"""Where each WhatsApp conversation stands, and the consent decisions patients made."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, gen_random_uuid
from app.sealed import SealedJSON


class Conversation(Base):
    """One phone number's conversation with one practice.

    `state` is a readable state name of the flow (bot_flows); `data` holds the
    answers collected so far and is emptied once a request is sent, so health data
    does not linger here. The row is locked while a message is processed: one
    message at a time per conversation.
    """

    __tablename__ = "conversation"
    __table_args__ = (UniqueConstraint("profile_id", "phone"),)

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, default=uuid.uuid4, server_default=gen_random_uuid()
    )
    profile_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("profile.id", ondelete="CASCADE"))
    phone: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(40))
    # Sealed (app.sealed): mid-booking it holds the intake's answers.
    data: Mapped[dict[str, Any]] = mapped_column(SealedJSON, default=dict)
    handoff_until: Mapped[datetime | None]
    flood_window_start: Mapped[datetime | None]
    flood_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(server_default=text("CURRENT_TIMESTAMP"))
    updated_at: Mapped[datetime] = mapped_column(server_default=text("CURRENT_TIMESTAMP"))


class Consent(Base):
    """A patient's answer to the privacy notice: append-only, the latest one counts."""

    __tablename__ = "consent"
    __table_args__ = (
        Index("ix_consent_profile_phone_recorded", "profile_id", "phone", "recorded_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, default=uuid.uuid4, server_default=gen_random_uuid()
    )
    profile_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("profile.id", ondelete="CASCADE"))
    phone: Mapped[str] = mapped_column(String(20))
    accepted: Mapped[bool] = mapped_column(Boolean)
    text_version: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(8))
    recorded_at: Mapped[datetime]
