"""The wellness-era tables, renamed by the seed's migration and kept with their data.

Their indexes and foreign keys keep the names they were created with, as a plain
`ALTER TABLE ... RENAME` leaves them.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKeyConstraint, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, gen_random_uuid


class PatientAssessment(Base):
    """Formerly `health_survey`: a questionnaire someone filled in."""

    __tablename__ = "patient_assessment"
    __table_args__ = (
        ForeignKeyConstraint(
            ["profile_id"],
            ["profile.id"],
            ondelete="CASCADE",
            name="fk_health_survey_profile_id_profile",
        ),
        Index("ix_health_survey_profile_id", "profile_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, default=uuid.uuid4, server_default=gen_random_uuid()
    )
    profile_id: Mapped[uuid.UUID]
    respondent_name: Mapped[str | None] = mapped_column(String(255))
    respondent_phone: Mapped[str | None] = mapped_column(String(50))
    answers: Mapped[dict[str, object] | None] = mapped_column(JSON)
    score: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime | None] = mapped_column(server_default=text("CURRENT_TIMESTAMP"))


class AppointmentSourceTracking(Base):
    """Formerly `social_click`: where a visitor came from."""

    __tablename__ = "appointment_source_tracking"
    __table_args__ = (
        ForeignKeyConstraint(
            ["profile_id"],
            ["profile.id"],
            ondelete="CASCADE",
            name="fk_social_click_profile_id_profile",
        ),
        Index("ix_social_click_profile_id", "profile_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, default=uuid.uuid4, server_default=gen_random_uuid()
    )
    profile_id: Mapped[uuid.UUID]
    source: Mapped[str | None] = mapped_column(String(50))
    url: Mapped[str | None] = mapped_column(Text)
    referrer: Mapped[str | None] = mapped_column(Text)
    clicked_at: Mapped[datetime | None] = mapped_column(server_default=text("CURRENT_TIMESTAMP"))
