"""A third no-show consequence: the patient must confirm each appointment or lose it.

- profile.no_show_action may be 'reconfirm'.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONSTRAINT = "ck_profile_no_show_action"


def upgrade() -> None:
    with op.batch_alter_table("profile") as batch:
        batch.drop_constraint(CONSTRAINT, type_="check")
        batch.create_check_constraint(
            CONSTRAINT, "no_show_action IN ('approval', 'chat_closed', 'reconfirm')"
        )


def downgrade() -> None:
    # The nearest earlier consequence: each booking waits for the doctor.
    op.execute("UPDATE profile SET no_show_action = 'approval' WHERE no_show_action = 'reconfirm'")
    with op.batch_alter_table("profile") as batch:
        batch.drop_constraint(CONSTRAINT, type_="check")
        batch.create_check_constraint(CONSTRAINT, "no_show_action IN ('approval', 'chat_closed')")
