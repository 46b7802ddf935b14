"""Message templates: which WhatsApp template a message went out as, per-practice overrides.

- profile.content_sids: the practice's own Twilio Content SIDs per purpose (JSON),
  overriding TWILIO_CONTENT_SIDS;
- message_log.content_sid: the template an outbound message was sent as (NULL: a
  free-form body), so a message left half-sent can be looked for at Twilio;
- ix_message_log_sending_per_recipient: at most one message per recipient in
  `sending` (partial unique index), so a half-sent message is never mistaken for
  another one at Twilio, and each person's messages leave in order.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SENDING = sa.text("status = 'sending'")


def upgrade() -> None:
    with op.batch_alter_table("profile") as batch:
        batch.add_column(sa.Column("content_sids", sa.JSON()))
    with op.batch_alter_table("message_log") as batch:
        batch.add_column(sa.Column("content_sid", sa.String(40)))
    op.create_index(
        "ix_message_log_sending_per_recipient",
        "message_log",
        ["profile_id", "phone"],
        unique=True,
        postgresql_where=SENDING,
        sqlite_where=SENDING,
    )


def downgrade() -> None:
    op.drop_index("ix_message_log_sending_per_recipient", table_name="message_log")
    with op.batch_alter_table("message_log") as batch:
        batch.drop_column("content_sid")
    with op.batch_alter_table("profile") as batch:
        batch.drop_column("content_sids")
