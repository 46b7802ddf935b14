"""Conversation: where each chat stands, consent decisions, reusable patient details.

- conversation: state name and collected answers per practice and phone, the
  human hand-off deadline, and the per-number flood counter;
- consent: every answer to the privacy notice, with its time, text version and
  language (append-only);
- contact.patient_name / patient_age / patient_gender: offered back to the same
  phone number on its next booking.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db import gen_random_uuid

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOW = sa.text("CURRENT_TIMESTAMP")
TS = sa.DateTime(timezone=True)


def _profile_fk(table: str) -> sa.Column:
    return sa.Column(
        "profile_id",
        sa.Uuid(),
        sa.ForeignKey("profile.id", ondelete="CASCADE", name=f"fk_{table}_profile_id_profile"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "conversation",
        sa.Column("id", sa.Uuid(), server_default=gen_random_uuid(), nullable=False),
        _profile_fk("conversation"),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("state", sa.String(40), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("handoff_until", TS),
        sa.Column("flood_window_start", TS),
        sa.Column("flood_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", TS, server_default=NOW, nullable=False),
        sa.Column("updated_at", TS, server_default=NOW, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_conversation"),
        sa.UniqueConstraint("profile_id", "phone", name="uq_conversation_profile_id_phone"),
    )
    op.create_table(
        "consent",
        sa.Column("id", sa.Uuid(), server_default=gen_random_uuid(), nullable=False),
        _profile_fk("consent"),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("text_version", sa.String(20), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_consent"),
    )
    op.create_index(
        "ix_consent_profile_phone_recorded", "consent", ["profile_id", "phone", "recorded_at"]
    )
    with op.batch_alter_table("contact") as batch:
        batch.add_column(sa.Column("patient_name", sa.String(255)))
        batch.add_column(sa.Column("patient_age", sa.Integer()))
        batch.add_column(sa.Column("patient_gender", sa.String(20)))


def downgrade() -> None:
    with op.batch_alter_table("contact") as batch:
        batch.drop_column("patient_gender")
        batch.drop_column("patient_age")
        batch.drop_column("patient_name")
    op.drop_table("consent")
    op.drop_table("conversation")
