"""The content pool: Twilio Content resources the bot's lists and buttons are sent as."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, gen_random_uuid


class ContentResource(Base):
    """One resource of the pool (app/messaging/content_pool.py) in one Twilio account.

    `key` names what it holds (``list-picker:7:es``: a list of 7 items in Spanish);
    `definition_hash` is the SHA-256 of the definition it was created or last updated
    from, so `content sync` can tell what changed without asking Twilio.
    """

    __tablename__ = "content_resource"
    __table_args__ = (UniqueConstraint("account_sid", "key"),)

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, default=uuid.uuid4, server_default=gen_random_uuid()
    )
    account_sid: Mapped[str] = mapped_column(String(34))
    key: Mapped[str] = mapped_column(String(40))
    sid: Mapped[str] = mapped_column(String(34))
    definition_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(server_default=text("CURRENT_TIMESTAMP"))
    updated_at: Mapped[datetime] = mapped_column(server_default=text("CURRENT_TIMESTAMP"))
