"""The practice's waitlist: patients waiting for a place to free, and the places offered to them."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, gen_random_uuid
from app.sealed import SealedJSON

NOW = text("CURRENT_TIMESTAMP")
ACTIVE = text("status IN ('waiting', 'offered')")
OPEN = text("status = 'open'")


class EntryStatus(StrEnum):
    WAITING = "waiting"  # no place offered right now
    OFFERED = "offered"  # a place is offered and not yet answered
    BOOKED = "booked"  # accepted a place: the normal request or appointment follows
    LEFT = "left"  # the patient left the list
    EXPIRED = "expired"  # its last day passed


class OfferStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"  # not answered in time
    GONE = "gone"  # someone else took the place first


class WaitlistEntry(Base):
    """A phone waiting for a place of one service between two local days, in a part of the day."""

    __tablename__ = "waitlist_entry"
    __table_args__ = (
        CheckConstraint(
            "status IN ('waiting', 'offered', 'booked', 'left', 'expired')",
            name="ck_waitlist_entry_status",
        ),
        CheckConstraint(
            "day_part IN ('any', 'morning', 'afternoon')", name="ck_waitlist_entry_day_part"
        ),
        CheckConstraint("last_day >= first_day", name="ck_waitlist_entry_days"),
        # One active entry per phone and service: joining again changes it.
        Index(
            "uq_waitlist_entry_active",
            "profile_id",
            "phone",
            "service_id",
            unique=True,
            postgresql_where=ACTIVE,
            sqlite_where=ACTIVE,
        ),
        # Who is next for a service, in order of joining.
        Index(
            "ix_waitlist_entry_queue",
            "profile_id",
            "service_id",
            "created_at",
            postgresql_where=text("status = 'waiting'"),
            sqlite_where=text("status = 'waiting'"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, default=uuid.uuid4, server_default=gen_random_uuid()
    )
    profile_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("profile.id", ondelete="CASCADE"))
    phone: Mapped[str] = mapped_column(String(20))
    service_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("medical_service.id", ondelete="CASCADE")
    )
    first_day: Mapped[date] = mapped_column(Date)  # local days, in the practice's zone
    last_day: Mapped[date] = mapped_column(Date)
    day_part: Mapped[str] = mapped_column(String(10), default="any", server_default="any")
    status: Mapped[str] = mapped_column(
        String(10), default=EntryStatus.WAITING, server_default=EntryStatus.WAITING
    )
    # The patient's answers (health data), reused for the request when they take a place;
    # dropped as soon as the entry leaves the list.
    intake: Mapped[dict[str, Any] | None] = mapped_column(SealedJSON)  # sealed
    created_at: Mapped[datetime] = mapped_column(server_default=NOW)
    updated_at: Mapped[datetime] = mapped_column(server_default=NOW)


class WaitlistOffer(Base):
    """A freed place offered to one waiting patient until `expires_at`; the first to accept wins."""

    __tablename__ = "waitlist_offer"
    __table_args__ = (
        CheckConstraint(
            "status IN ('open', 'accepted', 'declined', 'expired', 'gone')",
            name="ck_waitlist_offer_status",
        ),
        # A place is never offered twice to the same entry.
        UniqueConstraint("entry_id", "slot_id"),
        Index("ix_waitlist_offer_slot", "slot_id"),
        Index(
            "ix_waitlist_offer_open_expires",
            "expires_at",
            postgresql_where=OPEN,
            sqlite_where=OPEN,
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, default=uuid.uuid4, server_default=gen_random_uuid()
    )
    entry_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("waitlist_entry.id", ondelete="CASCADE"))
    slot_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("time_slot.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(
        String(10), default=OfferStatus.OPEN, server_default=OfferStatus.OPEN
    )
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(server_default=NOW)
    updated_at: Mapped[datetime] = mapped_column(server_default=NOW)
