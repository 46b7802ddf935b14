"""Wellness-era baseline: profile, health_survey, social_click.

The schema the seed's migration starts from. Created here so that the rename of
the two wellness tables, with their data, can be run and tested.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db import gen_random_uuid

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOW = sa.text("CURRENT_TIMESTAMP")


def upgrade() -> None:
    op.create_table(
        "profile",
        sa.Column("id", sa.Uuid(), server_default=gen_random_uuid(), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("email", sa.String(255)),
        sa.Column("phone", sa.String(50)),
        sa.Column("bio", sa.Text()),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=NOW),
        sa.PrimaryKeyConstraint("id", name="pk_profile"),
    )
    op.create_table(
        "health_survey",
        sa.Column("id", sa.Uuid(), server_default=gen_random_uuid(), nullable=False),
        sa.Column("profile_id", sa.Uuid(), nullable=False),
        sa.Column("respondent_name", sa.String(255)),
        sa.Column("respondent_phone", sa.String(50)),
        sa.Column("answers", sa.JSON()),
        sa.Column("score", sa.Integer()),
        sa.Column("notes", sa.Text()),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profile.id"], ondelete="CASCADE",
            name="fk_health_survey_profile_id_profile",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_health_survey"),
    )
    op.create_index("ix_health_survey_profile_id", "health_survey", ["profile_id"])
    op.create_table(
        "social_click",
        sa.Column("id", sa.Uuid(), server_default=gen_random_uuid(), nullable=False),
        sa.Column("profile_id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.String(50)),
        sa.Column("url", sa.Text()),
        sa.Column("referrer", sa.Text()),
        sa.Column("clicked_at", sa.DateTime(timezone=True), server_default=NOW),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profile.id"], ondelete="CASCADE",
            name="fk_social_click_profile_id_profile",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_social_click"),
    )
    op.create_index("ix_social_click_profile_id", "social_click", ["profile_id"])


def downgrade() -> None:
    op.drop_table("social_click")
    op.drop_table("health_survey")
    op.drop_table("profile")
