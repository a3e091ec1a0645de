"""Labor may be taxed at a rate of its own; the repair dealer's registration number

Revision ID: d4b6e8f0a2c3
Revises: c8a1d3e5f7b9
Create Date: 2026-12-07 12:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "d4b6e8f0a2c3"
down_revision = "c8a1d3e5f7b9"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("dealer_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("labor_tax_rate", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("repair_dealer_number", sa.String(length=40), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_dealer_settings_labor_tax_rate_range"),
            "labor_tax_rate >= 0 AND labor_tax_rate < 10000",
        )
    with op.batch_alter_table("work_orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("labor_tax_rate", sa.BigInteger(), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_work_orders_labor_tax_rate_range"),
            "labor_tax_rate >= 0 AND labor_tax_rate < 10000",
        )


def downgrade():
    with op.batch_alter_table("work_orders", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_work_orders_labor_tax_rate_range"), type_="check")
        batch_op.drop_column("labor_tax_rate")
    with op.batch_alter_table("dealer_settings", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_dealer_settings_labor_tax_rate_range"), type_="check")
        batch_op.drop_column("repair_dealer_number")
        batch_op.drop_column("labor_tax_rate")
