"""The clinic file's second-round keys, and services in the file's order.

- profile.address: shown to patients in confirmations;
- profile.doctor_title, profile.doctor_gender ('f' / 'm' / 'x'): how sentences name
  the doctor ("la Dra. Ana López", "el Dr. Juan Ruiz", neutral wording for 'x');
- profile.show_prices, profile.currency (ISO 4217): whether and how prices are shown;
- profile.intake: each intake question's setting (JSON; NULL = the defaults);
- medical_service.position: the service's place in the clinic file, the order
  patients see them in.

Existing practices whose name starts with a title get the gender it implies
("Dra." -> 'f'; "Dr." -> 'm' in Spanish), as the clinic file does for a new import.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("profile") as batch:
        batch.add_column(sa.Column("address", sa.Text()))
        batch.add_column(sa.Column("doctor_title", sa.String(20)))
        batch.add_column(
            sa.Column("doctor_gender", sa.String(1), nullable=False, server_default="x")
        )
        batch.add_column(
            sa.Column("show_prices", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("currency", sa.String(3)))
        batch.add_column(sa.Column("intake", sa.JSON()))
        batch.create_check_constraint(
            "ck_profile_doctor_gender", "doctor_gender IN ('f', 'm', 'x')"
        )
    op.execute("UPDATE profile SET doctor_gender = 'f' WHERE name LIKE 'Dra.%'")
    op.execute("UPDATE profile SET doctor_gender = 'm' WHERE name LIKE 'Dr. %' AND language = 'es'")
    with op.batch_alter_table("medical_service") as batch:
        batch.add_column(sa.Column("position", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("medical_service") as batch:
        batch.drop_column("position")
    with op.batch_alter_table("profile") as batch:
        batch.drop_constraint("ck_profile_doctor_gender", type_="check")
        batch.drop_column("intake")
        batch.drop_column("currency")
        batch.drop_column("show_prices")
        batch.drop_column("doctor_gender")
        batch.drop_column("doctor_title")
        batch.drop_column("address")
