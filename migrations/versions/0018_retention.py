"""Retention: message bodies are kept for a practice's chosen days, then only their length.

- profile.message_retention_days: how many days a message body is kept (30-3650; 180
  unless the clinic file says otherwise).
- ix_message_log_profile_created_unpurged: the bodies still kept, oldest first per
  practice, for the daily purge's batches (app.booking.retention). Built CONCURRENTLY on
  PostgreSQL: message_log is the largest table, and the webhook writes to it all day.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_message_log_profile_created_unpurged"
# As in app.models.messaging.NOT_PURGED; a migration does not import the models.
NOT_PURGED = sa.text("body NOT LIKE '[len=%'")


def upgrade() -> None:
    with op.batch_alter_table("profile") as batch:
        batch.add_column(
            sa.Column("message_retention_days", sa.Integer(), server_default="180", nullable=False)
        )
        batch.create_check_constraint(
            "ck_profile_message_retention_days", "message_retention_days BETWEEN 30 AND 3650"
        )
    columns = ["profile_id", "created_at"]
    if op.get_bind().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            op.create_index(
                INDEX,
                "message_log",
                columns,
                postgresql_where=NOT_PURGED,
                postgresql_concurrently=True,
            )
    else:
        op.create_index(INDEX, "message_log", columns, sqlite_where=NOT_PURGED)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="message_log")
    with op.batch_alter_table("profile") as batch:
        batch.drop_constraint("ck_profile_message_retention_days", type_="check")
        batch.drop_column("message_retention_days")
