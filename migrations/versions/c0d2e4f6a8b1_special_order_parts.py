"""Parts ordered for one customer's job, outside the catalogue, with their supplier

Revision ID: c0d2e4f6a8b1
Revises: b9d1f3a5c7e2
Create Date: 2026-12-07 05:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "c0d2e4f6a8b1"
down_revision = "b9d1f3a5c7e2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("parts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("special_order", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("supplier", sa.String(length=120), nullable=True))


def downgrade():
    with op.batch_alter_table("parts", schema=None) as batch_op:
        batch_op.drop_column("supplier")
        batch_op.drop_column("special_order")
