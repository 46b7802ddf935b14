"""Every WhatsApp message in or out; outbound rows double as the transactional outbox."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, gen_random_uuid
from app.sealed import SealedJSON, SealedText

# What a message body becomes once its retention ends: its length alone ("[len=127]").
# Rows not yet purged are those whose body does not start so (app.booking.retention); the
# predicate is a literal, not a parameter, so that PostgreSQL can use the partial index.
PURGED_PREFIX = "[len="
NOT_PURGED = text("body NOT LIKE '[len=%'")


class MessageStatus(StrEnum):
    RECEIVED = "received"
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"
    UNDELIVERED = "undelivered"


# Queued and sending rows are still to be delivered (or recognised at the provider by
# their body): their text is needed, however old (retention, erasure).
IN_FLIGHT = (MessageStatus.QUEUED.value, MessageStatus.SENDING.value)


class MessageLog(Base):
    """One WhatsApp message.

    `provider_sid` is Twilio's MessageSid: unique, which is how duplicate webhook
    deliveries are absorbed. `dedupe_key` names the event an outbound message
    reports (e.g. ``request:<id>:approved:patient``) so that a transition can never
    queue the same message twice.
    """

    __tablename__ = "message_log"
    __table_args__ = (
        CheckConstraint("direction IN ('in', 'out')", name="ck_message_log_direction"),
        CheckConstraint(
            "status IN ('received', 'queued', 'sending', 'sent', 'delivered', 'read',"
            " 'failed', 'undelivered')",
            name="ck_message_log_status",
        ),
        Index("ix_message_log_profile_phone_created", "profile_id", "phone", "created_at"),
        Index("ix_message_log_status_next_attempt", "status", "next_attempt_at"),
        # The retention purge's batches: each reads the oldest bodies still kept, and a
        # purged row leaves the index, so a second run finds nothing at once.
        Index(
            "ix_message_log_profile_created_unpurged",
            "profile_id",
            "created_at",
            postgresql_where=NOT_PURGED,
            sqlite_where=NOT_PURGED,
        ),
        # One message in flight per recipient: a half-sent one can be recognised at the
        # provider without mistaking another for it, and each person's messages keep order.
        Index(
            "ix_message_log_sending_per_recipient",
            "profile_id",
            "phone",
            unique=True,
            postgresql_where=text("status = 'sending'"),
            sqlite_where=text("status = 'sending'"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, default=uuid.uuid4, server_default=gen_random_uuid()
    )
    profile_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("profile.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(3))
    phone: Mapped[str] = mapped_column(String(20))
    # Sealed (app/sealed.py): what patients write is health data more often than not.
    body: Mapped[str] = mapped_column(SealedText)
    status: Mapped[str] = mapped_column(String(20))
    purpose: Mapped[str | None] = mapped_column(String(40))
    provider_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    error_code: Mapped[str | None] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None]
    # The facts the body was written from, for WhatsApp templates (issue: 24-hour rule).
    variables: Mapped[dict[str, object] | None] = mapped_column(SealedJSON)
    # The WhatsApp template it went out as (None: a free-form body), for reconciliation.
    content_sid: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(server_default=text("CURRENT_TIMESTAMP"))
    updated_at: Mapped[datetime | None] = mapped_column(server_default=text("CURRENT_TIMESTAMP"))
