"""What a practice knows about a phone number that writes to it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, gen_random_uuid


class Contact(Base):
    """A patient's phone number within one practice.

    `language` is the one the patient chose (None: the practice's); every message
    to them is written in it. `last_inbound_at` opens WhatsApp's 24-hour window.
    """

    __tablename__ = "contact"
    __table_args__ = (
        UniqueConstraint("profile_id", "phone"),
        CheckConstraint("language IN ('es', 'en')", name="ck_contact_language"),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, default=uuid.uuid4, server_default=gen_random_uuid()
    )
    profile_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("profile.id", ondelete="CASCADE"))
    phone: Mapped[str] = mapped_column(String(20))
    language: Mapped[str | None] = mapped_column(String(8))
    last_inbound_at: Mapped[datetime | None]
    # What a returning patient may reuse; shown only to this same phone number.
    patient_name: Mapped[str | None] = mapped_column(String(255))
    patient_age: Mapped[int | None] = mapped_column(Integer)
    patient_gender: Mapped[str | None] = mapped_column(String(20))
    # The doctor forgave this patient's no-shows until then (PERDONAR): older ones no
    # longer count against the practice's no-show policy.
    no_shows_forgiven_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(server_default=text("CURRENT_TIMESTAMP"))
    updated_at: Mapped[datetime | None] = mapped_column(server_default=text("CURRENT_TIMESTAMP"))
